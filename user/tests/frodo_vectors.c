// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Runs the FrodoKEM known answers of ../shared/vectors/frodokem/ (the
 * salted FrodoKEM of the reference, see its README) against the portable
 * core (kernel/frodo), and checks its AES-128 against FIPS 197.
 *
 * Per parameter set (FrodoKEM-{976,1344}-{AES,SHAKE}.json) four groups:
 *   keygen    10 KATs: keygen_randomness -> pk, sk
 *   encaps    10 KATs: pk, encaps_randomness -> ct, ss
 *   decaps    10 KATs: sk, ct -> ss
 *   reject    the file's 5 corrupted ciphertexts (ss = SHAKE256(ct' || s)),
 *             plus one more per KAT: the last byte of c2 flipped, whose
 *             expected ss the test computes itself from the KAT's sk
 * and, without vectors too, "aes128" (FIPS 197 appendix C.1, the S-box
 * against inversion in GF(2^8), 64 blocks in one call against block by
 * block) and "roundtrip" (random keygen, encaps, decaps and a corrupted
 * ciphertext, per set, through the random wrappers).
 *
 *   frodo_vectors [-v] [VECTORS_DIR]
 * The unit is a group; a missing directory or file is "skip - GROUP". The
 * last line is "N passed, N failed, N skipped"; exit status 1 on failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json.h>

#include "frodo.h"
#include "hex.h"
#include "report.h"

#define NKAT	10
#define NREJ	5

static const struct frodo_params *const sets[] = {
	&frodo976aes_params, &frodo976shake_params,
	&frodo1344aes_params, &frodo1344shake_params,
};

static bool get_blob(struct group *g, const char *id, json_object *o,
		     const char *key, size_t want, struct blob *b)
{
	json_object *v;

	b->p = NULL;
	b->n = 0;
	b->present = false;
	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string)) {
		case_fail(g, id, "field \"%s\" missing or not a string", key);
		return false;
	}
	if (!hex_decode(b, json_object_get_string(v),
			(size_t)json_object_get_string_len(v))) {
		case_fail(g, id, "field \"%s\" is not hex", key);
		return false;
	}
	if (want && b->n != want) {
		case_fail(g, id, "field \"%s\": %zu bytes, expected %zu", key,
			  b->n, want);
		blob_free(b);
		return false;
	}
	return true;
}

static bool same(struct group *g, const char *id, const char *what,
		 const u8 *got, const u8 *exp, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (got[i] != exp[i]) {
			case_fail(g, id, "%s differs at byte %zu (got %02x, expected %02x)",
				  what, i, got[i], exp[i]);
			return false;
		}
	return true;
}

static int get_int(json_object *o, const char *key, int dflt)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return dflt;
	return json_object_get_int(v);
}

struct kat {
	struct blob kr, pk, sk, er, ct, ss;
};

static void kat_free(struct kat *k)
{
	blob_free(&k->kr);
	blob_free(&k->pk);
	blob_free(&k->sk);
	blob_free(&k->er);
	blob_free(&k->ct);
	blob_free(&k->ss);
}

static bool kat_load(struct group *g, const char *id,
		     const struct frodo_params *p, json_object *o,
		     struct kat *k)
{
	memset(k, 0, sizeof(*k));
	return get_blob(g, id, o, "keygen_randomness", frodo_keygen_coins(p),
			&k->kr) &&
	       get_blob(g, id, o, "pk", p->pk_len, &k->pk) &&
	       get_blob(g, id, o, "sk", p->sk_len, &k->sk) &&
	       get_blob(g, id, o, "encaps_randomness", frodo_encaps_coins(p),
			&k->er) &&
	       get_blob(g, id, o, "ct", p->ct_len, &k->ct) &&
	       get_blob(g, id, o, "ss", p->ss_len, &k->ss);
}

