// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The IKE SA object (sa.h): creation, the message protection both
 * directions share (SK payloads and IntAuth), error notifies, and the
 * dispatch of received messages to the exchange tasks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "sa.h"

static void rand_bytes(uint8_t *p, size_t n)
{
	if (RAND_bytes(p, (int)n) != 1)
		abort();	/* no randomness: nothing safe to do */
}

static uint64_t rand_spi(void)
{
	uint8_t b[8];
	uint64_t v;

	do {
		rand_bytes(b, sizeof(b));
		v = ike_get64(b);
	} while (!v);
	return v;
}

uint64_t (*ike_random_spi)(void) = rand_spi;
void (*ike_random_bytes)(uint8_t *p, size_t n) = rand_bytes;

struct ike_sa *ike_sa_new(const struct ike_conn *conn, bool initiator)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));

	if (!sa)
		return NULL;
	sa->conn = conn;
	sa->initiator = initiator;
	sa->state = IKE_SA_NEW;
	return sa;
}

void ike_sa_free(struct ike_sa *sa)
{
	unsigned int i;

	if (!sa)
		return;
	for (i = 0; i < IKE_MAX_KE; i++)
		ike_ke_free(sa->ke[i]);
	ike_sa_keys_wipe(&sa->keys);
	free(sa->init_req);
	free(sa->init_resp);
	OPENSSL_cleanse(sa, sizeof(*sa));
	free(sa);
}

void ike_out_log(struct ike_out *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out->log, sizeof(out->log), fmt, ap);
	va_end(ap);
}

/* The keys a side sends with / receives with. */
static const uint8_t *ek_of(const struct ike_sa *sa, bool from_initiator)
{
	return from_initiator ? sa->keys.ei : sa->keys.er;
}

static const uint8_t *pk_of(const struct ike_sa *sa, bool from_initiator)
{
	return from_initiator ? sa->keys.pi : sa->keys.pr;
}

/*
 * IntAuth over a message whose SK payload header is at @sk_off and whose
 * inner payloads are @p (RFC 9242 3.3.2): A is the message up to and
 * including that header, with the IKE length set to |A| + |P| and the SK
 * payload length to 4 + |P|.
 */
static int intauth_update(const struct ike_sa *sa, bool from_initiator,
			  const uint8_t *buf, size_t sk_off, const uint8_t *p,
			  size_t p_len, uint8_t *chain)
{
	uint8_t a[IKE_MAX_MSG];
	size_t a_len = sk_off + IKE_GENERIC_HDR_LEN;

	if (a_len > sizeof(a) || a_len + p_len > UINT32_MAX ||
	    IKE_GENERIC_HDR_LEN + p_len > 0xffff)
		return -1;
	memcpy(a, buf, a_len);
	ike_set32(a + 24, (uint32_t)(a_len + p_len));
	ike_set16(a + sk_off + 2, (uint16_t)(IKE_GENERIC_HDR_LEN + p_len));
	return ike_intauth(sa->keys.prf, pk_of(sa, from_initiator),
			   sa->have_intauth ? chain : NULL, a, a_len, p, p_len,
			   chain);
}

size_t ike_sa_seal(struct ike_sa *sa, uint8_t *buf, uint8_t exchange,
		   bool response, uint32_t msgid, const uint8_t *inner,
		   size_t inner_len, uint8_t first_inner, uint8_t *intauth)
{
	struct ike_hdr h = {
		.spi_i = sa->spi_i, .spi_r = sa->spi_r, .exchange = exchange,
		.flags = (uint8_t)((sa->initiator ? IKE_FLAG_INITIATOR : 0) |
				   (response ? IKE_FLAG_RESPONSE : 0)),
		.msgid = msgid,
	};
	struct ike_builder b;
	size_t off, len;

	ike_build_begin(&b, buf, IKE_MAX_MSG, &h);
	off = ike_put_sk(&b, first_inner, 0, 0, inner_len + IKE_SK_OVERHEAD);
	len = ike_build_end(&b);
	if (!off || !len)
		return 0;
	memcpy(buf + off + IKE_SK_IV_LEN, inner, inner_len);
	if (intauth && intauth_update(sa, sa->initiator, buf,
				      off - IKE_GENERIC_HDR_LEN, inner,
				      inner_len, intauth))
		return 0;
	if (ike_sk_seal(sa->aead, ek_of(sa, sa->initiator), sa->iv++, buf, off,
			inner_len + IKE_SK_OVERHEAD))
		return 0;
	return len;
}

