// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * A crafted IKE peer for the guest failure tests (selftests/pqiked.sh): it
 * runs pqiked's own state machine (user/pqiked/, ML-KEM in-process) over
 * UDP against a real pqiked, and breaks the ML-KEM exchange the way
 * draft-ietf-ipsecme-ikev2-mlkem 2.2 says a recipient must catch:
 *
 *   ike_peer bad-ek-modulus LOCAL PEER   as initiator, an ML-KEM-768 key
 *                                         whose coefficients are >= q
 *   ike_peer bad-ek-length LOCAL PEER    as initiator, a key 1 byte short
 *   ike_peer bad-ct-length LOCAL PEER    as responder, a ciphertext 1 byte
 *                                         short
 *
 * The proposal is aes256gcm16-prfsha256-x25519-ke1_mlkem768, identities
 * "west" (this side) and "east", the key "k". As initiator it prints the
 * notify pqiked answered with (INVALID_SYNTAX expected) and exits 0 if it
 * is that; as responder it sends the bad answer and exits 0 once pqiked
 * has stopped talking (it must abort, not retransmit). Exit 1: the peer
 * did not behave; 2: usage or set-up.
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proposal.h"
#include "sa.h"

static struct ike_conn me;
static struct ike_out out;
static uint8_t buf[IKE_MAX_MSG + 4];
static int fd[2] = { -1, -1 };		/* ports 500 and 4500 */
static struct sockaddr_in peer;
static struct ike_addr local, remote;	/* for NAT detection: none here */

static int conn(const char *local, const char *remote)
{
	char err[256];

	memset(&me, 0, sizeof(me));
	me.name = "craft";
	me.local_id = local;
	me.remote_id = remote;
	me.psk = (const uint8_t *)"k";
	me.psk_len = 1;
	if (ike_prop_parse("aes256gcm16-prfsha256-x25519-ke1_mlkem768", IKE_PROTO_IKE,
			   &me.ike[0], err, sizeof(err)) ||
	    ike_prop_parse("aes256gcm16", IKE_PROTO_ESP, &me.esp[0], err, sizeof(err)))
		return -1;
	me.ike[0].num = 1;
	me.nike = me.nesp = 1;
	me.fragmentation = IKE_FRAG_NO;
	me.local_ts = (struct ike_ts){ .type = IKE_TS_IPV4_ADDR_RANGE, .end_port = 65535,
		.start = { 10, 1, 0, 0 }, .end = { 10, 1, 0, 255 } };
	me.remote_ts = (struct ike_ts){ .type = IKE_TS_IPV4_ADDR_RANGE, .end_port = 65535,
		.start = { 10, 2, 0, 0 }, .end = { 10, 2, 0, 255 } };
	return 0;
}

static int sockets(const char *local)
{
	unsigned int k, port[2] = { 500, 4500 };

	for (k = 0; k < 2; k++) {
		struct sockaddr_in sin = { .sin_family = AF_INET,
					   .sin_port = htons((uint16_t)port[k]) };

		fd[k] = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd[k] < 0 || inet_pton(AF_INET, local, &sin.sin_addr) != 1 ||
		    bind(fd[k], (struct sockaddr *)&sin, sizeof(sin)))
			return -1;
	}
	return 0;
}

/* Sends @len bytes from socket @k (4500: behind the non-ESP marker). */
static void send_on(unsigned int k, const uint8_t *msg, size_t len)
{
	static uint8_t m[IKE_MAX_MSG + 4];

	memset(m, 0, 4);
	memcpy(m + 4 * k, msg, len);
	sendto(fd[k], k ? m : msg, len + 4 * k, 0, (struct sockaddr *)&peer,
	       sizeof(peer));
}

