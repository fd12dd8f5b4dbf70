// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Symbols of the portable ML-KEM core exported for pqrekey_kunit.ko, which
 * tests the deterministic functions directly (plus Decaps with its key
 * check and the Keccak sponge, for the accumulated known-answer test),
 * the backends, and the FPU-section helpers the tests run them with.
 * The core's sources compile in userspace too, so the exports live here,
 * not next to the definitions; the kernel-doc of each function is in the
 * core's .c file.
 *
 * Only kernels with KUnit get them: elsewhere nothing links against
 * pqrekey's internals, and unexported they can never clash with the
 * symbols of another module (a future mainline ML-KEM, say).
 */

/*
 * In the symbol namespace PQREKEY_INTERNAL, which pqrekey_kunit.ko
 * imports: nothing else should link against them. Kbuild defines
 * DEFAULT_SYMBOL_NAMESPACE for this file, in the form of the kernel built
 * against (an identifier up to 6.12, a string literal since 6.13).
 */
#include <linux/export.h>

#include "pqrekey.h"
#include "mlkem/mlkem.h"
#include "mlkem/keccak.h"
#include "frodo/frodo.h"
#include "aead/impl.h"

#if IS_ENABLED(CONFIG_KUNIT)

EXPORT_SYMBOL_GPL(mlkem512_params);
EXPORT_SYMBOL_GPL(mlkem768_params);
EXPORT_SYMBOL_GPL(mlkem1024_params);

EXPORT_SYMBOL_GPL(mlkem_keygen_internal);
EXPORT_SYMBOL_GPL(mlkem_encaps_internal);
EXPORT_SYMBOL_GPL(mlkem_decaps_internal);
EXPORT_SYMBOL_GPL(mlkem_decaps);
EXPORT_SYMBOL_GPL(mlkem_check_ek);
EXPORT_SYMBOL_GPL(mlkem_check_dk);

EXPORT_SYMBOL_GPL(mlkem_keccak_init);
EXPORT_SYMBOL_GPL(mlkem_keccak_absorb);
EXPORT_SYMBOL_GPL(mlkem_keccak_finalize);
EXPORT_SYMBOL_GPL(mlkem_keccak_squeeze);

EXPORT_SYMBOL_GPL(mlkem_impl_generic);
#ifdef CONFIG_X86_64
EXPORT_SYMBOL_GPL(mlkem_impl_avx2);
EXPORT_SYMBOL_GPL(mlkem_impl_avx512);
#endif
EXPORT_SYMBOL_GPL(mlkem_impl_name);
EXPORT_SYMBOL_GPL(mlkem_impl_usable);

/* The FrodoKEM core (kernel/frodo), not registered as a KEM yet. */
EXPORT_SYMBOL_GPL(frodo976aes_params);
EXPORT_SYMBOL_GPL(frodo976shake_params);
EXPORT_SYMBOL_GPL(frodo1344aes_params);
EXPORT_SYMBOL_GPL(frodo1344shake_params);
EXPORT_SYMBOL_GPL(frodo_keygen_internal);
EXPORT_SYMBOL_GPL(frodo_encaps_internal);
EXPORT_SYMBOL_GPL(frodo_decaps);
EXPORT_SYMBOL_GPL(frodo_impls);
EXPORT_SYMBOL_GPL(frodo_nimpls);
EXPORT_SYMBOL_GPL(frodo_impl_usable);

/* Backend selection of this module load (kernel/backend.c). */
EXPORT_SYMBOL_GPL(pqrekey_backend_in_use);
EXPORT_SYMBOL_GPL(pqrekey_backend_best);
EXPORT_SYMBOL_GPL(pqrekey_backend_begin);
EXPORT_SYMBOL_GPL(pqrekey_backend_end);

/* The key-handle table of the netlink service (kernel/handles.c). */
EXPORT_SYMBOL_GPL(pqrekey_handle_params);
EXPORT_SYMBOL_GPL(pqrekey_handles);
EXPORT_SYMBOL_GPL(pqrekey_handle_table_init);
EXPORT_SYMBOL_GPL(pqrekey_handle_table_exit);
EXPORT_SYMBOL_GPL(pqrekey_handle_reserve);
EXPORT_SYMBOL_GPL(pqrekey_handle_commit);
EXPORT_SYMBOL_GPL(pqrekey_handle_cancel);
EXPORT_SYMBOL_GPL(pqrekey_handle_get);
EXPORT_SYMBOL_GPL(pqrekey_handle_put);
EXPORT_SYMBOL_GPL(pqrekey_handle_del);
EXPORT_SYMBOL_GPL(pqrekey_handle_dk);
EXPORT_SYMBOL_GPL(pqrekey_handle_kem);
EXPORT_SYMBOL_GPL(pqrekey_handle_stats);
EXPORT_SYMBOL_GPL(pqrekey_handles_release);

/* The KEM layer (kernel/kem.c). */
EXPORT_SYMBOL_GPL(pqrekey_kem_by_id);
EXPORT_SYMBOL_GPL(pqrekey_kem_by_cra_name);
EXPORT_SYMBOL_GPL(pqrekey_kem_backend_in_use);
EXPORT_SYMBOL_GPL(pqrekey_kem_backend_best);
EXPORT_SYMBOL_GPL(pqrekey_kem_keygen);
EXPORT_SYMBOL_GPL(pqrekey_kem_decaps);
EXPORT_SYMBOL_GPL(pqrekey_kem_check_dk);
EXPORT_SYMBOL_GPL(pqrekey_kem_encaps);
#ifdef CONFIG_X86_64
EXPORT_SYMBOL_GPL(pqaead_impls);
#endif

#endif /* CONFIG_KUNIT */
