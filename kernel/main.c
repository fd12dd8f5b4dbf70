// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqrekey.ko: post-quantum key exchange (ML-KEM, FIPS 203) for the kernel
 * crypto API. Module init picks the backends (portable code, plus AVX2
 * and AVX-512 where usable unless force_generic=1), runs the known-answer self-test of
 * every parameter set on every one of them and registers the kpp
 * algorithms only if all of them pass, then the "pqrekey" generic netlink
 * family that serves them to userspace.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

#include "pqrekey.h"
#include "mlkem/mlkem.h"

static int __init pqrekey_init(void)
{
	unsigned int i;
	int ret;

	pqrekey_backend_init();
	for (i = 0; i < mlkem_nimpls; i++) {
		if (!pqrekey_backend_in_use(mlkem_impls[i]))
			continue;
		ret = pqrekey_selftest(mlkem_impls[i]);
		if (ret)
			return ret;
	}

	ret = pqrekey_kpp_register();
	if (ret)
		return ret;

	ret = pqrekey_netlink_init();
	if (ret)
		pqrekey_kpp_unregister();
	return ret;
}

static void __exit pqrekey_exit(void)
{
	pqrekey_netlink_exit();
	pqrekey_kpp_unregister();
}

module_init(pqrekey_init);
module_exit(pqrekey_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ML-KEM-512/768/1024 (FIPS 203) key encapsulation as kpp algorithms");
MODULE_AUTHOR("The pqrekey authors");
