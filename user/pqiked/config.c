// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The configuration file (config.h): lines of "name {", "}" and
 * "key = value", '#' comments. Parsing is apart from the daemon: the
 * result is a struct iked_config and nothing else.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ike_util.h"
#include "proposal.h"

#define MAX_DEPTH 4
#define MAX_SECRETS 16

struct parser {
	const char *path;
	unsigned int line;
	char *err;
	size_t errlen;
	char sect[MAX_DEPTH][64];
	unsigned int depth;
	struct iked_config *cfg;
	struct iked_conn_cfg *conn;	/* the connection being read */
	struct {
		char id[128];
		uint8_t secret[256];
		size_t len;
	} sec[MAX_SECRETS], *cur_sec;
	unsigned int nsec;
	char proposals[IKED_MAX_CONNS][256], esp[IKED_MAX_CONNS][256];
	bool require[IKED_MAX_CONNS];
	/* where they were, for the errors finish() finds */
	struct {
		unsigned int conn, proposals, esp, life;
	} lines[IKED_MAX_CONNS];
};

__attribute__((format(printf, 2, 3)))
static int perror_at(struct parser *p, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%u: %s", p->path, p->line, msg);
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int yes_no(struct parser *p, const char *key, const char *v, bool *out)
{
	if (!strcmp(v, "yes")) {
		*out = true;
		return 0;
	}
	if (!strcmp(v, "no")) {
		*out = false;
		return 0;
	}
	return perror_at(p, "%s = '%s': expected yes or no", key, v);
}

static int cidr(struct parser *p, const char *key, const char *v,
		struct in_addr *a, uint8_t *plen)
{
	char buf[64], *slash;
	unsigned long n = 32;

	snprintf(buf, sizeof(buf), "%s", v);
	slash = strchr(buf, '/');
	if (slash) {
		char *end;

		*slash = '\0';
		n = strtoul(slash + 1, &end, 10);
		if (*end || n > 32)
			return perror_at(p, "%s = '%s': bad prefix length", key, v);
	}
	if (inet_pton(AF_INET, buf, a) != 1)
		return perror_at(p, "%s = '%s': expected an IPv4 address or subnet (a.b.c.d/n)",
				 key, v);
	if (n < 32 && (ntohl(a->s_addr) & (0xffffffffu >> n)))
		return perror_at(p, "%s = '%s': host bits set in the subnet", key, v);
	*plen = (uint8_t)n;
	return 0;
}

static int copy(struct parser *p, const char *key, const char *v, char *dst,
		size_t len)
{
	if (strlen(v) >= len || !*v)
		return perror_at(p, "%s: empty or longer than %zu characters",
				 key, len - 1);
	strcpy(dst, v);
	return 0;
}

/*
 * strongSwan's time syntax into *@secs: 30, 30s, 5m, 1h, 1d (@days: 'd'
 * allowed), at most @max seconds. 0, or -1 (the caller says why).
 */
static int parse_time(const char *v, bool days, unsigned long max,
		      unsigned int *secs)
{
	char *end;
	unsigned long n = strtoul(v, &end, 10);

	if (*end == 'm')
		n *= 60, end++;
	else if (*end == 'h')
		n *= 3600, end++;
	else if (*end == 'd' && days)
		n *= 86400, end++;
	else if (*end == 's')
		end++;
	if (!*v || *v == '-' || *end || n > max)
		return -1;
	*secs = (unsigned int)n;
	return 0;
}

/* key = value inside the current sections. */
static int setting(struct parser *p, const char *key, char *v)
{
	struct iked_conn_cfg *c = p->conn;
	size_t vl = strlen(v);
	unsigned int ci = c ? (unsigned int)(c - p->cfg->conn) : 0;

	if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
		v[vl - 1] = '\0';
		v++;
	}
	if (p->depth == 1 && !strcmp(p->sect[0], "transform_ids")) {
		char *end;
		unsigned long n = strtoul(v, &end, 10);

		if (!ike_ke_method_by_name(key) || strncmp(key, "frodo", 5))
			return perror_at(p, "transform_ids: '%s' is not a method with a private-use id (frodo976aes, frodo976shake, frodo1344aes, frodo1344shake)",
					 key);
		if (!*v || *end || n < 1024 || n > 65535)
			return perror_at(p, "%s = '%s': expected a private-use id from 1024 to 65535",
					 key, v);
		if (ike_ke_set_id(key, (uint16_t)n))
			return perror_at(p, "%s = %lu: another method has that id", key, n);
		return 0;
	}
	if (p->depth == 2 && !strcmp(p->sect[0], "secrets")) {
		if (!strcmp(key, "id"))
			return copy(p, key, v, p->cur_sec->id, sizeof(p->cur_sec->id));
		if (!strcmp(key, "secret")) {
			if (!*v || strlen(v) > sizeof(p->cur_sec->secret))
				return perror_at(p, "secret: empty or longer than %zu bytes",
						 sizeof(p->cur_sec->secret));
			p->cur_sec->len = strlen(v);
			memcpy(p->cur_sec->secret, v, p->cur_sec->len);
			return 0;
		}
		return perror_at(p, "unknown setting '%s' in a secret (id, secret)", key);
	}
	if (!c)
		return perror_at(p, "'%s' outside a connection", key);
	if (p->depth == 2) {
		if (!strcmp(key, "local_addrs"))
			return inet_pton(AF_INET, v, &c->local_addr) == 1 ? 0 :
			       perror_at(p, "local_addrs = '%s': expected an IPv4 address", v);
		if (!strcmp(key, "remote_addrs"))
			return inet_pton(AF_INET, v, &c->remote_addr) == 1 ? 0 :
			       perror_at(p, "remote_addrs = '%s': expected an IPv4 address", v);
		if (!strcmp(key, "proposals")) {
			p->lines[ci].proposals = p->line;
			return copy(p, key, v, p->proposals[ci], sizeof(p->proposals[ci]));
		}
		if (!strcmp(key, "require_mlkem"))
			return yes_no(p, key, v, &p->require[ci]);
		if (!strcmp(key, "kem")) {
			if (!strcmp(v, "kernel"))
				c->kem = IKED_KEM_KERNEL;
			else if (!strcmp(v, "user"))
				c->kem = IKED_KEM_USER;
			else
				return perror_at(p, "kem = '%s': expected kernel or user", v);
			return 0;
		}
		if (!strcmp(key, "fragmentation")) {
			/* strongSwan's force fragments IKE_SA_INIT (IKEv1 only) */
			if (!strcmp(v, "yes") || !strcmp(v, "force"))
				c->fragmentation = IKE_FRAG_YES;
			else if (!strcmp(v, "accept"))
				c->fragmentation = IKE_FRAG_ACCEPT;
			else if (!strcmp(v, "no"))
				c->fragmentation = IKE_FRAG_NO;
			else
				return perror_at(p, "fragmentation = '%s': expected yes, accept, force or no", v);
			return 0;
		}
		if (!strcmp(key, "childless")) {
			static const char *const v_[] = { "allow", "prefer", "force", "never" };
			unsigned int k;

			for (k = 0; k < 4; k++)
				if (!strcmp(v, v_[k]))
					break;
			if (k == 4)
				return perror_at(p, "childless = '%s': expected allow, prefer, force or never", v);
			c->childless = (enum ike_childless)k;
			return 0;
		}
		if (!strcmp(key, "dpd_delay")) {
			if (parse_time(v, false, 86400, &c->dpd_delay))
				return perror_at(p, "dpd_delay = '%s': expected a time up to 24h (30, 30s, 5m, 1h)", v);
			return 0;
		}
		if (!strcmp(key, "rekey_time")) {	/* the IKE SA's */
			if (parse_time(v, true, 30 * 86400ul, &c->ike_rekey_time))
				return perror_at(p, "rekey_time = '%s': expected a time up to 30d (0: never; 60, 60s, 5m, 4h, 1d)",
						 v);
			return 0;
		}
		if (!strcmp(key, "retransmit_tries") ||
		    !strcmp(key, "retransmit_timeout")) {
			char *end;
			unsigned long n = strtoul(v, &end, 10);
			bool tries = !strcmp(key, "retransmit_tries");

			if (!tries && *end == 's')
				end++;
			if (!*v || *end || n > (tries ? 10 : 60) || (!tries && !n))
				return perror_at(p, "%s = '%s': expected %s", key, v,
						 tries ? "a number from 0 to 10" :
						 "seconds from 1 to 60 (1, 1s)");
			*(tries ? &c->retransmit_tries : &c->retransmit_timeout) =
				(unsigned int)n;
			return 0;
		}
		if (!strcmp(key, "cookie_threshold") ||
		    !strcmp(key, "block_threshold")) {
			char *end;
			unsigned long n = strtoul(v, &end, 10);

			if (!*v || *end || n > 64)
				return perror_at(p, "%s = '%s': expected a number of half-open SAs from 0 to 64",
						 key, v);
			if (key[0] == 'c')
				c->cookie_threshold = (unsigned int)n;
			else
				c->block_threshold = (unsigned int)n;
			return 0;
		}
		if (!strcmp(key, "fragment_size")) {
			char *end;
			unsigned long n = strtoul(v, &end, 10);

			if (!*v || *end || n < IKE_FRAG_MIN_SIZE || n > 65535)
				return perror_at(p, "fragment_size = '%s': expected a number of bytes from %d to 65535",
						 v, IKE_FRAG_MIN_SIZE);
			c->fragment_size = (unsigned int)n;
			return 0;
		}
		return perror_at(p, "unknown setting '%s' in connection %s (local_addrs, remote_addrs, proposals, require_mlkem, kem, fragmentation, fragment_size, dpd_delay, rekey_time, retransmit_tries, retransmit_timeout, cookie_threshold, block_threshold, childless)",
				 key, c->name);
	}
	if (p->depth == 3 && (!strcmp(p->sect[2], "local") ||
			      !strcmp(p->sect[2], "remote"))) {
		bool local = !strcmp(p->sect[2], "local");

		if (!strcmp(key, "auth"))
			return strcmp(v, "psk") ?
			       perror_at(p, "auth = '%s': only psk is supported", v) : 0;
		if (!strcmp(key, "id"))
			return copy(p, key, v, local ? c->local_id : c->remote_id,
				    sizeof(c->local_id));
		return perror_at(p, "unknown setting '%s' in %s (auth, id)", key,
				 p->sect[2]);
	}
	if (p->depth == 4 && !strcmp(p->sect[2], "children")) {
		if (!strcmp(key, "local_ts"))
			return cidr(p, key, v, &c->local_net, &c->local_plen);
		if (!strcmp(key, "remote_ts"))
			return cidr(p, key, v, &c->remote_net, &c->remote_plen);
		if (!strcmp(key, "esp_proposals")) {
			p->lines[ci].esp = p->line;
			return copy(p, key, v, p->esp[ci], sizeof(p->esp[ci]));
		}
		if (!strcmp(key, "mode")) {
			if (strcmp(v, "tunnel") && strcmp(v, "transport"))
				return perror_at(p, "mode = '%s': expected tunnel or transport", v);
			c->tunnel = !strcmp(v, "tunnel");
			return 0;
		}
		if (!strcmp(key, "rekey_time") || !strcmp(key, "life_time")) {
			p->lines[ci].life = p->line;
			if (parse_time(v, true, 30 * 86400ul,
				       key[0] == 'r' ? &c->rekey_time : &c->life_time))
				return perror_at(p, "%s = '%s': expected a time up to 30d (60, 60s, 5m, 1h, 1d)",
						 key, v);
			return 0;
		}
		if (!strcmp(key, "start_action")) {
			if (strcmp(v, "start") && strcmp(v, "none") && strcmp(v, "trap"))
				return perror_at(p, "start_action = '%s': expected start or none", v);
			c->start = !strcmp(v, "start");
			return 0;
		}
		return perror_at(p, "unknown setting '%s' in child %s (local_ts, remote_ts, esp_proposals, mode, start_action, rekey_time, life_time)",
				 key, c->child_name);
	}
	return perror_at(p, "setting '%s' in an unexpected place", key);
}

