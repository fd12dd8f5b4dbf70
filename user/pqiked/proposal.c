// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Proposal strings and selection (proposal.h). The keywords come from the
 * algorithm tables of sk.c, keymat.c and ke.c: there is no keyword table
 * here to keep in step with them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ke.h"
#include "keymat.h"
#include "proposal.h"
#include "sk.h"

static bool is_addke(uint8_t type)
{
	return type >= IKE_TRANS_ADDKE1 && type <= IKE_TRANS_ADDKE7;
}

static bool is_mlkem(uint16_t id)
{
	return id == IKE_KE_MLKEM512 || id == IKE_KE_MLKEM768 ||
	       id == IKE_KE_MLKEM1024;
}

static int add(struct ike_proposal *p, uint8_t type, uint16_t id,
	       uint16_t keylen)
{
	unsigned int i;

	for (i = 0; i < p->ntrans; i++)
		if (p->trans[i].type == type && p->trans[i].id == id &&
		    p->trans[i].keylen == keylen)
			return 0;	/* repeated keyword: once */
	if (p->ntrans >= IKE_MAX_TRANSFORMS)
		return -1;
	p->trans[p->ntrans++] = (struct ike_transform){ type, id, keylen };
	return 0;
}

static bool has_type(const struct ike_proposal *p, uint8_t type)
{
	unsigned int i;

	for (i = 0; i < p->ntrans; i++)
		if (p->trans[i].type == type)
			return true;
	return false;
}

int ike_prop_parse(const char *s, uint8_t protocol, struct ike_proposal *p,
		   char *err, size_t errlen)
{
	char buf[512], *tok, *save = NULL;

	memset(p, 0, sizeof(*p));
	p->protocol = protocol;
	p->num = 1;
	if (strlen(s) >= sizeof(buf)) {
		snprintf(err, errlen, "proposal too long");
		return -1;
	}
	strcpy(buf, s);
	for (tok = strtok_r(buf, "-", &save); tok; tok = strtok_r(NULL, "-", &save)) {
		const struct ike_aead *a = ike_aead_by_name(tok);
		const struct ike_prf *f = NULL;
		const struct ike_ke_method *m;
		uint8_t ke_type = IKE_TRANS_KE;
		const char *name = tok;
		int rc = -1, i;

		if (a) {
			rc = add(p, IKE_TRANS_ENCR, a->id, a->key_bits);
			goto next;
		}
		for (i = IKE_PRF_HMAC_SHA2_256; i <= IKE_PRF_HMAC_SHA2_512; i++)
			if ((f = ike_prf_by_id((uint16_t)i)) && !strcmp(f->name, tok))
				break;
		if (i <= IKE_PRF_HMAC_SHA2_512) {
			if (protocol != IKE_PROTO_IKE) {
				snprintf(err, errlen, "'%s': a PRF is for IKE proposals only", tok);
				return -1;
			}
			rc = add(p, IKE_TRANS_PRF, f->id, 0);
			goto next;
		}
		if (!strcmp(tok, "esn") || !strcmp(tok, "noesn")) {
			if (protocol != IKE_PROTO_ESP) {
				snprintf(err, errlen, "'%s' is for ESP proposals only", tok);
				return -1;
			}
			rc = add(p, IKE_TRANS_ESN, tok[0] == 'e', 0);
			goto next;
		}
		if (tok[0] == 'k' && tok[1] == 'e' && tok[2] >= '1' &&
		    tok[2] <= '7' && tok[3] == '_') {
			ke_type = (uint8_t)(IKE_TRANS_ADDKE1 + tok[2] - '1');
			name = tok + 4;
			if (!strcmp(name, "none")) {
				rc = add(p, ke_type, IKE_KE_NONE, 0);
				goto next;
			}
		}
		m = ike_ke_method_by_name(name);
		if (m && m->core == &ike_frodo_core && ke_type == IKE_TRANS_KE) {
			/* 15-21 KB shares: IKE_SA_INIT cannot be fragmented */
			snprintf(err, errlen, "'%s': FrodoKEM only as an additional exchange (ke1_%s)",
				 tok, name);
			return -1;
		}
		if (m) {
			rc = add(p, ke_type, m->id, 0);
			goto next;
		}
		snprintf(err, errlen, "unknown algorithm '%s' in '%s'", tok, s);
		return -1;
next:
		if (rc) {
			snprintf(err, errlen, "too many algorithms in '%s'", s);
			return -1;
		}
	}
	if (!has_type(p, IKE_TRANS_ENCR)) {
		snprintf(err, errlen, "'%s' has no encryption algorithm (aes128gcm16, aes256gcm16, chacha20poly1305)", s);
		return -1;
	}
	if (protocol == IKE_PROTO_IKE && !has_type(p, IKE_TRANS_PRF)) {
		snprintf(err, errlen, "'%s' has no PRF (prfsha256, prfsha384, prfsha512)", s);
		return -1;
	}
	if (protocol == IKE_PROTO_IKE && !has_type(p, IKE_TRANS_KE)) {
		snprintf(err, errlen, "'%s' has no key exchange method (x25519, ecp256, mlkem768, ...)", s);
		return -1;
	}
	if (protocol == IKE_PROTO_ESP && !has_type(p, IKE_TRANS_ESN))
		add(p, IKE_TRANS_ESN, 0, 0);	/* as strongSwan: noesn */
	return 0;
}

static const char *ke_name(uint16_t id)
{
	const struct ike_ke_method *m = ike_ke_method(id);

	return id == IKE_KE_NONE ? "none" : m ? m->name : "?";
}