/* Waits @ms for a message; its length (marker removed), 0 on timeout. */
static size_t recv_msg(int ms, unsigned int *k)
{
	struct pollfd p[2] = { { fd[0], POLLIN, 0 }, { fd[1], POLLIN, 0 } };
	struct sockaddr_in from;
	socklen_t fl;
	ssize_t n;

	for (;;) {
		if (poll(p, 2, ms) <= 0)
			return 0;
		*k = (p[1].revents & POLLIN) ? 1 : 0;
		fl = sizeof(from);
		n = recvfrom(fd[*k], buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		if (n <= 0)
			continue;
		peer.sin_port = from.sin_port;	/* answer where it came from */
		if (*k) {
			if (n < 4 + IKE_HDR_LEN || memcmp(buf, "\0\0\0\0", 4))
				continue;
			memmove(buf, buf + 4, (size_t)n - 4);
			n -= 4;
		}
		return (size_t)n;
	}
}

/* Initiator: IKE_SA_INIT, then an IKE_INTERMEDIATE with a broken key. */
static int bad_ek(bool modulus)
{
	static uint8_t inner[2048];
	struct ike_sa *sa = ike_sa_new(&me, true);
	struct ike_builder b;
	struct ike_hdr h = { 0 };
	uint8_t ek[1184];
	unsigned int k;
	size_t n, len;

	if (!sa)
		return 2;
	sa->local = local;
	sa->remote = remote;
	if (ike_sa_start(sa, &out))
		return 2;
	send_on(0, out.msg, out.len);
	n = recv_msg(5000, &k);
	if (!n) {
		fprintf(stderr, "ike_peer: no IKE_SA_INIT response\n");
		return 1;
	}
	ike_sa_process(sa, buf, n, &out);	/* its IKE_INTERMEDIATE is not sent */
	if (sa->state != IKE_SA_INTERMEDIATE) {
		fprintf(stderr, "ike_peer: IKE_SA_INIT failed: %s\n", out.log);
		return 1;
	}
	/* 0xff bytes: every 12-bit coefficient is 0xfff >= q = 3329 */
	memset(ek, 0xff, sizeof(ek));
	ike_build_begin(&b, inner, sizeof(inner), &h);
	ike_put_ke(&b, IKE_KE_MLKEM768, ek, modulus ? sizeof(ek) : sizeof(ek) - 1);
	ike_build_end(&b);
	len = ike_sa_seal(sa, &out, IKE_INTERMEDIATE, false, 1, inner + IKE_HDR_LEN,
			  b.len - IKE_HDR_LEN, inner[16], NULL);
	send_on(k, out.msg, len);
	n = recv_msg(5000, &k);
	if (!n) {
		fprintf(stderr, "ike_peer: no answer to the bad key\n");
		return 1;
	}
	ike_sa_process(sa, buf, n, &out);
	printf("ike_peer: pqiked answered notify %u (%s)\n", out.notify_error, out.log);
	ike_sa_free(sa);
	return out.notify_error == IKE_N_INVALID_SYNTAX ? 0 : 1;
}

/* Responder: answers IKE_INTERMEDIATE with a ciphertext 1 byte short. */
static int bad_ct(void)
{
	static uint8_t inner[2048];
	struct ike_sa *sa = ike_sa_new(&me, false);
	struct ike_sa_keys before;
	struct ike_builder b;
	struct ike_hdr h = { 0 };
	uint8_t ct[1088];
	uint64_t iv;
	unsigned int k, extra = 0;
	size_t n, len;

	if (!sa)
		return 2;
	sa->local = local;
	sa->remote = remote;
	n = recv_msg(30000, &k);
	if (!n) {
		fprintf(stderr, "ike_peer: no IKE_SA_INIT request\n");
		return 1;
	}
	ike_sa_process(sa, buf, n, &out);
	if (!out.len) {
		fprintf(stderr, "ike_peer: IKE_SA_INIT: %s\n", out.log);
		return 1;
	}
	send_on(k, out.msg, out.len);
	n = recv_msg(10000, &k);
	if (!n) {
		fprintf(stderr, "ike_peer: no IKE_INTERMEDIATE request\n");
		return 1;
	}
	/* the keys that protect the answer are those before the update */
	before = sa->keys;
	iv = sa->iv;
	ike_sa_process(sa, buf, n, &out);
	sa->keys = before;
	sa->iv = iv + 100;
	memset(ct, 0x5a, sizeof(ct));
	ike_build_begin(&b, inner, sizeof(inner), &h);
	ike_put_ke(&b, IKE_KE_MLKEM768, ct, sizeof(ct) - 1);
	ike_build_end(&b);
	len = ike_sa_seal(sa, &out, IKE_INTERMEDIATE, true, 1, inner + IKE_HDR_LEN,
			  b.len - IKE_HDR_LEN, inner[16], NULL);
	send_on(k, out.msg, len);
	/* pqiked must abort: no retransmitted request after the answer */
	while (recv_msg(4000, &k))
		if (buf[18] == IKE_INTERMEDIATE && !(buf[19] & IKE_FLAG_RESPONSE))
			extra++;
	printf("ike_peer: %u IKE_INTERMEDIATE request(s) after the bad ciphertext\n", extra);
	ike_sa_free(sa);
	return extra ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 4 || inet_pton(AF_INET, argv[3], &peer.sin_addr) != 1) {
		fprintf(stderr, "usage: ike_peer bad-ek-modulus|bad-ek-length|bad-ct-length LOCAL PEER\n");
		return 2;
	}
	peer.sin_family = AF_INET;
	peer.sin_port = htons(500);
	local = (struct ike_addr){ inet_addr(argv[2]), 500 };
	remote = (struct ike_addr){ peer.sin_addr.s_addr, 500 };
	if (conn("west", "east") || sockets(argv[2])) {
		perror("ike_peer: set-up");
		return 2;
	}
	if (!strcmp(argv[1], "bad-ek-modulus"))
		return bad_ek(true);
	if (!strcmp(argv[1], "bad-ek-length"))
		return bad_ek(false);
	if (!strcmp(argv[1], "bad-ct-length"))
		return bad_ct();
	fprintf(stderr, "ike_peer: unknown case '%s'\n", argv[1]);
	return 2;
}
