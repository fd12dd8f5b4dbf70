/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * IKEv2 messages on the wire (RFC 7296 section 3, RFC 7383, RFC 9242,
 * RFC 9370): bytes <-> structures. Syntax only: nothing here knows an SA,
 * a key or a state. parse.c reads, build.c writes.
 *
 * Parsed payloads point into the message buffer (no copies): a struct
 * ike_msg is valid only while that buffer is. Limits (IKE_MAX_*) are the
 * daemon's, stated here once; a message exceeding one is INVALID_SYNTAX.
 */
#ifndef PQIKED_WIRE_H
#define PQIKED_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IKE_HDR_LEN		28
#define IKE_GENERIC_HDR_LEN	4
#define IKE_VERSION		0x20	/* major 2, minor 0 */

/* Exchange types. */
enum ike_exchange {
	IKE_SA_INIT = 34,
	IKE_AUTH = 35,
	IKE_CREATE_CHILD_SA = 36,
	IKE_INFORMATIONAL = 37,
	IKE_INTERMEDIATE = 43,		/* RFC 9242 */
	IKE_FOLLOWUP_KE = 44,		/* RFC 9370 */
};

/* Header flags. */
#define IKE_FLAG_INITIATOR	0x08
#define IKE_FLAG_VERSION	0x10
#define IKE_FLAG_RESPONSE	0x20

/* Payload types. */
enum ike_payload_type {
	IKE_PL_NONE = 0,
	IKE_PL_SA = 33,
	IKE_PL_KE = 34,
	IKE_PL_IDI = 35,
	IKE_PL_IDR = 36,
	IKE_PL_CERT = 37,
	IKE_PL_CERTREQ = 38,
	IKE_PL_AUTH = 39,
	IKE_PL_NONCE = 40,
	IKE_PL_NOTIFY = 41,
	IKE_PL_DELETE = 42,
	IKE_PL_VENDOR = 43,
	IKE_PL_TSI = 44,
	IKE_PL_TSR = 45,
	IKE_PL_SK = 46,
	IKE_PL_CP = 47,
	IKE_PL_EAP = 48,
	IKE_PL_SKF = 53,		/* RFC 7383 */
};

/* Security protocol ids (proposals, notifies, deletes). */
enum ike_protocol {
	IKE_PROTO_IKE = 1,
	IKE_PROTO_AH = 2,
	IKE_PROTO_ESP = 3,
};

/* Transform types; 6..12 are ADDKE1..ADDKE7 (RFC 9370), ids as type 4's. */
enum ike_transform_type {
	IKE_TRANS_ENCR = 1,
	IKE_TRANS_PRF = 2,
	IKE_TRANS_INTEG = 3,
	IKE_TRANS_KE = 4,
	IKE_TRANS_ESN = 5,
	IKE_TRANS_ADDKE1 = 6,
	IKE_TRANS_ADDKE7 = 12,
};

#define IKE_ATTR_KEY_LENGTH	14	/* the only transform attribute (TV) */

/* Notify message types the daemon reads or writes. */
enum ike_notify_type {
	IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD = 1,
	IKE_N_INVALID_IKE_SPI = 4,
	IKE_N_INVALID_MAJOR_VERSION = 5,
	IKE_N_INVALID_SYNTAX = 7,
	IKE_N_INVALID_MESSAGE_ID = 9,
	IKE_N_INVALID_SPI = 11,
	IKE_N_NO_PROPOSAL_CHOSEN = 14,
	IKE_N_INVALID_KE_PAYLOAD = 17,
	IKE_N_AUTHENTICATION_FAILED = 24,
	IKE_N_SINGLE_PAIR_REQUIRED = 34,
	IKE_N_NO_ADDITIONAL_SAS = 35,
	IKE_N_INTERNAL_ADDRESS_FAILURE = 36,
	IKE_N_FAILED_CP_REQUIRED = 37,
	IKE_N_TS_UNACCEPTABLE = 38,
	IKE_N_INVALID_SELECTORS = 39,
	IKE_N_TEMPORARY_FAILURE = 43,
	IKE_N_CHILD_SA_NOT_FOUND = 44,
	IKE_N_STATE_NOT_FOUND = 47,		/* RFC 9370 */
	IKE_N_INITIAL_CONTACT = 16384,
	IKE_N_SET_WINDOW_SIZE = 16385,
	IKE_N_USE_TRANSPORT_MODE = 16391,
	IKE_N_REKEY_SA = 16393,
	IKE_N_NAT_DETECTION_SOURCE_IP = 16388,
	IKE_N_NAT_DETECTION_DESTINATION_IP = 16389,
	IKE_N_COOKIE = 16390,
	IKE_N_ESP_TFC_PADDING_NOT_SUPPORTED = 16394,
	IKE_N_NON_FIRST_FRAGMENTS_ALSO = 16395,
	IKE_N_CHILDLESS_IKEV2_SUPPORTED = 16418,	/* RFC 6023 */
	IKE_N_IKEV2_FRAGMENTATION_SUPPORTED = 16430,	/* RFC 7383 */
	IKE_N_SIGNATURE_HASH_ALGORITHMS = 16431,
	IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED = 16438,	/* RFC 9242 */
	IKE_N_ADDITIONAL_KEY_EXCHANGE = 16441,		/* RFC 9370 */
};
#define IKE_N_ERROR_MAX 16383	/* types below are errors */