struct bufs {
	u8 pk[FRODO_MAX_PK_BYTES], sk[FRODO_MAX_SK_BYTES];
	u8 ct[FRODO_MAX_CT_BYTES], ss[FRODO_MAX_SS_BYTES];
	u8 exp[FRODO_MAX_SS_BYTES];
};

static void run_set(const struct frodo_params *p, json_object *root,
		    struct frodo_ws *ws, struct bufs *b)
{
	struct group gk, ge, gd, gr;
	json_object *kats = NULL, *rej = NULL;
	char name[4][96], id[48];
	size_t i;

	snprintf(name[0], sizeof(name[0]), "%s keygen (%s)", p->name,
		 ws->impl->name);
	snprintf(name[1], sizeof(name[1]), "%s encaps (%s)", p->name,
		 ws->impl->name);
	snprintf(name[2], sizeof(name[2]), "%s decaps (%s)", p->name,
		 ws->impl->name);
	snprintf(name[3], sizeof(name[3]), "%s reject (%s)", p->name,
		 ws->impl->name);
	group_begin(&gk, name[0]);
	group_begin(&ge, name[1]);
	group_begin(&gd, name[2]);
	group_begin(&gr, name[3]);

	if (!json_object_object_get_ex(root, "kat", &kats) ||
	    !json_object_is_type(kats, json_type_array) ||
	    json_object_array_length(kats) != NKAT)
		group_error(&gk, "\"kat\" is not an array of %d", NKAT);
	if (!json_object_object_get_ex(root, "rejection", &rej) ||
	    !json_object_is_type(rej, json_type_array) ||
	    json_object_array_length(rej) != NREJ)
		group_error(&gr, "\"rejection\" is not an array of %d", NREJ);

	for (i = 0; kats && i < json_object_array_length(kats) && i < NKAT;
	     i++) {
		json_object *o = json_object_array_get_idx(kats, i);
		struct kat k;
		size_t sec = p->sec;

		snprintf(id, sizeof(id), "count %d", get_int(o, "count", -1));
		if (!kat_load(&gk, id, p, o, &k)) {
			group_error(&ge, "%s: unreadable", id);
			group_error(&gd, "%s: unreadable", id);
			group_error(&gr, "%s: unreadable", id);
			kat_free(&k);
			continue;
		}

		gk.cases++;
		memset(b->pk, 0xa5, p->pk_len);
		memset(b->sk, 0xa5, p->sk_len);
		frodo_keygen_internal(p, b->pk, b->sk, k.kr.p, ws);
		if (same(&gk, id, "pk", b->pk, k.pk.p, p->pk_len))
			same(&gk, id, "sk", b->sk, k.sk.p, p->sk_len);

		ge.cases++;
		memset(b->ct, 0xa5, p->ct_len);
		memset(b->ss, 0xa5, p->ss_len);
		frodo_encaps_internal(p, b->ct, b->ss, k.pk.p, k.er.p, ws);
		if (same(&ge, id, "ct", b->ct, k.ct.p, p->ct_len))
			same(&ge, id, "ss", b->ss, k.ss.p, p->ss_len);

		gd.cases++;
		memset(b->ss, 0xa5, p->ss_len);
		frodo_decaps(p, b->ss, k.ct.p, k.sk.p, ws);
		same(&gd, id, "ss", b->ss, k.ss.p, p->ss_len);

		/* the last byte of c2 flipped: the rejection secret
		 * SHAKE256(ct' || s), computed here from the KAT's sk
		 */
		gr.cases++;
		memcpy(b->ct, k.ct.p, p->ct_len);
		b->ct[p->ct_len - 2 * sec - 1] ^= 0x01;
		{
			struct mlkem_keccak h;

			mlkem_shake256_init(&h);
			mlkem_keccak_absorb(&h, b->ct, p->ct_len);
			mlkem_keccak_absorb(&h, k.sk.p, sec);
			mlkem_shake_finalize(&h);
			mlkem_keccak_squeeze(&h, b->exp, sec);
		}
		memset(b->ss, 0xa5, p->ss_len);
		frodo_decaps(p, b->ss, b->ct, k.sk.p, ws);
		snprintf(id, sizeof(id), "count %d c2 tail",
			 get_int(o, "count", -1));
		if (same(&gr, id, "rejection ss", b->ss, b->exp, sec) &&
		    !memcmp(b->ss, k.ss.p, sec))
			case_fail(&gr, id, "rejection ss equals the real one");
		kat_free(&k);
	}