static int open_section(struct parser *p, const char *name)
{
	struct iked_config *cfg = p->cfg;

	if (p->depth >= MAX_DEPTH)
		return perror_at(p, "sections nested too deep");
	if (!*name || strlen(name) >= sizeof(p->sect[0]))
		return perror_at(p, "a section needs a name of at most %zu characters",
				 sizeof(p->sect[0]) - 1);
	if (p->depth == 0 && strcmp(name, "connections") && strcmp(name, "secrets") &&
	    strcmp(name, "transform_ids"))
		return perror_at(p, "unknown section '%s' (connections, secrets, transform_ids)", name);
	if (p->depth == 1 && !strcmp(p->sect[0], "transform_ids"))
		return perror_at(p, "transform_ids has settings (method = id), no section '%s'", name);
	if (p->depth == 1 && !strcmp(p->sect[0], "connections")) {
		if (cfg->nconn >= IKED_MAX_CONNS)
			return perror_at(p, "more than %d connections", IKED_MAX_CONNS);
		p->lines[cfg->nconn].conn = p->line;
		p->conn = &cfg->conn[cfg->nconn++];
		memset(p->conn, 0, sizeof(*p->conn));
		snprintf(p->conn->name, sizeof(p->conn->name), "%s", name);
		p->conn->tunnel = true;
		p->conn->cookie_threshold = 2;
		p->conn->retransmit_tries = 5;
		p->conn->retransmit_timeout = 1;
		p->conn->block_threshold = 5;
		p->conn->ike_rekey_time = 4 * 3600;	/* strongSwan's default */
	}
	if (p->depth == 1 && !strcmp(p->sect[0], "secrets")) {
		if (p->nsec >= MAX_SECRETS)
			return perror_at(p, "more than %d secrets", MAX_SECRETS);
		p->cur_sec = &p->sec[p->nsec++];
	}
	if (p->depth == 2 && strcmp(name, "local") && strcmp(name, "remote") &&
	    strcmp(name, "children"))
		return perror_at(p, "unknown section '%s' in a connection (local, remote, children)",
				 name);
	if (p->depth == 3 && !strcmp(p->sect[2], "children")) {
		if (p->conn->child_name[0])
			return perror_at(p, "one child per connection for now");
		snprintf(p->conn->child_name, sizeof(p->conn->child_name), "%s", name);
	}
	strcpy(p->sect[p->depth++], name);
	return 0;
}

