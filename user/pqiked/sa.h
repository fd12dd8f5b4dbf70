/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * An IKE SA and the exchanges that set it up: IKE_SA_INIT (task_init.c),
 * one IKE_INTERMEDIATE per additional key exchange (task_intermediate.c,
 * RFC 9242 and RFC 9370) and IKE_AUTH with a pre-shared key and the first
 * Child SA (task_auth.c). The tasks never touch a socket, XFRM or a timer:
 * they take a received message and return effects (struct ike_out: a
 * message to send, a Child SA to install, an error to log), so that whole
 * exchanges run in-process in the tests. Encrypted messages are cut into
 * RFC 7383 fragments when both sides announced support and reassembled
 * (frag.c). Once established, the INFORMATIONAL exchange (task_info.c)
 * and the rekeying of the Child SA and of the IKE SA (task_rekey.c:
 * CREATE_CHILD_SA and IKE_FOLLOWUP_KE) run in each side's window of one
 * request; requests
 * that find ours busy wait in a queue (ike_sa_request()).
 */
#ifndef PQIKED_SA_H
#define PQIKED_SA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frag.h"
#include "ke.h"
#include "keymat.h"
#include "natt.h"
#include "sk.h"
#include "wire.h"

#define IKE_MAX_MSG		65535
#define IKE_NONCE_LEN		32
#define IKE_MAX_CONF_PROPOSALS	4

/*
 * RFC 6023 childless IKE SAs, strongSwan's values: allow (the default:
 * accepted from a peer, not offered), prefer (offered when the peer
 * announced support), force (always; the peer must support it), never.
 */
enum ike_childless {
	IKE_CHILDLESS_ALLOW,
	IKE_CHILDLESS_PREFER,
	IKE_CHILDLESS_FORCE,
	IKE_CHILDLESS_NEVER,
};

/* One connection's configuration (what swanctl.conf's connection says). */
struct ike_conn {
	const char *name;
	const char *local_id, *remote_id;	/* FQDN identities */
	const uint8_t *psk;
	size_t psk_len;
	struct ike_proposal ike[IKE_MAX_CONF_PROPOSALS];
	unsigned int nike;
	struct ike_proposal esp[IKE_MAX_CONF_PROPOSALS];
	unsigned int nesp;
	struct ike_ts local_ts, remote_ts;
	bool require_mlkem;	/* refuse proposals without ML-KEM */
	enum ike_frag_mode fragmentation;
	unsigned int fragment_size;	/* IP datagram bytes, >= 576 */
	bool encap;		/* ESP in UDP even without a NAT (swanctl's encap) */
	bool transport;		/* the child's mode = transport (USE_TRANSPORT_MODE) */
	enum ike_childless childless;	/* RFC 6023 (swanctl's "childless") */
	struct ike_ke_env ke_env;
};

/* Requests an established SA queues while one of its own is unanswered. */
enum ike_request {
	IKE_REQ_DELETE = 1,		/* Delete of the IKE SA */
	IKE_REQ_DELETE_CHILD = 2,	/* Delete of the rekeyed Child SA */
	IKE_REQ_REKEY_CHILD = 4,	/* CREATE_CHILD_SA rekeying the child */
	IKE_REQ_REKEY_IKE = 8,		/* CREATE_CHILD_SA rekeying the IKE SA */
};

struct ike_rekey;

enum ike_sa_state {
	IKE_SA_NEW,
	IKE_SA_INIT_SENT,	/* initiator */
	IKE_SA_INTERMEDIATE,	/* additional key exchanges under way */
	IKE_SA_AUTH_SENT,	/* initiator */
	IKE_SA_ESTABLISHED,
	IKE_SA_DELETING,	/* our Delete is unanswered */
	IKE_SA_DELETED,		/* gone: the daemon removes it */
	IKE_SA_FAILED,
};

/* A Child SA's keys, for XFRM: one direction each. */
struct ike_child_keys {
	uint32_t spi_in, spi_out;
	const struct ike_aead *aead;
	uint8_t key_in[IKE_MAX_ENCR_KEY], key_out[IKE_MAX_ENCR_KEY];
	bool esn;
	bool encap;		/* ESP in UDP (RFC 3948) */
	bool transport;		/* transport mode, negotiated (RFC 7296 1.3.1) */
};