	for (i = 0; rej && kats && i < json_object_array_length(rej) &&
	     i < NREJ; i++) {
		json_object *o = json_object_array_get_idx(rej, i);
		json_object *ko, *c;
		struct blob ct, ss, sk, vss;
		int kc = get_int(o, "kat_count", -1);
		int off = get_int(o, "offset", -1), x = get_int(o, "xor", 0);

		json_object_object_get_ex(o, "case", &c);
		snprintf(id, sizeof(id), "rejection %s",
			 c ? json_object_get_string(c) : "?");
		gr.cases++;
		if (kc < 0 || kc >= NKAT || off < 0 || (size_t)off >= p->ct_len ||
		    !x) {
			case_fail(&gr, id, "bad kat_count, offset or xor");
			continue;
		}
		ko = json_object_array_get_idx(kats, kc);
		if (!get_blob(&gr, id, o, "ct", p->ct_len, &ct))
			continue;
		if (!get_blob(&gr, id, o, "ss", p->ss_len, &ss) ||
		    !get_blob(&gr, id, ko, "sk", p->sk_len, &sk)) {
			blob_free(&ct);
			blob_free(&ss);
			continue;
		}
		if (!get_blob(&gr, id, ko, "ss", p->ss_len, &vss)) {
			blob_free(&ct);
			blob_free(&ss);
			blob_free(&sk);
			continue;
		}
		memset(b->ss, 0xa5, p->ss_len);
		frodo_decaps(p, b->ss, ct.p, sk.p, ws);
		if (same(&gr, id, "ss", b->ss, ss.p, p->ss_len) &&
		    !memcmp(b->ss, vss.p, p->ss_len))
			case_fail(&gr, id, "rejection ss equals the real one");
		blob_free(&ct);
		blob_free(&ss);
		blob_free(&sk);
		blob_free(&vss);
	}
	if (gr.cases != NKAT + NREJ)
		group_error(&gr, "%lu cases, expected %d", gr.cases,
			    NKAT + NREJ);
	if (gk.cases != NKAT)
		group_error(&gk, "%lu cases, expected %d", gk.cases, NKAT);
	group_end(&gk);
	group_end(&ge);
	group_end(&gd);
	group_end(&gr);
}

/* GF(2^8) inverse by brute force, for the S-box check. */
static u8 gf_mul_ref(u8 a, u8 b)
{
	u8 r = 0;

	while (b) {
		if (b & 1)
			r ^= a;
		a = (u8)((a << 1) ^ ((a & 0x80) ? 0x1b : 0));
		b >>= 1;
	}
	return r;
}

static u8 sbox_ref(u8 x)
{
	u8 inv = 0, s;
	int y, i;

	for (y = 1; y < 256 && x; y++)
		if (gf_mul_ref(x, (u8)y) == 1)
			inv = (u8)y;
	s = 0x63;
	for (i = 0; i < 8; i++) {
		u8 bit = ((inv >> i) ^ (inv >> ((i + 4) & 7)) ^
			  (inv >> ((i + 5) & 7)) ^ (inv >> ((i + 6) & 7)) ^
			  (inv >> ((i + 7) & 7))) & 1;
		s ^= (u8)(bit << i);
	}
	return s;
}

