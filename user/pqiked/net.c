// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The daemon's sockets (daemon_int.h): two UDP sockets per connection,
 * the IKE port and the NAT-T port (RFC 3948: ESP in UDP stays in the
 * kernel, IKE comes with the non-ESP marker), and sending messages, whole
 * or in RFC 7383 fragments.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon_int.h"

int iked_conn_fd(const struct iked *d, unsigned int conn, unsigned int k)
{
	return d->sock[conn] < 0 ? -1 : d->socks[d->sock[conn]].fd[k];
}

/* Connection @i no longer uses its sockets (closed with their last user). */
void iked_close_conn(struct iked *d, unsigned int i)
{
	struct iked_sock *p;
	unsigned int k;

	if (d->sock[i] < 0)
		return;
	p = &d->socks[d->sock[i]];
	d->sock[i] = -1;
	if (--p->refs)
		return;
	for (k = 0; k < 2; k++) {
		if (p->fd[k] >= 0)
			close(p->fd[k]);
		p->fd[k] = -1;
	}
}

/*
 * The UDP sockets of connection @i on its local address, shared with the
 * connections on the same address: the IKE port and the NAT-T port, where
 * the kernel takes ESP in UDP (UDP_ENCAP_ESPINUDP) and hands pqiked what
 * carries the non-ESP marker. 0 or -1 (logged).
 */
int iked_listen_one(struct iked *d, unsigned int i)
{
	struct iked_conn_cfg *c = &d->cfg->conn[i];
	unsigned int port[2] = { d->port, d->natt_port }, k, j, free_j = IKED_MAX_CONNS;
	int one = 1, encap = UDP_ENCAP_ESPINUDP;
	struct iked_sock *p;

	for (j = 0; j < IKED_MAX_CONNS; j++) {
		if (d->socks[j].refs && d->socks[j].addr.s_addr == c->local_addr.s_addr) {
			d->socks[j].refs++;
			d->sock[i] = (int)j;
			return 0;
		}
		if (!d->socks[j].refs && free_j == IKED_MAX_CONNS)
			free_j = j;
	}
	if (free_j == IKED_MAX_CONNS)
		return -1;	/* cannot happen: a pair per connection at most */
	p = &d->socks[free_j];
	p->addr = c->local_addr;
	p->fd[0] = p->fd[1] = -1;
	p->refs = 1;
	d->sock[i] = (int)free_j;
	for (k = 0; k < 2; k++) {
		struct sockaddr_in sin = {
			.sin_family = AF_INET, .sin_port = htons((uint16_t)port[k]),
			.sin_addr = c->local_addr,
		};
		int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

		p->fd[k] = fd;
		if (fd < 0 ||
		    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
		    (k && setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &encap, sizeof(encap))) ||
		    xfrm_socket_bypass(fd) ||
		    bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
			iked_log(IKED_ERR, c->name, "cannot listen on %s:%u: %s",
				 inet_ntoa(c->local_addr), port[k], strerror(errno));
			iked_close_conn(d, i);
			return -1;
		}
	}
	iked_log(IKED_INFO, c->name, "listening on %s:%u and %u (NAT-T)",
		 inet_ntoa(c->local_addr), d->port, d->natt_port);
	return 0;
}

int iked_listen(struct iked *d)
{
	unsigned int i;

	for (i = 0; i < d->cfg->nconn; i++)
		if (iked_listen_one(d, i))
			return -1;
	return 0;
}

/* One datagram to @to from connection @conn's socket @k (1: NAT-T), as is. */
void iked_send_raw(struct iked *d, unsigned int conn, unsigned int k,
		     const struct sockaddr_in *to, const uint8_t *msg, size_t len)
{
	if (sendto(iked_conn_fd(d, conn, k), msg, len, 0, (const struct sockaddr *)to,
		   sizeof(*to)) < 0)
		iked_log(IKED_ERR, d->cfg->conn[conn].name, "sending %zu bytes: %s",
			 len, strerror(errno));
}

/* An IKE datagram: on the NAT-T socket behind the non-ESP marker. */
void iked_send_to(struct iked *d, unsigned int conn, unsigned int k,
		    const struct sockaddr_in *to, const uint8_t *msg, size_t len)
{
	static uint8_t marked[IKE_NON_ESP_MARKER_LEN + IKE_MAX_MSG];

	if (k && len <= IKE_MAX_MSG) {	/* RFC 3948 2.2 */
		memset(marked, 0, IKE_NON_ESP_MARKER_LEN);
		memcpy(marked + IKE_NON_ESP_MARKER_LEN, msg, len);
		msg = marked;
		len += IKE_NON_ESP_MARKER_LEN;
	}
	iked_send_raw(d, conn, k, to, msg, len);
}

static void send_dgram(struct iked *d, struct slot *s, const uint8_t *msg,
		       size_t len)
{
	iked_send_to(d, s->conn, s->natt_sock, &s->peer, msg, len);
}

/* A message: one datagram, or @nfrag RFC 7383 fragments back to back. */
void iked_send_msg(struct iked *d, struct slot *s, const uint8_t *msg,
		     size_t len, unsigned int nfrag, const uint16_t *frag_len)
{
	size_t pos = 0;
	unsigned int k;

	if (!nfrag) {
		send_dgram(d, s, msg, len);
		return;
	}
	for (k = 0; k < nfrag && pos + frag_len[k] <= len; k++) {
		send_dgram(d, s, msg + pos, frag_len[k]);
		pos += frag_len[k];
	}
	iked_log(IKED_INFO, iked_cname(d, s), "sent %zu bytes in %u fragments (RFC 7383)",
		 len, nfrag);
}

void iked_send_sent(struct iked *d, struct slot *s, const struct sent *m)
{
	iked_send_msg(d, s, m->buf, m->len, m->nfrag, m->frag_len);
}