int ike_sa_open(struct ike_sa *sa, uint8_t *buf, struct ike_msg *m,
		uint8_t *intauth)
{
	const struct ike_payload *sk = ike_find(m, IKE_PL_SK, 0);
	struct ike_perr e;
	size_t off, inner_len;
	bool from_i = !sa->initiator;

	if (!sk || !sa->aead)
		return -1;
	off = (size_t)(sk->u.sk.data - buf);
	if (ike_sk_open(sa->aead, ek_of(sa, from_i), buf, off, sk->u.sk.len,
			&inner_len))
		return -1;
	if (intauth && intauth_update(sa, from_i, buf, off - IKE_GENERIC_HDR_LEN,
				      buf + off + IKE_SK_IV_LEN, inner_len,
				      intauth))
		return -1;
	return ike_parse_chain(sk->u.sk.inner, buf + off + IKE_SK_IV_LEN,
			       inner_len, m, &e);
}

void ike_sa_notify(struct ike_sa *sa, struct ike_out *out, uint8_t exchange,
		   bool response, uint32_t msgid, uint16_t type,
		   const uint8_t *data, size_t len)
{
	uint8_t inner[512];
	struct ike_builder b;
	struct ike_hdr h = {
		.spi_i = sa->spi_i, .spi_r = sa->spi_r, .exchange = exchange,
		.flags = (uint8_t)((sa->initiator ? IKE_FLAG_INITIATOR : 0) |
				   (response ? IKE_FLAG_RESPONSE : 0)),
		.msgid = msgid,
	};

	out->notify_error = type;
	if (exchange == IKE_SA_INIT || !sa->aead) {
		ike_build_begin(&b, out->msg, sizeof(out->msg), &h);
		ike_put_notify(&b, 0, NULL, 0, type, data, len);
		out->len = ike_build_end(&b);
		return;
	}
	ike_build_begin(&b, inner, sizeof(inner), &h);
	ike_put_notify(&b, 0, NULL, 0, type, data, len);
	if (!ike_build_end(&b)) {
		out->len = 0;
		return;
	}
	out->len = ike_sa_seal(sa, out->msg, exchange, response, msgid,
			       inner + IKE_HDR_LEN, b.len - IKE_HDR_LEN,
			       inner[16], NULL);
}

int ike_sa_start(struct ike_sa *sa, struct ike_out *out)
{
	memset(out, 0, sizeof(*out));
	if (!sa->initiator || sa->state != IKE_SA_NEW)
		return -1;
	return ike_task_init_start(sa, out);
}

int ike_sa_process(struct ike_sa *sa, uint8_t *buf, size_t len,
		   struct ike_out *out)
{
	static struct ike_msg m;	/* the daemon is single-threaded */
	struct ike_perr e;
	bool response;

	memset(out, 0, sizeof(*out));
	if (ike_parse(buf, len, &m, &e)) {
		ike_out_log(out, "dropped a malformed message: %s (%s, payload %s at %zu)",
			    e.what, ike_parse_err_name(e.err),
			    ike_payload_name(e.payload), e.offset);
		return 0;	/* never fails an SA: anyone can send garbage */
	}
	response = m.hdr.flags & IKE_FLAG_RESPONSE;
	if (response != sa->initiator ||
	    !(m.hdr.flags & IKE_FLAG_INITIATOR) != sa->initiator) {
		ike_out_log(out, "dropped a message with the wrong role flags");
		return 0;
	}
	if (sa->state != IKE_SA_NEW &&
	    (m.hdr.spi_i != sa->spi_i ||
	     (m.hdr.spi_r != sa->spi_r && !(sa->initiator &&
					    sa->state == IKE_SA_INIT_SENT)))) {
		ike_out_log(out, "dropped a message for another IKE SA");
		return 0;
	}
	/* the window: one exchange at a time, each message ID once */
	if (sa->initiator ? m.hdr.msgid + 1 != sa->next_msgid :
	    m.hdr.msgid != sa->next_msgid) {
		ike_out_log(out, "dropped %s with message ID %u, expected %u",
			    ike_exchange_name(m.hdr.exchange), m.hdr.msgid,
			    sa->initiator ? sa->next_msgid - 1 : sa->next_msgid);
		return 0;
	}
	switch (m.hdr.exchange) {
	case IKE_SA_INIT:
		if (sa->state != IKE_SA_NEW && sa->state != IKE_SA_INIT_SENT)
			break;
		return ike_task_init_process(sa, buf, len, &m, out);
	case IKE_INTERMEDIATE:
		if (sa->state != IKE_SA_INTERMEDIATE)
			break;
		return ike_task_intermediate_process(sa, buf, &m, out);
	case IKE_AUTH:
		if (sa->state != IKE_SA_INTERMEDIATE &&
		    sa->state != IKE_SA_AUTH_SENT)
			break;
		return ike_task_auth_process(sa, buf, &m, out);
	default:
		break;
	}
	ike_out_log(out, "dropped %s in state %d", ike_exchange_name(m.hdr.exchange),
		    sa->state);
	return 0;
}