/* Traffic selector types. */
#define IKE_TS_IPV4_ADDR_RANGE	7
#define IKE_TS_IPV6_ADDR_RANGE	8

/* Limits of one parsed message (the daemon's, not the protocol's). */
#define IKE_MAX_PAYLOADS	32
#define IKE_MAX_PROPOSALS	16
#define IKE_MAX_TRANSFORMS	32
#define IKE_MAX_TS		16

/* The fixed header. SPIs in host order of their 8 wire bytes (big end). */
struct ike_hdr {
	uint64_t spi_i, spi_r;
	uint8_t next;		/* first payload */
	uint8_t version;
	uint8_t exchange;
	uint8_t flags;
	uint32_t msgid;
	uint32_t length;
};

struct ike_transform {
	uint8_t type;
	uint16_t id;
	uint16_t keylen;	/* bits; 0: no Key Length attribute */
};

struct ike_proposal {
	uint8_t num, protocol, spi_size;
	uint8_t spi[8];
	unsigned int ntrans;
	struct ike_transform trans[IKE_MAX_TRANSFORMS];
};

struct ike_ts {
	uint8_t type, ip_proto;
	uint16_t start_port, end_port;
	uint8_t start[16], end[16];	/* 4 or 16 bytes used, by type */
};

/* One payload; @body/@len: the payload after its generic header. */
struct ike_payload {
	uint8_t type;
	bool critical;
	const uint8_t *body;
	size_t len;
	union {
		struct {		/* SA: see ike_msg.proposals */
			unsigned int first, count;
		} sa;
		struct {
			uint16_t group;
			const uint8_t *data;
			size_t len;
		} ke;
		struct {		/* IDi, IDr */
			uint8_t type;
			const uint8_t *data;
			size_t len;
		} id;
		struct {
			uint8_t method;
			const uint8_t *data;
			size_t len;
		} auth;
		struct {		/* Nonce, Vendor ID: body */
			const uint8_t *data;
			size_t len;
		} raw;
		struct {
			uint8_t protocol, spi_size;
			uint16_t type;
			const uint8_t *spi;
			const uint8_t *data;
			size_t len;
		} notify;
		struct {
			uint8_t protocol, spi_size;
			uint16_t nspi;
			const uint8_t *spis;
		} del;
		struct {		/* TSi, TSr: see ike_msg.ts */
			unsigned int first, count;
		} ts;
		struct {
			/* SK: the next-payload field names the first inner payload */
			uint8_t inner;
			uint16_t number, total;	/* SKF only */
			const uint8_t *data;	/* IV || ciphertext || ICV */
			size_t len;
		} sk;
	} u;
};

struct ike_msg {
	struct ike_hdr hdr;
	unsigned int npl;
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	unsigned int nprop;
	struct ike_proposal prop[IKE_MAX_PROPOSALS];
	unsigned int nts;
	struct ike_ts ts[IKE_MAX_TS];
};