void ike_prop_format(const struct ike_proposal *p, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < p->ntrans && off < len; i++) {
		const struct ike_transform *t = &p->trans[i];
		const char *sep = i ? "-" : "";
		int n = 0;

		switch (t->type) {
		case IKE_TRANS_ENCR: {
			const struct ike_aead *a = ike_aead_find(t->id, t->keylen);

			n = snprintf(buf + off, len - off, "%s%s", sep,
				     a ? a->name : "?");
			break;
		}
		case IKE_TRANS_PRF: {
			const struct ike_prf *f = ike_prf_by_id(t->id);

			n = snprintf(buf + off, len - off, "%s%s", sep,
				     f ? f->name : "?");
			break;
		}
		case IKE_TRANS_KE:
			n = snprintf(buf + off, len - off, "%s%s", sep, ke_name(t->id));
			break;
		case IKE_TRANS_ESN:
			n = snprintf(buf + off, len - off, "%s%s", sep,
				     t->id ? "esn" : "noesn");
			break;
		default:
			if (is_addke(t->type))
				n = snprintf(buf + off, len - off, "%ske%d_%s", sep,
					     t->type - IKE_TRANS_ADDKE1 + 1,
					     ke_name(t->id));
			else
				n = snprintf(buf + off, len - off, "%s?", sep);
		}
		if (n < 0)
			return;
		off += (size_t)n;
	}
}

/* Whether @p offers (@type, @id, @keylen); ADDKE absent means NONE. */
static bool offers(const struct ike_proposal *p, uint8_t type, uint16_t id,
		   uint16_t keylen)
{
	unsigned int i;

	if (is_addke(type) && id == IKE_KE_NONE && !has_type(p, type))
		return true;
	for (i = 0; i < p->ntrans; i++)
		if (p->trans[i].type == type && p->trans[i].id == id &&
		    p->trans[i].keylen == keylen)
			return true;
	return false;
}

/* Our first transform of @type that the peer offers; -1 if none. */
static int pick(const struct ike_proposal *mine,
		const struct ike_proposal *peer, uint8_t type)
{
	unsigned int i;

	if (is_addke(type) && !has_type(mine, type))
		return offers(peer, type, IKE_KE_NONE, 0) ? -2 : -1;
	for (i = 0; i < mine->ntrans; i++)
		if (mine->trans[i].type == type &&
		    offers(peer, type, mine->trans[i].id, mine->trans[i].keylen))
			return (int)i;
	return -1;
}

static bool match(const struct ike_proposal *mine,
		  const struct ike_proposal *peer, struct ike_proposal *out)
{
	uint8_t type;

	memset(out, 0, sizeof(*out));
	out->num = peer->num;
	out->protocol = peer->protocol;
	out->spi_size = peer->spi_size;
	memcpy(out->spi, peer->spi, sizeof(out->spi));
	if (mine->protocol != peer->protocol)
		return false;
	for (type = IKE_TRANS_ENCR; type <= IKE_TRANS_ADDKE7; type++) {
		bool in_mine = has_type(mine, type), in_peer = has_type(peer, type);
		int i;

		if (!in_mine && !in_peer)
			continue;
		if (!is_addke(type) && in_mine != in_peer)
			return false;
		i = pick(mine, peer, type);
		if (i == -1)
			return false;
		if (i == -2)
			continue;	/* ADDKE: NONE chosen, omitted */
		if (is_addke(type) && mine->trans[i].id == IKE_KE_NONE)
			continue;
		out->trans[out->ntrans++] = mine->trans[i];
	}
	return true;
}

int ike_prop_select(const struct ike_proposal *mine, unsigned int nmine,
		    const struct ike_proposal *peer, unsigned int npeer,
		    struct ike_proposal *chosen)
{
	unsigned int i, j;

	for (i = 0; i < nmine; i++)
		for (j = 0; j < npeer; j++)
			if (match(&mine[i], &peer[j], chosen))
				return 0;
	return -1;
}

bool ike_prop_valid_choice(const struct ike_proposal *offered, unsigned int n,
			   const struct ike_proposal *chosen)
{
	const struct ike_proposal *o = NULL;
	unsigned int i, count[IKE_TRANS_ADDKE7 + 1] = { 0 };
	uint8_t type;

	for (i = 0; i < n; i++)
		if (offered[i].num == chosen->num)
			o = &offered[i];
	if (!o || o->protocol != chosen->protocol)
		return false;
	for (i = 0; i < chosen->ntrans; i++) {
		const struct ike_transform *t = &chosen->trans[i];

		if (t->type < IKE_TRANS_ENCR || t->type > IKE_TRANS_ADDKE7 ||
		    !offers(o, t->type, t->id, t->keylen) || count[t->type]++)
			return false;
	}
	for (type = IKE_TRANS_ENCR; type <= IKE_TRANS_ADDKE7; type++)
		if (has_type(o, type) && !count[type] &&
		    !(is_addke(type) && offers(o, type, IKE_KE_NONE, 0)))
			return false;
	return true;
}

uint16_t ike_prop_get(const struct ike_proposal *p, uint8_t type)
{
	unsigned int i;

	for (i = 0; i < p->ntrans; i++)
		if (p->trans[i].type == type)
			return p->trans[i].id;
	return 0;
}

uint16_t ike_prop_keylen(const struct ike_proposal *p, uint8_t type)
{
	unsigned int i;

	for (i = 0; i < p->ntrans; i++)
		if (p->trans[i].type == type)
			return p->trans[i].keylen;
	return 0;
}

bool ike_prop_has_mlkem(const struct ike_proposal *p)
{
	unsigned int i;

	for (i = 0; i < p->ntrans; i++)
		if ((p->trans[i].type == IKE_TRANS_KE ||
		     is_addke(p->trans[i].type)) && is_mlkem(p->trans[i].id))
			return true;
	return false;
}