/* Without vectors too: random keys and coins, the random wrappers. */
static void run_roundtrip(struct frodo_ws *ws, struct bufs *b)
{
	struct group g;
	size_t i;

	char name[64];

	snprintf(name, sizeof(name), "roundtrip (%s)", ws->impl->name);
	group_begin(&g, name);
	for (i = 0; i < ARRAY_SIZE(sets); i++) {
		const struct frodo_params *p = sets[i];
		u8 ss2[FRODO_MAX_SS_BYTES];

		g.cases++;
		frodo_keygen(p, b->pk, b->sk, ws);
		frodo_encaps(p, b->ct, b->ss, b->pk, ws);
		frodo_decaps(p, ss2, b->ct, b->sk, ws);
		if (!same(&g, p->name, "decaps ss", ss2, b->ss, p->ss_len))
			continue;
		b->ct[i * 1000] ^= 0x04;	/* c1: implicit rejection */
		frodo_decaps(p, ss2, b->ct, b->sk, ws);
		if (!memcmp(ss2, b->ss, p->ss_len))
			case_fail(&g, p->name,
				  "a corrupted ciphertext gives the real ss");
	}
	group_end(&g);
}

static void run_aes(struct frodo_ws *ws)
{
	static const u8 key[16] = {
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
		0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	};
	static const u8 pt[16] = {
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
		0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	};
	static const u8 exp[16] = {	/* FIPS 197 appendix C.1 */
		0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
		0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a,
	};
	u8 blocks[64 * 16], one[16];
	struct group g;
	int x, l;

	group_begin(&g, "aes128");
	g.cases++;
	for (x = 0; x < 256; x++)
		if (frodo_aes_sbox((u8)x) != sbox_ref((u8)x)) {
			case_fail(&g, "sbox", "S(%02x) = %02x, expected %02x",
				  x, frodo_aes_sbox((u8)x), sbox_ref((u8)x));
			break;
		}
	g.cases++;
	frodo_aes128_setkey(&ws->aes, key);
	memcpy(one, pt, 16);
	frodo_aes128_ecb(&ws->aes, one, one, 1);
	same(&g, "FIPS 197 C.1", "ciphertext", one, exp, 16);
	/* 64 different blocks at once == one at a time, and block 0 == C.1 */
	g.cases++;
	for (l = 0; l < 64; l++) {
		memcpy(blocks + 16 * l, pt, 16);
		blocks[16 * l + 15] ^= (u8)(l * 37);
		blocks[16 * l + 3] ^= (u8)(l * 11);
	}
	frodo_aes128_ecb(&ws->aes, blocks, blocks, 64);
	for (l = 0; l < 64; l++) {
		memcpy(one, pt, 16);
		one[15] ^= (u8)(l * 37);
		one[3] ^= (u8)(l * 11);
		frodo_aes128_ecb(&ws->aes, one, one, 1);
		if (!same(&g, "64 lanes", "block", blocks + 16 * l, one, 16))
			break;
	}
	group_end(&g);
}

/* The known answers of every set on the backend of @ws. */
static void run_kats(const char *root, struct frodo_ws *ws, struct bufs *b)
{
	struct stat st;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sets); i++) {
		const struct frodo_params *p = sets[i];
		char path[4096];
		json_object *o;
		const char *ops[] = { "keygen", "encaps", "decaps", "reject" };
		size_t j;

		snprintf(path, sizeof(path), "%s/frodokem/%s.json", root,
			 p->name);
		if (stat(path, &st)) {
			for (j = 0; j < ARRAY_SIZE(ops); j++) {
				char name[96];

				snprintf(name, sizeof(name), "%s %s (%s)", p->name,
					 ops[j], ws->impl->name);
				group_skip(name, "no vectors");
			}
			continue;
		}
		o = json_object_from_file(path);
		if (!o) {
			struct group g;

			group_begin(&g, p->name);
			group_error(&g, "cannot parse %s", path);
			group_end(&g);
			continue;
		}
		run_set(p, o, ws, b);
		json_object_put(o);
	}
}

