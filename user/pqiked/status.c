// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqikectl status (daemon.h): the IKE SAs and their Child SAs with the
 * kernel's counters, as text or as one JSON object.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "daemon_int.h"
#include "ike_util.h"

static const char *state_name(const struct ike_sa *sa)
{
	if (sa->rekeyed && sa->state == IKE_SA_ESTABLISHED)
		return "rekeyed";	/* replaced: only its Delete is left */
	switch (sa->state) {
	case IKE_SA_NEW: return "new";
	case IKE_SA_INIT_SENT: return "ike-sa-init-sent";
	case IKE_SA_INTERMEDIATE: return "keying";
	case IKE_SA_AUTH_SENT: return "ike-auth-sent";
	case IKE_SA_ESTABLISHED: return "established";
	case IKE_SA_DELETING: return "deleting";
	case IKE_SA_DELETED: return "deleted";
	case IKE_SA_FAILED: return "failed";
	}
	return "?";
}

/* Config strings are plain, but quote and backslash are escaped anyway. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
	fputc('"', f);
}

void iked_status(const struct iked *d, FILE *f, bool json)
{
	uint64_t now = iked_now_ms();
	unsigned int i, n = 0;

	if (json)
		fputs("{\"ike_sas\":[", f);
	for (i = 0; i < MAX_SAS; i++) {
		const struct slot *s = &d->slot[i];
		const struct iked_conn_cfg *c;
		struct xfrm_counters cnt;
		char kes[128] = "";
		unsigned int k;

		if (!s->sa)
			continue;
		c = &d->cfg->conn[s->conn];
		memset(&cnt, 0, sizeof(cnt));
		if (s->installed && xfrm_child_counters(d->xfrm, &s->xc, &cnt))
			iked_log(IKED_ERR, c->name, "%s", xfrm_error(d->xfrm));
		for (k = 0; k < s->sa->nke; k++) {
			const struct ike_ke_method *m = ike_ke_method(s->sa->ke_id[k]);
			size_t l = strlen(kes);

			snprintf(kes + l, sizeof(kes) - l, "%s%s", k ? "+" : "",
				 m ? m->name : "?");
		}
		if (json) {
			fprintf(f, "%s{\"connection\":", n ? "," : "");
			json_str(f, c->name);
			fprintf(f, ",\"role\":\"%s\",\"state\":\"%s\","
				"\"spi_i\":\"%016llx\",\"spi_r\":\"%016llx\","
				"\"local\":\"%s\",", s->sa->initiator ? "initiator" : "responder",
				state_name(s->sa),
				(unsigned long long)s->sa->spi_i,
				(unsigned long long)s->sa->spi_r, inet_ntoa(c->local_addr));
			fprintf(f, "\"remote\":\"%s\",\"key_exchanges\":\"%s\","
				"\"proposal\":\"%s\",\"age_s\":%llu,\"child\":",
				inet_ntoa(c->remote_addr), kes, s->proposal,
				(unsigned long long)((now - s->created) / 1000));
			if (s->installed)
				fprintf(f, "{\"name\":\"%s\",\"spi_in\":\"%08x\","
					"\"spi_out\":\"%08x\",\"aead\":\"%s\",\"mode\":\"%s\","
					"\"bytes_in\":%llu,\"packets_in\":%llu,"
					"\"bytes_out\":%llu,\"packets_out\":%llu,"
					"\"rekeys\":%u}}",
					c->child_name, s->xc.spi_in, s->xc.spi_out,
					s->xc.aead, s->xc.tunnel ? "tunnel" : "transport",
					(unsigned long long)cnt.bytes_in,
					(unsigned long long)cnt.packets_in,
					(unsigned long long)cnt.bytes_out,
					(unsigned long long)cnt.packets_out,
					s->sa->rekeys);
			else
				fputs("null}", f);
		} else {
			fprintf(f, "%s: %s, %s, %s[%s] ... ", c->name,
				state_name(s->sa),
				s->sa->initiator ? "initiator" : "responder",
				c->local_id, inet_ntoa(c->local_addr));
			fprintf(f, "%s[%s], %llus\n", c->remote_id, inet_ntoa(c->remote_addr),
				(unsigned long long)((now - s->created) / 1000));
			fprintf(f, "  IKE SPIs %016llx_i %016llx_r, %s, key exchanges %s\n",
				(unsigned long long)s->sa->spi_i,
				(unsigned long long)s->sa->spi_r,
				s->proposal[0] ? s->proposal : "-", kes[0] ? kes : "-");
			if (s->installed) {
				fprintf(f, "  %s: INSTALLED, %s, ESP SPIs %08x_i %08x_o, %s, rekeyed %u times\n",
					c->child_name, s->xc.tunnel ? "TUNNEL" : "TRANSPORT",
					s->xc.spi_in, s->xc.spi_out, s->xc.aead,
					s->sa->rekeys);
				fprintf(f, "    in  %llu bytes, %llu packets\n"
					"    out %llu bytes, %llu packets\n",
					(unsigned long long)cnt.bytes_in,
					(unsigned long long)cnt.packets_in,
					(unsigned long long)cnt.bytes_out,
					(unsigned long long)cnt.packets_out);
			}
		}
		n++;
	}
	if (json)
		fputs("]}\n", f);
	else if (!n)
		fputs("no IKE SA\n", f);
}
