// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The control operations of the daemon (daemon.h; control.c calls them):
 * pqikectl up, down and reload (reload also on SIGHUP).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "daemon_int.h"
#include "kemclient.h"

/* The index of connection @name, or -1 with the reason in @msg. */
static int conn_index(const struct iked *d, const char *name, char *msg,
		      size_t len)
{
	unsigned int c;

	for (c = 0; c < d->cfg->nconn; c++)
		if (!strcmp(d->cfg->conn[c].name, name))
			return (int)c;
	snprintf(msg, len, "no connection '%s'", name);
	return -1;
}

int iked_up(struct iked *d, const char *name, char *msg, size_t len)
{
	int c = conn_index(d, name, msg, len);
	unsigned int i;
	struct slot *s;

	if (c < 0)
		return -1;
	for (i = 0; i < MAX_SAS; i++)
		if (d->slot[i].sa && d->slot[i].conn == (unsigned int)c) {
			snprintf(msg, len, "%s: an IKE SA is already %s", name,
				 d->slot[i].sa->state == IKE_SA_ESTABLISHED ?
				 "established" : "being set up");
			return -1;
		}
	s = iked_new_slot(d, (unsigned int)c, true);
	if (!s) {
		snprintf(msg, len, "%s: no room for another IKE SA", name);
		return -1;
	}
	memset(&d->out, 0, sizeof(d->out));
	iked_effects(d, s, ike_sa_start(s->sa, &d->out));
	snprintf(msg, len, "%s: initiating", name);
	return 0;
}

int iked_down(struct iked *d, const char *name, char *msg, size_t len)
{
	int c = conn_index(d, name, msg, len);
	unsigned int i, n = 0;

	if (c < 0)
		return -1;
	for (i = 0; i < MAX_SAS; i++) {
		struct slot *s = &d->slot[i];

		if (!s->sa || s->conn != (unsigned int)c)
			continue;
		n++;
		if (s->sa->state == IKE_SA_DELETING)
			continue;
		/* an unanswered request of ours: the Delete waits for it */
		if (ike_sa_request(s->sa, IKE_REQ_DELETE, &d->out)) {
			/* not established: nothing to tell the peer yet */
			iked_log(IKED_INFO, name, "pqikectl down: IKE SA removed");
			iked_slot_free(d, s);
			continue;
		}
		iked_effects(d, s, 0);
	}
	if (!n) {
		snprintf(msg, len, "%s: no IKE SA", name);
		return -1;
	}
	snprintf(msg, len, "%s: deleting %u IKE SA(s)", name, n);
	return 0;
}

int iked_rekey(struct iked *d, const char *name, bool ike, char *msg,
	       size_t len)
{
	int c = conn_index(d, name, msg, len);
	unsigned int i, n = 0;

	if (c < 0)
		return -1;
	for (i = 0; i < MAX_SAS; i++) {
		struct slot *s = &d->slot[i];

		if (!s->sa || s->conn != (unsigned int)c ||
		    ike_sa_request(s->sa, ike ? IKE_REQ_REKEY_IKE :
				   IKE_REQ_REKEY_CHILD, &d->out))
			continue;
		n++;
		iked_effects(d, s, 0);
	}
	if (!n) {
		snprintf(msg, len, "%s: no established IKE SA%s", name,
			 ike ? "" : " with a Child SA");
		return -1;
	}
	snprintf(msg, len, "%s: rekeying %u %s SA(s)", name, n, ike ? "IKE" : "Child");
	return 0;
}

/* Delete an SA we stop serving: a Delete to the peer, then gone. */
static void retire(struct iked *d, struct slot *s, const char *why)
{
	memset(&d->out, 0, sizeof(d->out));
	if (!ike_sa_delete(s->sa, &d->out))
		iked_send_msg(d, s, d->out.msg, d->out.len, d->out.nfrag,
			 d->out.frag_len);
	iked_log(IKED_INFO, iked_cname(d, s), "%s: IKE SA deleted", why);
	iked_slot_free(d, s);
}

