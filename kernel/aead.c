// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Registration of the ESP AEADs: for every variant this CPU can run
 * (kernel/aead/impl.h), the plain and the ESP form of its family
 * (gcm(aes) and rfc4106(gcm(aes)); rfc7539(chacha20,poly1305) and
 * rfc7539esp(chacha20,poly1305)). Where the kernel has the SIMD wrapper
 * (CONFIG_CRYPTO_SIMD: 6.1 and 6.12, whose x86 code cannot use the FPU in
 * every softirq), they are internal algorithms behind it
 * (simd_register_aeads_compat()): a caller where the FPU is not usable
 * goes through cryptd. Kernels without it (7.3's config: x86 allows the FPU
 * in softirqs, and its own AES-GCM registers directly) get the algorithms
 * registered directly; a call where the FPU is not usable (hard interrupt,
 * NMI: nothing calls an AEAD there) gets -EBUSY.
 *
 * Priority, per family (module parameter esp_aead):
 *   - auto (default): at load, one 1420-byte ESP packet is encrypted over
 *     and over, through the crypto API, by the family's fastest variant
 *     and by what the kernel would pick without this module (its own
 *     driver). If ours is at least 5 % faster, the family's drivers are
 *     registered above every in-tree driver, so that XFRM picks them for
 *     new SAs; otherwise they step aside (registered below the kernel's
 *     drivers, still usable by driver name) and the log says so, with the
 *     figures;
 *   - on: above, without measuring;
 *   - off: nothing registered.
 * The kernel's crypto self-tests run on each algorithm when it is
 * registered (with CONFIG_CRYPTO_MANAGER_EXTRA_TESTS, the randomized
 * comparison with the generic templates too); a failed self-test leaves
 * the algorithm unusable, as for any driver.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <crypto/aead.h>
#include <crypto/internal/aead.h>
#include <crypto/internal/simd.h>

#include "pqrekey.h"
#include "aead/impl.h"

static char *esp_aead = "auto";
module_param(esp_aead, charp, 0444);
MODULE_PARM_DESC(esp_aead,
		 "ESP AEAD drivers: auto (above the kernel's own where measured faster at load, else below them), on (always above), off (none)");

/* above every in-tree AEAD driver (7.3's VAES AES-GCM is at 800) */
#define PQREKEY_AEAD_PRIO_ABOVE	1000
/* below them all but the bare templates' generic instances */
#define PQREKEY_AEAD_PRIO_ASIDE	100
#define PQREKEY_AEAD_MAX	8
#define PQREKEY_CAL_LEN		1420
#define PQREKEY_CAL_ROUNDS	5
#define PQREKEY_CAL_OPS		32

/**
 * struct pqrekey_aead_family - names and sizes of one AEAD family.
 * @family: its enum pqaead_family
 * @cra_name: the plain and the ESP form's algorithm names
 * @drv: the same as driver-name stems
 * @keylen: the raw key length used to measure (AES-256, ChaCha20)
 */
struct pqrekey_aead_family {
	enum pqaead_family family;
	const char *cra_name[2];
	const char *drv[2];
	unsigned int keylen;
};

static const struct pqrekey_aead_family pqrekey_aead_families[] = {
	{ PQAEAD_GCM, { "gcm(aes)", "rfc4106(gcm(aes))" },
	  { "gcm-aes", "rfc4106-gcm-aes" }, 32 },
	{ PQAEAD_CHACHAPOLY,
	  { "rfc7539(chacha20,poly1305)", "rfc7539esp(chacha20,poly1305)" },
	  { "rfc7539-chacha20-poly1305", "rfc7539esp-chacha20-poly1305" }, 32 },
};

static struct aead_alg pqrekey_aead_algs[PQREKEY_AEAD_MAX];
static struct pqrekey_aead_alg pqrekey_aead_meta[PQREKEY_AEAD_MAX];
#if IS_ENABLED(CONFIG_CRYPTO_SIMD)
static struct simd_aead_alg *pqrekey_aead_simd[PQREKEY_AEAD_MAX];
#endif
static unsigned int pqrekey_aead_count;
/* the measurement's copies of pqrekey_aead_algs, while registered */
static struct aead_alg *pqrekey_aead_cal;