/* After reading: proposals parsed, PSKs looked up, completeness. */
static int finish(struct parser *p)
{
	unsigned int i, j;

	for (i = 0; i < p->cfg->nconn; i++) {
		struct iked_conn_cfg *c = &p->cfg->conn[i];
		struct ike_conn *k = &c->ike;
		char err[256], *tok, *save = NULL;

		p->line = p->lines[i].conn;
		if (!c->local_addr.s_addr || !c->remote_addr.s_addr || !c->local_id[0] ||
		    !c->remote_id[0] || !c->child_name[0] || !c->local_plen ||
		    !c->remote_plen || !p->proposals[i][0])
			return perror_at(p, "connection %s: needs local_addrs, remote_addrs, proposals, local and remote id and a child with local_ts and remote_ts",
					 c->name);
		memset(k, 0, sizeof(*k));
		k->name = c->name;
		k->local_id = c->local_id;
		k->remote_id = c->remote_id;
		p->line = p->lines[i].proposals;
		for (tok = strtok_r(p->proposals[i], ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			if (k->nike >= IKE_MAX_CONF_PROPOSALS ||
			    ike_prop_parse(trim(tok), IKE_PROTO_IKE, &k->ike[k->nike],
					   err, sizeof(err)))
				return perror_at(p, "connection %s: proposals: %s", c->name,
						 k->nike >= IKE_MAX_CONF_PROPOSALS ?
						 "too many" : err);
			k->ike[k->nike].num = (uint8_t)(k->nike + 1);
			k->nike++;
		}
		p->line = p->lines[i].esp ? p->lines[i].esp : p->lines[i].conn;
		if (ike_prop_parse(p->esp[i][0] ? p->esp[i] : "aes128gcm16",
				   IKE_PROTO_ESP, &k->esp[0], err, sizeof(err)))
			return perror_at(p, "connection %s: esp_proposals: %s", c->name, err);
		k->nesp = 1;
		k->require_mlkem = p->require[i];
		p->line = p->lines[i].life;
		if (c->life_time && c->rekey_time && c->life_time <= c->rekey_time)
			return perror_at(p, "connection %s: life_time must be longer than rekey_time",
					 c->name);
		k->transport = !c->tunnel;
		k->childless = c->childless;
		k->fragmentation = c->fragmentation;
		k->fragment_size = c->fragment_size ? c->fragment_size :
				   IKE_FRAG_DEFAULT_SIZE;
		for (j = 0; j < p->nsec; j++)
			if (!strcmp(p->sec[j].id, c->remote_id))
				break;
		p->line = p->lines[i].conn;
		if (j == p->nsec)
			return perror_at(p, "connection %s: no secret with id = %s",
					 c->name, c->remote_id);
		memcpy(c->psk, p->sec[j].secret, p->sec[j].len);
		c->psk_len = p->sec[j].len;
		k->psk = c->psk;
		k->psk_len = c->psk_len;
		/* traffic selectors as address ranges, all ports and protocols */
		k->local_ts = (struct ike_ts){ .type = IKE_TS_IPV4_ADDR_RANGE,
					       .end_port = 65535 };
		k->remote_ts = k->local_ts;
		{
			uint32_t ln = ntohl(c->local_net.s_addr);
			uint32_t rn = ntohl(c->remote_net.s_addr);
			uint32_t lm = c->local_plen ? 0xffffffffu >> c->local_plen : 0xffffffffu;
			uint32_t rm = c->remote_plen ? 0xffffffffu >> c->remote_plen : 0xffffffffu;

			ike_set32(k->local_ts.start, ln);
			ike_set32(k->local_ts.end, ln | lm);
			ike_set32(k->remote_ts.start, rn);
			ike_set32(k->remote_ts.end, rn | rm);
		}
	}
	return 0;
}

int iked_config_load(const char *path, struct iked_config *cfg, char *err,
		     size_t errlen)
{
	struct parser *p = calloc(1, sizeof(*p));
	char line[1024];
	FILE *f;
	int rc = 0;

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memset(cfg, 0, sizeof(*cfg));
	p->path = path;
	p->err = err;
	p->errlen = errlen;
	p->cfg = cfg;
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %m", path);
		free(p);
		return -1;
	}
	while (!rc && fgets(line, sizeof(line), f)) {
		char *s, *hash, *eq;

		p->line++;
		if (!strchr(line, '\n') && !feof(f)) {
			rc = perror_at(p, "line longer than %zu characters", sizeof(line) - 2);
			break;
		}
		hash = strchr(line, '#');
		if (hash && !memchr(line, '"', (size_t)(hash - line)))
			*hash = '\0';
		s = trim(line);
		if (!*s)
			continue;
		if (!strcmp(s, "}")) {
			if (!p->depth) {
				rc = perror_at(p, "'}' without an open section");
				break;
			}
			p->depth--;
			if (p->depth == 1)
				p->conn = NULL;
			continue;
		}
		eq = strchr(s, '=');
		if (eq) {
			*eq = '\0';
			rc = setting(p, trim(s), trim(eq + 1));
			continue;
		}
		if (s[strlen(s) - 1] == '{') {
			s[strlen(s) - 1] = '\0';
			rc = open_section(p, trim(s));
			if (!rc && p->depth == 2 && !strcmp(p->sect[0], "connections"))
				p->conn = &cfg->conn[cfg->nconn - 1];
			continue;
		}
		rc = perror_at(p, "expected 'name {', '}' or 'key = value', got '%s'", s);
	}
	fclose(f);
	if (!rc && p->depth)
		rc = perror_at(p, "end of file inside section '%s'", p->sect[p->depth - 1]);
	if (!rc && !cfg->nconn)
		rc = perror_at(p, "no connection defined");
	if (!rc)
		rc = finish(p);
	ike_wipe(p, sizeof(*p));
	free(p);
	if (rc)
		iked_config_wipe(cfg);
	return rc;
}

void iked_config_wipe(struct iked_config *cfg)
{
	ike_wipe(cfg, sizeof(*cfg));
}