/* Whether a connection's settings are the same in two configurations. */
static bool conn_same(const struct iked_conn_cfg *a, const struct iked_conn_cfg *b)
{
	const struct ike_conn *x = &a->ike, *y = &b->ike;

	return !strcmp(a->name, b->name) && !strcmp(a->child_name, b->child_name) &&
	       a->local_addr.s_addr == b->local_addr.s_addr &&
	       a->remote_addr.s_addr == b->remote_addr.s_addr &&
	       !strcmp(a->local_id, b->local_id) && !strcmp(a->remote_id, b->remote_id) &&
	       a->psk_len == b->psk_len && !CRYPTO_memcmp(a->psk, b->psk, a->psk_len) &&
	       a->local_net.s_addr == b->local_net.s_addr &&
	       a->remote_net.s_addr == b->remote_net.s_addr &&
	       a->local_plen == b->local_plen && a->remote_plen == b->remote_plen &&
	       a->tunnel == b->tunnel && a->start == b->start && a->kem == b->kem &&
	       a->fragmentation == b->fragmentation &&
	       a->fragment_size == b->fragment_size && a->dpd_delay == b->dpd_delay &&
	       a->ike_rekey_time == b->ike_rekey_time &&
	       a->cookie_threshold == b->cookie_threshold &&
	       a->block_threshold == b->block_threshold &&
	       a->childless == b->childless &&
	       a->retransmit_tries == b->retransmit_tries &&
	       a->retransmit_timeout == b->retransmit_timeout &&
	       a->rekey_time == b->rekey_time && a->life_time == b->life_time &&
	       x->nike == y->nike && !memcmp(x->ike, y->ike, sizeof(x->ike)) &&
	       x->nesp == y->nesp && !memcmp(x->esp, y->esp, sizeof(x->esp)) &&
	       x->require_mlkem == y->require_mlkem;
}

int iked_reload(struct iked *d, char *msg, size_t len)
{
	struct iked_config *old = d->cfg, *ncfg = calloc(1, sizeof(*ncfg));
	int map[IKED_MAX_CONNS], sock[IKED_MAX_CONNS];
	bool kept[IKED_MAX_CONNS] = { false }, pending[IKED_MAX_CONNS] = { false };
	unsigned int i, j, same = 0, gone = 0, fresh = 0, bad = 0;
	char err[512];

	if (!ncfg) {
		snprintf(msg, len, "out of memory");
		return -1;
	}
	if (iked_config_load(d->path, ncfg, err, sizeof(err))) {
		snprintf(msg, len, "%s (the running configuration stays)", err);
		free(ncfg);
		return -1;
	}
	for (i = 0; i < ncfg->nconn; i++)
		if (ncfg->conn[i].kem == IKED_KEM_KERNEL && !d->kemc) {
			if (kemc_open(&d->kemc, err, sizeof(err))) {
				snprintf(msg, len, "connection %s needs the KEM service: %s (the running configuration stays)",
					 ncfg->conn[i].name, err);
				iked_config_wipe(ncfg);
				free(ncfg);
				return -1;
			}
			d->own_kemc = true;
		}
	for (i = 0; i < IKED_MAX_CONNS; i++)
		sock[i] = -1;
	/* the old connections: kept as they are, or retired */
	for (i = 0; i < old->nconn; i++) {
		map[i] = -1;
		for (j = 0; j < ncfg->nconn; j++)
			if (!kept[j] && conn_same(&old->conn[i], &ncfg->conn[j])) {
				map[i] = (int)j;
				kept[j] = true;
				break;
			}
		same += map[i] >= 0;
		gone += map[i] < 0;
	}
	for (i = 0; i < MAX_SAS; i++) {
		struct slot *s = &d->slot[i];

		if (!s->sa)
			continue;
		if (map[s->conn] < 0) {
			retire(d, s, "reload: the connection changed or went");
			continue;
		}
		s->conn = (unsigned int)map[s->conn];
		s->sa->conn = &ncfg->conn[s->conn].ike;
	}
	/* kept connections keep their sockets; the others let go of theirs */
	for (i = 0; i < old->nconn; i++) {
		if (map[i] >= 0) {
			sock[map[i]] = d->sock[i];
			d->sock[i] = -1;
			pending[map[i]] = d->start_pending[i];
		} else {
			iked_close_conn(d, i);
		}
	}
	memcpy(d->sock, sock, sizeof(d->sock));
	memcpy(d->start_pending, pending, sizeof(d->start_pending));
	d->cfg = ncfg;
	for (j = 0; j < ncfg->nconn; j++)
		ncfg->conn[j].ike.ke_env.kemc =
			ncfg->conn[j].kem == IKED_KEM_KERNEL ? d->kemc : NULL;
	iked_config_wipe(old);
	free(old);
	/* the new and changed ones: listen, and start those that start */
	for (j = 0; j < ncfg->nconn; j++) {
		if (kept[j])
			continue;
		fresh++;
		if (iked_listen_one(d, j)) {
			bad++;
			continue;
		}
		d->start_pending[j] = ncfg->conn[j].start;
	}
	iked_start_paced(d);
	snprintf(msg, len, "reloaded: %u connection(s) unchanged, %u new or changed, %u removed or changed%s",
		 same, fresh, gone, bad ? "; some cannot listen (see the log)" : "");
	iked_log(IKED_INFO, NULL, "%s", msg);
	return bad ? -1 : 0;
}