/**
 * pqrekey_aead_alg_of() - the variant and form behind a tfm.
 * @tfm: a tfm of one of this module's internal AEAD algorithms
 *
 * Return: its entry in the registration table.
 */
const struct pqrekey_aead_alg *pqrekey_aead_alg_of(struct crypto_aead *tfm)
{
	const struct aead_alg *a = crypto_aead_alg(tfm);
	const struct aead_alg *base = pqrekey_aead_algs;

	if (pqrekey_aead_cal && a >= pqrekey_aead_cal &&
	    a < pqrekey_aead_cal + pqrekey_aead_count)
		base = pqrekey_aead_cal;
	return &pqrekey_aead_meta[a - base];
}

/*
 * Nanoseconds per encryption of one ESP-shaped packet (16 bytes of
 * associated data including the 8-byte IV, PQREKEY_CAL_LEN bytes of text,
 * a 16-byte tag, in place), the best of a few rounds, through the crypto
 * API; 0 if the algorithm cannot be used.
 */
static u64 pqrekey_aead_time(const char *name, u32 type, u32 mask,
			     unsigned int keylen, char *drv, size_t drvlen)
{
	unsigned int total = 16 + PQREKEY_CAL_LEN + 16, r, i;
	struct crypto_aead *tfm;
	struct aead_request *req;
	struct scatterlist sg;
	DECLARE_CRYPTO_WAIT(wait);
	u8 key[36] = { 0 }, iv[12] = { 0 };
	u64 best = 0, t;
	u8 *buf;
	int err;

	tfm = crypto_alloc_aead(name, type, mask);
	if (IS_ERR(tfm))
		return 0;
	strscpy(drv, crypto_tfm_alg_driver_name(crypto_aead_tfm(tfm)), drvlen);
	buf = kzalloc(total, GFP_KERNEL);
	req = aead_request_alloc(tfm, GFP_KERNEL);
	if (!buf || !req ||
	    crypto_aead_setkey(tfm, key, keylen + 4) ||
	    crypto_aead_setauthsize(tfm, 16))
		goto out;
	sg_init_one(&sg, buf, total);
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP,
				  crypto_req_done, &wait);
	aead_request_set_ad(req, 16);
	aead_request_set_crypt(req, &sg, &sg, PQREKEY_CAL_LEN, iv);
	for (r = 0; r <= PQREKEY_CAL_ROUNDS; r++) {
		t = ktime_get_ns();
		for (i = 0; i < PQREKEY_CAL_OPS; i++) {
			err = crypto_wait_req(crypto_aead_encrypt(req), &wait);
			if (err)
				goto out;
		}
		t = ktime_get_ns() - t;
		if (r && (!best || t < best))	/* round 0 warms up */
			best = t;
		cond_resched();
	}
	best = max_t(u64, best / PQREKEY_CAL_OPS, 1);
out:
	aead_request_free(req);
	kfree(buf);
	crypto_free_aead(tfm);
	return best;
}

/*
 * Whether a family's drivers go above the kernel's own: its fastest
 * variant against what crypto_alloc_aead() picks without this module.
 */