/*
 * Differential: random coins through the portable backend and the one of
 * @ws, byte for byte (keys, ciphertext, secrets, and the rejection secret
 * of a corrupted ciphertext).
 */
static void run_diff(struct frodo_ws *ws, struct bufs *b)
{
	const struct frodo_impl *impl = ws->impl;
	static struct bufs g;
	u8 coins[FRODO_MAX_KEYGEN_COINS], ss2[FRODO_MAX_SS_BYTES];
	char name[64];
	struct group gr;
	size_t i, r;

	snprintf(name, sizeof(name), "generic vs %s", impl->name);
	group_begin(&gr, name);
	for (i = 0; i < ARRAY_SIZE(sets); i++) {
		const struct frodo_params *p = sets[i];

		for (r = 0; r < 3; r++) {
			gr.cases++;
			mlkem_randombytes(coins, sizeof(coins));
			frodo_ws_set_impl(ws, &frodo_impl_generic);
			frodo_keygen_internal(p, g.pk, g.sk, coins, ws);
			frodo_ws_set_impl(ws, impl);
			frodo_keygen_internal(p, b->pk, b->sk, coins, ws);
			if (!same(&gr, p->name, "keygen pk", b->pk, g.pk,
				  p->pk_len) ||
			    !same(&gr, p->name, "keygen sk", b->sk, g.sk,
				  p->sk_len))
				continue;
			mlkem_randombytes(coins, sizeof(coins));
			frodo_ws_set_impl(ws, &frodo_impl_generic);
			frodo_encaps_internal(p, g.ct, g.ss, g.pk, coins, ws);
			frodo_ws_set_impl(ws, impl);
			frodo_encaps_internal(p, b->ct, b->ss, b->pk, coins, ws);
			if (!same(&gr, p->name, "encaps ct", b->ct, g.ct,
				  p->ct_len) ||
			    !same(&gr, p->name, "encaps ss", b->ss, g.ss,
				  p->ss_len))
				continue;
			/* a corrupted c1 entry (implicit rejection) */
			b->ct[(r * 4099) % p->ct_len] ^= (u8)(1 << r);
			memcpy(g.ct, b->ct, p->ct_len);
			frodo_ws_set_impl(ws, &frodo_impl_generic);
			frodo_decaps(p, g.ss, g.ct, g.sk, ws);
			frodo_ws_set_impl(ws, impl);
			frodo_decaps(p, ss2, b->ct, b->sk, ws);
			same(&gr, p->name, "decaps of a corrupted ct", ss2,
			     g.ss, p->ss_len);
		}
	}
	frodo_ws_set_impl(ws, impl);
	group_end(&gr);
}

int main(int argc, char **argv)
{
	const char *root = getenv("VECTORS");
	struct frodo_ws *ws;
	struct bufs *b;
	unsigned int k;
	int opt;

	while ((opt = getopt(argc, argv, "v")) != -1) {
		if (opt == 'v') {
			report_verbose = true;
		} else {
			fprintf(stderr, "usage: frodo_vectors [-v] [VECTORS_DIR]\n");
			return 2;
		}
	}
	if (optind < argc)
		root = argv[optind];
	if (!root || !*root)
		root = "../shared/vectors";
	setvbuf(stdout, NULL, _IOLBF, 0);
	ws = malloc(sizeof(*ws));
	b = malloc(sizeof(*b));
	if (!ws || !b)
		return 2;

	run_aes(ws);
	for (k = 0; k < frodo_nimpls; k++) {
		const struct frodo_impl *impl = frodo_impls[k];

		if (!frodo_impl_usable(impl)) {
			char name[64];

			snprintf(name, sizeof(name), "%s backend", impl->name);
			group_skip(name, "not supported by this CPU");
			continue;
		}
		frodo_ws_set_impl(ws, impl);
		run_roundtrip(ws, b);
		run_kats(root, ws, b);
		if (k)
			run_diff(ws, b);
	}
	free(ws);
	free(b);
	return report_summary();
}