/* The effects of processing one message (or of starting). */
struct ike_out {
	uint8_t msg[IKE_MAX_MSG];	/* to send; len 0: nothing */
	size_t len;
	/* nfrag > 0: @msg holds nfrag datagrams (RFC 7383 fragments) */
	unsigned int nfrag;
	uint16_t frag_len[IKE_MAX_FRAGS];
	/* the message processed came in that many fragments (0: whole) */
	unsigned int rx_nfrag;
	size_t rx_len;			/* and that many bytes of payloads */
	bool child_ready;		/* install @child: SAs and policies */
	bool child_deleted;		/* the peer deleted the Child SA */
	/*
	 * Rekeying the Child SA (task_rekey.c), make before break, applied
	 * in this order: @child's inbound SA joins the old one under the
	 * same policies; @child's outbound SA replaces @old_spi_out's (the
	 * switch); the old inbound SA @retire_spi_in goes a few seconds
	 * later, once packets in flight on it have arrived.
	 */
	bool child_in, child_out;
	uint32_t old_spi_out;
	uint32_t retire_spi_in;
	uint32_t release_spi;		/* reserved for a child that won't come */
	bool rekey_failed;		/* our rekeying was refused or aborted */
	bool ike_rekey_failed;		/* the same, of the IKE SA */
	/*
	 * The IKE SA was rekeyed: its successor, which has the Child SA now
	 * (the caller owns it); this one is left with its Delete.
	 */
	struct ike_sa *new_sa;
	struct ike_child_keys child;
	uint16_t notify_error;		/* error notify sent or received */
	char log[256];			/* what happened, for the log */
};

struct ike_sa {
	const struct ike_conn *conn;
	bool initiator;
	enum ike_sa_state state;
	uint64_t spi_i, spi_r;
	uint32_t next_msgid;		/* initiator: next request's */
	/* once established, requests go both ways, each in its window */
	uint32_t req_out;		/* our next request's message ID */
	uint32_t req_in;		/* the peer's next request's */
	bool pending;			/* our request (req_out - 1) unanswered */
	bool pending_delete;		/* and it deletes the IKE SA */
	uint32_t pending_delete_spi;	/* or a rekeyed child (our inbound SPI) */
	unsigned int queued;		/* enum ike_request bits: waiting */
	uint32_t delete_child_spi;	/* IKE_REQ_DELETE_CHILD's SPI */
	uint64_t rx_ok;			/* messages that passed the ICV */
	uint8_t ni[IKE_NONCE_LEN], nr[IKE_NONCE_LEN];
	struct ike_proposal chosen;	/* the IKE SA's */
	const struct ike_aead *aead;
	struct ike_sa_keys keys;
	uint64_t iv;			/* SK IV counter (per key, never reused) */
	/* the key exchanges: index 0 in IKE_SA_INIT, n for ADDKEn */
	struct ike_ke *ke[IKE_MAX_KE];
	uint16_t ke_id[IKE_MAX_KE];
	unsigned int nke, ke_done;
	/* RFC 9242 IntAuth chains; have_intauth once an IKE_INTERMEDIATE ran */
	uint8_t intauth_i[IKE_PRF_MAX_LEN], intauth_r[IKE_PRF_MAX_LEN];
	bool have_intauth;
	/* the IKE_SA_INIT messages, signed by AUTH */
	uint8_t *init_req, *init_resp;
	size_t init_req_len, init_resp_len;
	uint16_t retry_group;		/* after INVALID_KE_PAYLOAD */
	/*
	 * NAT traversal: the addresses of the datagram being processed (or of
	 * the first request, for the initiator), set by the daemon; whether
	 * the peer sent NAT detection notifies, and what they found.
	 */
	struct ike_addr local, remote;
	bool natt, nat_local, nat_remote;
	uint8_t cookie[64];		/* the responder's COOKIE (RFC 7296 2.6) */
	size_t cookie_len;
	unsigned int cookie_tries;
	/* RFC 7383: the peer announced it (we send fragments if ours says yes) */
	bool peer_frag;
	bool peer_childless;		/* RFC 6023: it announced support */
	bool childless;			/* this IKE SA was set up without a child */
	struct ike_reasm rx;		/* a request or response in fragments */
	uint8_t *rx_msg;		/* reassembled: header, SK header, inner */
	size_t rx_inner_len;
	struct ike_child_keys child;	/* the Child SA (its outbound SA in use) */
	uint32_t child_spi_local;	/* ours, inbound */
	/*
	 * Rekeying (task_rekey.c): ours and the peer's exchange
	 * (both may run at once: a collision); and, as the responder, the
	 * new child whose outbound SA waits for the peer's Delete of the
	 * old one (the peer has the new inbound SA by then).
	 */
	struct ike_rekey *rk_own, *rk_peer;
	struct ike_child_keys child_next;
	unsigned int rekeys;		/* the Child SA's, completed */
	uint16_t rekey_group;		/* KE method after INVALID_KE_PAYLOAD */
	uint16_t rekey_ike_group;	/* the same, rekeying the IKE SA */
	bool rekeyed;			/* replaced by a successor: Delete left */
	/*
	 * Where our inbound SPIs come from: the daemon reserves them in XFRM
	 * (XFRM_MSG_ALLOCSPI); NULL: random (in-process tests). 0 on failure.
	 */
	uint32_t (*spi_alloc)(void *ctx);
	void *spi_ctx;
};