static bool pqrekey_aead_above(const struct pqrekey_aead_family *f,
			       const struct pqaead_impl *best)
{
	char ours[CRYPTO_MAX_ALG_NAME], theirs[CRYPTO_MAX_ALG_NAME], name[64];
	u64 t_ours, t_theirs;

	if (!strcmp(esp_aead, "on"))
		return true;
	snprintf(name, sizeof(name), "__pqrekey-%s-%s", f->drv[1], best->name);
	t_ours = pqrekey_aead_time(name, CRYPTO_ALG_INTERNAL,
				   CRYPTO_ALG_INTERNAL, f->keylen, ours,
				   sizeof(ours));
	t_theirs = pqrekey_aead_time(f->cra_name[1], 0, 0, f->keylen, theirs,
				     sizeof(theirs));
	if (!t_ours) {
		pr_warn("%s: %s does not work, stepping aside\n",
			f->cra_name[1], name);
		return false;
	}
	if (!t_theirs) {
		pr_info("%s: the kernel has none of its own; %s in front\n",
			f->cra_name[1], ours + 2);
		return true;
	}
	if (t_ours * 100 <= t_theirs * 95) {
		pr_info("%s: %s %llu ns, the kernel's %s %llu ns per %u-byte packet: in front\n",
			f->cra_name[1], ours + 2, t_ours, theirs, t_theirs,
			PQREKEY_CAL_LEN);
		return true;
	}
	pr_info("%s: %s %llu ns, the kernel's %s %llu ns per %u-byte packet: the kernel's is as fast, stepping aside (priority %d)\n",
		f->cra_name[1], ours + 2, t_ours, theirs, t_theirs,
		PQREKEY_CAL_LEN, PQREKEY_AEAD_PRIO_ASIDE);
	return false;
}

/* Fill the table: both forms of every usable variant of @f. */
static const struct pqaead_impl *
pqrekey_aead_add(const struct pqrekey_aead_family *f)
{
	const struct pqaead_impl *const *ip, *best = NULL;
	struct pqrekey_aead_alg *pa;
	struct aead_alg *a;
	unsigned int form;

	for (ip = pqaead_impls; *ip; ip++) {
		if ((*ip)->family != f->family || !(*ip)->usable())
			continue;
		for (form = 0; form < 2; form++) {
			if (WARN_ON(pqrekey_aead_count >= PQREKEY_AEAD_MAX))
				return best;
			a = &pqrekey_aead_algs[pqrekey_aead_count];
			pa = &pqrekey_aead_meta[pqrekey_aead_count++];
			pa->impl = *ip;
			pa->esp = form;
			memset(a, 0, sizeof(*a));
			pqrekey_aead_fill(a, pa);
			snprintf(a->base.cra_name, sizeof(a->base.cra_name),
				 "__%s", f->cra_name[form]);
			snprintf(a->base.cra_driver_name,
				 sizeof(a->base.cra_driver_name),
				 "__pqrekey-%s-%s", f->drv[form], (*ip)->name);
			a->base.cra_priority = PQREKEY_AEAD_PRIO_ASIDE +
					       (*ip)->rank;
			a->base.cra_module = THIS_MODULE;
		}
		if (!best || (*ip)->rank > best->rank)
			best = *ip;
	}
	return best;
}

/*
 * Set the priorities: measured (esp_aead=auto) with copies of the internal
 * algorithms registered alone (internal: no self-tests, nobody else picks
 * them) and unregistered again, so that the real ones are registered once.
 * Built into the kernel, the algorithms registered during boot keep a
 * reference until the boot-time self-tests start, so they could not be
 * unregistered here: no measurement, they go in front (as esp_aead=on).
 */
static int pqrekey_aead_calibrate(const struct pqaead_impl **best,
				  const unsigned int *first)
{
	struct aead_alg *cal = NULL;
	unsigned int fi, i;
	bool above;
	int err;

	if (!IS_BUILTIN(CONFIG_CRYPTO_PQREKEY)) {
		if (strcmp(esp_aead, "on")) {
			cal = kmemdup(pqrekey_aead_algs,
				      pqrekey_aead_count * sizeof(*cal),
				      GFP_KERNEL);
			if (!cal)
				return -ENOMEM;
			pqrekey_aead_cal = cal;
			err = crypto_register_aeads(cal, pqrekey_aead_count);
			if (err) {
				pqrekey_aead_cal = NULL;
				kfree(cal);
				return err;
			}
		}
	} else if (strcmp(esp_aead, "on")) {
		pr_info("built in: ESP AEADs in front without measuring\n");
	}
	for (fi = 0; fi < ARRAY_SIZE(pqrekey_aead_families); fi++) {
		if (!best[fi])
			continue;
		above = !cal || pqrekey_aead_above(&pqrekey_aead_families[fi],
						   best[fi]);
		for (i = first[fi]; i < first[fi + 1]; i++)
			pqrekey_aead_algs[i].base.cra_priority =
				(above ? PQREKEY_AEAD_PRIO_ABOVE :
					 PQREKEY_AEAD_PRIO_ASIDE) +
				pqrekey_aead_meta[i].impl->rank;
	}
	if (cal) {
		crypto_unregister_aeads(cal, pqrekey_aead_count);
		pqrekey_aead_cal = NULL;
		kfree(cal);
	}
	return 0;
}