/* Why a message was refused; what the daemon may answer is the caller's. */
enum ike_parse_err {
	IKE_OK = 0,
	IKE_ERR_SHORT,		/* shorter than its header says, or than 28 */
	IKE_ERR_LENGTH,		/* header length != datagram length */
	IKE_ERR_VERSION,	/* major version not 2 */
	IKE_ERR_SYNTAX,		/* a payload does not parse */
	IKE_ERR_CRITICAL,	/* unknown payload with the critical bit */
	IKE_ERR_LIMIT,		/* more than the daemon's IKE_MAX_* */
};

struct ike_perr {
	enum ike_parse_err err;
	uint8_t payload;	/* type of the offending payload, or 0 */
	size_t offset;		/* in the buffer given */
	const char *what;	/* a constant string */
};

/*
 * ike_parse() - parses a whole message (header and the unencrypted
 * payload chain; an SK or SKF payload is kept as ciphertext and must be
 * last). Returns 0, or -1 with @e filled.
 */
int ike_parse(const uint8_t *buf, size_t len, struct ike_msg *m,
	      struct ike_perr *e);

/*
 * ike_parse_chain() - parses a payload chain starting with type @first
 * (the decrypted content of an SK payload) and appends it to @m.
 */
int ike_parse_chain(uint8_t first, const uint8_t *buf, size_t len,
		    struct ike_msg *m, struct ike_perr *e);

/* The first payload of @type at or after index @from, or NULL. */
const struct ike_payload *ike_find(const struct ike_msg *m, uint8_t type,
				   unsigned int from);
/* The first Notify of @type, or NULL. */
const struct ike_payload *ike_find_notify(const struct ike_msg *m,
					  uint16_t type);

const char *ike_exchange_name(uint8_t exchange);
const char *ike_payload_name(uint8_t type);
const char *ike_parse_err_name(enum ike_parse_err err);

/* ---- building (build.c) ---- */

/*
 * A message under construction in a caller's buffer. Every ike_put_*()
 * appends one payload and links the previous one to it; a write past the
 * end sets @overflow and writes nothing more (checked once, at the end).
 */
struct ike_builder {
	uint8_t *buf;
	size_t cap, len;
	size_t last_next;	/* offset of the last next-payload field */
	bool overflow;
};

void ike_build_begin(struct ike_builder *b, uint8_t *buf, size_t cap,
		     const struct ike_hdr *h);
/* Sets the header's length; returns the message length, or 0 on overflow. */
size_t ike_build_end(struct ike_builder *b);

/* A payload with an opaque body (Nonce, Vendor ID, CERTREQ, ...). */
void ike_put_raw(struct ike_builder *b, uint8_t type, bool critical,
		 const uint8_t *body, size_t len);
void ike_put_sa(struct ike_builder *b, const struct ike_proposal *p,
		unsigned int n);
void ike_put_ke(struct ike_builder *b, uint16_t group, const uint8_t *data,
		size_t len);
void ike_put_id(struct ike_builder *b, uint8_t type, uint8_t id_type,
		const uint8_t *data, size_t len);
void ike_put_auth(struct ike_builder *b, uint8_t method, const uint8_t *data,
		  size_t len);
void ike_put_notify(struct ike_builder *b, uint8_t protocol,
		    const uint8_t *spi, uint8_t spi_size, uint16_t type,
		    const uint8_t *data, size_t len);
void ike_put_delete(struct ike_builder *b, uint8_t protocol,
		    uint8_t spi_size, const uint8_t *spis, uint16_t nspi);
void ike_put_ts(struct ike_builder *b, uint8_t type, const struct ike_ts *ts,
		unsigned int n);
/*
 * SK (or, with @total > 0, SKF #@number of @total) whose content is
 * @len bytes of IV || ciphertext || ICV, @inner the first inner payload.
 * Returns the offset of the payload's data in the buffer (for in-place
 * encryption), or 0 on overflow.
 */
size_t ike_put_sk(struct ike_builder *b, uint8_t inner, uint16_t number,
		  uint16_t total, size_t len);

/* Big-endian helpers shared by parse.c, build.c and their tests. */
static inline uint16_t ike_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t ike_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t ike_get64(const uint8_t *p)
{
	return (uint64_t)ike_get32(p) << 32 | ike_get32(p + 4);
}

static inline void ike_set16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void ike_set32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void ike_set64(uint8_t *p, uint64_t v)
{
	ike_set32(p, (uint32_t)(v >> 32));
	ike_set32(p + 4, (uint32_t)v);
}

#endif /* PQIKED_WIRE_H */