/* Host-order SPIs, random and non-zero; tests may replace it. */
extern uint64_t (*ike_random_spi)(void);
extern void (*ike_random_bytes)(uint8_t *p, size_t n);

struct ike_sa *ike_sa_new(const struct ike_conn *conn, bool initiator);
void ike_sa_free(struct ike_sa *sa);

/* Initiator: the first IKE_SA_INIT request into @out. */
int ike_sa_start(struct ike_sa *sa, struct ike_out *out);
/*
 * An established SA's requests (task_info.c), into @out: Delete of the IKE
 * SA (state IKE_SA_DELETING until answered) or a liveness check. -1 if
 * the SA is not established or a request of ours is unanswered.
 */
int ike_sa_delete(struct ike_sa *sa, struct ike_out *out);
int ike_sa_dpd(struct ike_sa *sa, struct ike_out *out);
/*
 * Asks for request @req (enum ike_request) of an established SA: sent
 * into @out at once when no request of ours is unanswered, else queued
 * and sent when the answer comes (ike_sa_process() then puts it into
 * that call's @out). 0 (out->len says whether it went), or -1 if the SA
 * is not established (or, for a rekey, has no Child SA).
 */
int ike_sa_request(struct ike_sa *sa, unsigned int req, struct ike_out *out);

/*
 * Processes one received message (@buf is modified: decrypted in place)
 * and writes the effects into @out. Returns 0, or -1 when the SA failed
 * (out->log says why; out->msg may hold a notify to send).
 */
int ike_sa_process(struct ike_sa *sa, uint8_t *buf, size_t len,
		   struct ike_out *out);

/* ---- shared by the tasks (sa.c) ---- */