/**
 * pqrekey_aead_check_param() - refuse a bad esp_aead before any work.
 *
 * Return: 0, or -EINVAL (logged) for a value other than auto, on or off.
 */
int pqrekey_aead_check_param(void)
{
	if (strcmp(esp_aead, "auto") && strcmp(esp_aead, "on") &&
	    strcmp(esp_aead, "off")) {
		pr_err("esp_aead=%s: expected auto, on or off\n", esp_aead);
		return -EINVAL;
	}
	return 0;
}

/**
 * pqrekey_aead_register() - register the ESP AEADs this CPU can run.
 *
 * Measures (esp_aead=auto), then registers them with their priorities,
 * behind the SIMD wrapper where the kernel has it.
 *
 * Return: 0 (also when there is nothing to register), or a negative errno.
 */
int pqrekey_aead_register(void)
{
	const struct pqaead_impl *best[ARRAY_SIZE(pqrekey_aead_families)];
	unsigned int first[ARRAY_SIZE(pqrekey_aead_families) + 1], fi, i;
	int err;

	if (!strcmp(esp_aead, "off")) {
		pr_info("ESP AEADs not registered (esp_aead=off)\n");
		return 0;
	}
	pqrekey_aead_count = 0;
	for (fi = 0; fi < ARRAY_SIZE(pqrekey_aead_families); fi++) {
		first[fi] = pqrekey_aead_count;
		best[fi] = pqrekey_aead_add(&pqrekey_aead_families[fi]);
	}
	first[fi] = pqrekey_aead_count;
	if (!pqrekey_aead_count)
		return 0;

	err = pqrekey_aead_calibrate(best, first);
	if (err)
		return err;

#if IS_ENABLED(CONFIG_CRYPTO_SIMD)
	err = simd_register_aeads_compat(pqrekey_aead_algs, pqrekey_aead_count,
					 pqrekey_aead_simd);
#else
	for (i = 0; i < pqrekey_aead_count; i++) {
		struct crypto_alg *b = &pqrekey_aead_algs[i].base;

		memmove(b->cra_name, b->cra_name + 2, strlen(b->cra_name) - 1);
		memmove(b->cra_driver_name, b->cra_driver_name + 2,
			strlen(b->cra_driver_name) - 1);
		b->cra_flags &= ~CRYPTO_ALG_INTERNAL;
	}
	err = crypto_register_aeads(pqrekey_aead_algs, pqrekey_aead_count);
#endif
	if (err) {
		pqrekey_aead_count = 0;
		return err;
	}
	for (i = 0; i < pqrekey_aead_count; i++)
		pr_info("%s: %s, priority %d\n",
			pqrekey_aead_algs[i].base.cra_name +
				(IS_ENABLED(CONFIG_CRYPTO_SIMD) ? 2 : 0),
			pqrekey_aead_algs[i].base.cra_driver_name +
				(IS_ENABLED(CONFIG_CRYPTO_SIMD) ? 2 : 0),
			pqrekey_aead_algs[i].base.cra_priority);
	return 0;
}

/**
 * pqrekey_aead_unregister() - undo pqrekey_aead_register().
 */
void pqrekey_aead_unregister(void)
{
	if (!pqrekey_aead_count)
		return;
#if IS_ENABLED(CONFIG_CRYPTO_SIMD)
	simd_unregister_aeads(pqrekey_aead_algs, pqrekey_aead_count,
			      pqrekey_aead_simd);
#else
	crypto_unregister_aeads(pqrekey_aead_algs, pqrekey_aead_count);
#endif
	pqrekey_aead_count = 0;
}
