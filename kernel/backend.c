// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Backend selection and the FPU section around one ML-KEM operation.
 *
 * The set of backends is decided once, at module load: the portable code
 * always; on x86-64 AVX2 and AVX-512 when the CPU has them and the kernel
 * saves their register state (mlkem_impl_usable()), unless
 * force_generic=1. The glue brackets
 * each core call (never an allocation, a scatterlist copy or anything that
 * may sleep) with pqrekey_backend_begin()/pqrekey_backend_end(). When SIMD
 * is not usable in the current context (crypto_simd_usable() false, e.g.
 * in a hard interrupt) the portable code runs instead: the backends are
 * bit-identical, so only the speed differs.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#ifdef CONFIG_X86_64
#include <asm/fpu/api.h>
#include <asm/simd.h>
#include <crypto/internal/simd.h>
#endif

#include "pqrekey.h"
#include "mlkem/mlkem.h"

static bool force_generic;
module_param(force_generic, bool, 0444);
MODULE_PARM_DESC(force_generic,
		 "register only the portable mlkem*-generic drivers (default: no)");

/**
 * pqrekey_backend_in_use() - whether this module load uses a backend
 * @impl: a backend
 *
 * The portable code always; a vectorized backend when the CPU and the
 * kernel support it (mlkem_impl_usable()), unless force_generic=1.
 *
 * Return: true if @impl has its drivers registered.
 */
bool pqrekey_backend_in_use(const struct mlkem_impl *impl)
{
	if (impl == &mlkem_impl_generic)
		return true;
	return !force_generic && mlkem_impl_usable(impl);
}

/**
 * pqrekey_backend_vectors_allowed() - whether vector backends may be used
 *
 * Return: false when the module was loaded with force_generic=1.
 */
bool pqrekey_backend_vectors_allowed(void)
{
	return !force_generic;
}

/**
 * pqrekey_backend_simd_usable() - whether this context may use vector
 * registers (between kernel_fpu_begin() and kernel_fpu_end())
 *
 * Return: crypto_simd_usable() on x86-64, else false.
 */
bool pqrekey_backend_simd_usable(void)
{
#ifdef CONFIG_X86_64
	return crypto_simd_usable();
#else
	return false;
#endif
}

/**
 * pqrekey_backend_init() - log which backends this module load uses
 *
 * Called once from module init, before the self-test.
 */
void pqrekey_backend_init(void)
{
	char names[64] = "generic";
	unsigned int i;

	for (i = 1; i < mlkem_nimpls; i++) {
		if (!pqrekey_backend_in_use(mlkem_impls[i]))
			continue;
		strlcat(names, ", ", sizeof(names));
		strlcat(names, mlkem_impl_name(mlkem_impls[i]), sizeof(names));
	}
	pr_info("backends: %s%s\n", names,
		force_generic ? " (force_generic=1)" : "");
}

/**
 * pqrekey_backend_best() - the fastest backend of this module load
 *
 * Return: the last backend of mlkem_impls[] in use.
 */
const struct mlkem_impl *pqrekey_backend_best(void)
{
	unsigned int i = mlkem_nimpls;

	while (--i)
		if (pqrekey_backend_in_use(mlkem_impls[i]))
			return mlkem_impls[i];
	return &mlkem_impl_generic;
}

/**
 * pqrekey_backend_begin() - start one ML-KEM operation on a backend
 * @ws:   the operation's workspace; its backend is set here
 * @impl: the backend wanted
 *
 * For a vectorized backend, enters a kernel FPU section if SIMD is usable
 * in this context; otherwise selects the portable code. The section
 * disables preemption (and, on recent kernels, softirqs): the caller runs
 * exactly one core call (10-40 us) before pqrekey_backend_end() and must
 * not sleep in between.
 *
 * Return: the backend selected, to be passed to pqrekey_backend_end().
 */
const struct mlkem_impl *pqrekey_backend_begin(struct mlkem_ws *ws,
					       const struct mlkem_impl *impl)
{
#ifdef CONFIG_X86_64
	if (impl != &mlkem_impl_generic && crypto_simd_usable()) {
		kernel_fpu_begin();
		mlkem_ws_set_impl(ws, impl);
		return impl;
	}
#endif
	mlkem_ws_set_impl(ws, &mlkem_impl_generic);
	return &mlkem_impl_generic;
}

/**
 * pqrekey_backend_end() - end an operation started by pqrekey_backend_begin()
 * @used: its return value
 */
void pqrekey_backend_end(const struct mlkem_impl *used)
{
#ifdef CONFIG_X86_64
	if (used != &mlkem_impl_generic)
		kernel_fpu_end();
#endif
}