void ike_out_log(struct ike_out *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * An encrypted message into @out: the IKE header, then an SK payload
 * holding @inner (@inner_len bytes of payloads, the first of type
 * @first_inner), sealed with the sending side's keys; or, when both sides
 * use fragmentation and it does not fit the connection's fragment_size,
 * SKF fragments (out->nfrag). With @intauth not NULL, that IntAuth chain
 * is updated with the message as if unfragmented (RFC 9242 3.3.2).
 * Returns the bytes written to out->msg, or 0.
 */
size_t ike_sa_seal(struct ike_sa *sa, struct ike_out *out, uint8_t exchange,
		   bool response, uint32_t msgid, const uint8_t *inner,
		   size_t inner_len, uint8_t first_inner, uint8_t *intauth);
/*
 * Opens the SK payload of @m (parsed from @buf), appends the inner
 * payloads to @m and, when @intauth is not NULL, extends that IntAuth
 * chain with the message as RFC 9242 3.3.2 defines it (with the keys in
 * force before the exchange's own key update). For a message that came
 * in fragments, ike_sa_process() has authenticated and reassembled it
 * already: its inner payloads are appended and IntAuth covers the
 * reassembled message. 0 or -1.
 */
int ike_sa_open(struct ike_sa *sa, uint8_t *buf, struct ike_msg *m,
		uint8_t *intauth);

/* Notify-only messages (errors), plain in IKE_SA_INIT, else encrypted. */
void ike_sa_notify(struct ike_sa *sa, struct ike_out *out, uint8_t exchange,
		   bool response, uint32_t msgid, uint16_t type,
		   const uint8_t *data, size_t len);

/* The tasks. */
int ike_task_init_start(struct ike_sa *sa, struct ike_out *out);
int ike_task_init_process(struct ike_sa *sa, uint8_t *buf, size_t len,
			  struct ike_msg *m, struct ike_out *out);
int ike_task_intermediate_start(struct ike_sa *sa, struct ike_out *out);
int ike_task_intermediate_process(struct ike_sa *sa, uint8_t *buf,
				  struct ike_msg *m, struct ike_out *out);
int ike_task_auth_start(struct ike_sa *sa, struct ike_out *out);
int ike_task_auth_process(struct ike_sa *sa, uint8_t *buf,
			  struct ike_msg *m, struct ike_out *out);
int ike_task_info_process(struct ike_sa *sa, uint8_t *buf,
			  struct ike_msg *m, struct ike_out *out);
/* Delete of the rekeyed child (IKE_REQ_DELETE_CHILD), into @out. */
int ike_task_info_delete_child(struct ike_sa *sa, struct ike_out *out);
int ike_task_child_start(struct ike_sa *sa, struct ike_out *out);
int ike_task_ike_rekey_start(struct ike_sa *sa, struct ike_out *out);
int ike_task_child_process(struct ike_sa *sa, uint8_t *buf,
			   struct ike_msg *m, struct ike_out *out);
void ike_rekey_free(struct ike_rekey *rk);
/*
 * The IKE SA that replaces @old after a rekeying (RFC 7296 2.18): its
 * original initiator is the rekeying's (@initiator: us), its SPIs and
 * proposal the rekeying's, keys from prf(SK_d(old), SK(0) | Ni | Nr |
 * SK(1) | ...), message IDs from 0; it takes @old's Child SA and
 * settings. NULL on failure.
 */
struct ike_sa *ike_sa_successor(const struct ike_sa *old, bool initiator,
				uint64_t spi_i, uint64_t spi_r,
				const struct ike_proposal *chosen,
				const uint16_t *ke_id, unsigned int nke,
				const uint8_t *ni, const uint8_t *nr,
				const struct ike_iov *sk, unsigned int nsk);

/* ---- Child SAs (sa.c), for IKE_AUTH and CREATE_CHILD_SA ---- */

/* Our inbound SPI: from the daemon's allocator (XFRM), or random; 0: none. */
uint32_t ike_sa_child_spi(struct ike_sa *sa);
bool ike_ts_same(const struct ike_ts *a, const struct ike_ts *b);
/*
 * A Child SA's keys into @k from the chosen ESP proposal: KEYMAT =
 * prf+(SK_d, SK(0) | Ni | Nr | SK(1) | ... ) (ike_child_keymat()), split
 * as key and salt from the exchange's initiator to its responder first
 * (@exch_initiator: we sent the request). 0 or -1.
 */
int ike_child_derive(const struct ike_sa *sa, const struct ike_proposal *chosen,
		     bool exch_initiator, const struct ike_iov *sk,
		     unsigned int nsk, const uint8_t *ni, const uint8_t *nr,
		     uint32_t spi_in, uint32_t spi_out, struct ike_child_keys *k);
/* The configured ESP proposals with our SPI; @with_ke: KE transforms too. */
unsigned int ike_sa_esp_proposals(const struct ike_sa *sa,
				  struct ike_proposal *p, uint32_t spi,
				  bool with_ke);
/* Appends "; @fmt" to out->log (or starts it). */
void ike_out_log_add(struct ike_out *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The end of IKE_AUTH: established, requests both ways from now on. */
void ike_sa_established(struct ike_sa *sa);

/* auth.c: the PSK AUTH value of @initiator's side into @out (prf len). */
int ike_auth_psk(const struct ike_sa *sa, bool initiator, const uint8_t *id,
		 size_t id_len, uint32_t auth_msgid, uint8_t *out);

#endif /* PQIKED_SA_H */
