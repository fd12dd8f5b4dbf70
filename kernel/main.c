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
 *
 * This file owns the whole init order and its unwinding: backends and
 * self-tests, kpp algorithms, the ESP AEADs (kernel/aead.c), the one
 * per-netns structure (key handles and counters), the socket release
 * notifier, and last the family, so that no
 * request can run before everything it uses exists. Exit undoes it in
 * reverse order.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "pqrekey.h"
#include "mlkem/mlkem.h"

static unsigned int pqrekey_net_id __read_mostly;

/**
 * pqrekey_net() - the module's state in a network namespace.
 * @net: the netns
 *
 * Return: the per-netns structure, set up while @net exists.
 */
struct pqrekey_net *pqrekey_net(struct net *net)
{
	return net_generic(net, pqrekey_net_id);
}

static int __net_init pqrekey_net_init(struct net *net)
{
	/* The counters start at zero (net_generic memory is zeroed). */
	pqrekey_handle_table_init(&pqrekey_net(net)->handles);
	return 0;
}

static void __net_exit pqrekey_net_exit(struct net *net)
{
	pqrekey_handle_table_exit(&pqrekey_net(net)->handles);
}

static struct pernet_operations pqrekey_net_ops = {
	.init = pqrekey_net_init,
	.exit = pqrekey_net_exit,
	.id = &pqrekey_net_id,
	.size = sizeof(struct pqrekey_net),
};

static int __init pqrekey_init(void)
{
	unsigned int i;
	int ret;

	ret = pqrekey_aead_check_param();
	if (ret)
		return ret;
	pqrekey_backend_init();
	for (i = 0; i < mlkem_nimpls; i++) {
		if (!pqrekey_backend_in_use(mlkem_impls[i]))
			continue;
		ret = pqrekey_selftest(mlkem_impls[i]);
		if (ret)
			return ret;
	}
	ret = pqrekey_selftest_frodo();
	if (ret)
		return ret;

	ret = pqrekey_kpp_register();
	if (ret)
		return ret;
	ret = pqrekey_aead_register();
	if (ret)
		goto err_kpp;

	ret = register_pernet_subsys(&pqrekey_net_ops);
	if (ret)
		goto err_aead;
	ret = pqrekey_handles_init();
	if (ret)
		goto err_net;
	ret = pqrekey_genl_init();
	if (ret)
		goto err_handles;
	return 0;

err_handles:
	pqrekey_handles_exit();
err_net:
	unregister_pernet_subsys(&pqrekey_net_ops);
err_aead:
	pqrekey_aead_unregister();
err_kpp:
	pqrekey_kpp_unregister();
	return ret;
}

static void __exit pqrekey_exit(void)
{
	pqrekey_genl_exit();
	pqrekey_handles_exit();
	unregister_pernet_subsys(&pqrekey_net_ops);
	pqrekey_aead_unregister();
	pqrekey_kpp_unregister();
}

module_init(pqrekey_init);
module_exit(pqrekey_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ML-KEM-512/768/1024 (FIPS 203) key encapsulation as kpp algorithms");
MODULE_AUTHOR("The pqrekey authors");
