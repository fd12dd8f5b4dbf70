// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqiked: the whole start-up and shutdown order, and the poll loop.
 *
 *   pqiked --config FILE [--port N] [--natt-port N] [--control PATH]
 *          [--debug] [--syslog] [--check]
 *
 * Start-up: the configuration; the KEM service of pqrekey.ko (when a
 * connection has kem = kernel); XFRM, with what an earlier pqiked left
 * behind removed; the sockets; the connections with start_action = start.
 * Then only CAP_NET_ADMIN and CAP_NET_BIND_SERVICE are kept.
 * SIGHUP reads the configuration again (iked_reload()).
 * Shutdown (SIGINT, SIGTERM) in the reverse order: Child SAs out of XFRM,
 * IKE SAs freed (their kernel key handles with them), sockets closed.
 * Exit status: 0 after a clean stop or a passing --check, 1 on an error at
 * start-up, 2 for a bad command line or configuration.
 */
#include <errno.h>
#include <getopt.h>
#include <syslog.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "config.h"
#include "control.h"
#include "daemon.h"
#include "kemclient.h"
#include "xfrm.h"

static volatile sig_atomic_t stop, reload;

/*
 * After start-up pqiked keeps CAP_NET_ADMIN (XFRM, the KEM service) and
 * CAP_NET_BIND_SERVICE, nothing else, and can gain nothing back. Raw
 * capset(2): libcap is one dependency more for two lines.
 */
static int drop_capabilities(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { { 0 } };
	const uint32_t keep = (1u << CAP_NET_ADMIN) | (1u << CAP_NET_BIND_SERVICE);
	unsigned long cap;

	/* the bounding set first (needs CAP_SETPCAP, dropped last) */
	for (cap = 0; cap <= CAP_LAST_CAP; cap++)
		if (cap != CAP_NET_ADMIN && cap != CAP_NET_BIND_SERVICE &&
		    cap != CAP_SETPCAP && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) &&
		    errno != EINVAL)
			return -1;
	if (prctl(PR_CAPBSET_DROP, CAP_SETPCAP, 0, 0, 0) && errno != EINVAL)
		return -1;
	d[0].effective = d[0].permitted = keep;
	if (syscall(SYS_capset, &h, d))
		return -1;
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

static void on_xfrm_event(const struct xfrm_event *ev, void *ctx)
{
	iked_xfrm_event(ctx, ev);
}

static void on_hup(int sig)
{
	(void)sig;
	reload = 1;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pqiked --config FILE [--port N] [--natt-port N] [--control PATH]\n"
		"              [--debug] [--syslog] [--check]\n\n"
		"IKEv2 daemon with hybrid (EC)DH + ML-KEM key exchanges; ML-KEM runs in\n"
		"pqrekey.ko, ESP SAs go into XFRM.\n\n"
		"  -c, --config FILE  swanctl.conf-like configuration (see pqiked(8))\n"
		"  -p, --port N       IKE port (default 500)\n"
		"  -n, --natt-port N  NAT traversal port, IKE and ESP in UDP (default 4500)\n"
		"  -d, --debug        log debug messages too\n"
		"      --syslog       log to syslog (daemon facility) instead of stderr\n"
		"  -s, --control PATH control socket for pqikectl (default " IKED_CONTROL_PATH ")\n"
		"      --check        only read the configuration, report, exit\n"
		"  -h, --help         this text\n\n"
		"Logs go to stderr (or syslog). Exit status: 0 clean stop or --check passed,\n"
		"1 start-up error, 2 bad command line or configuration.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "port", required_argument, NULL, 'p' },
		{ "natt-port", required_argument, NULL, 'n' },
		{ "syslog", no_argument, NULL, 'S' },
		{ "debug", no_argument, NULL, 'd' },
		{ "check", no_argument, NULL, 'C' },
		{ "control", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct iked_config *cfg = calloc(1, sizeof(*cfg));
	const char *path = NULL, *ctl_path = IKED_CONTROL_PATH;
	int ctl = -1;
	unsigned long port = 500, natt_port = 4500;
	bool check = false, need_kernel = false;
	struct kemc *kemc = NULL;
	struct xfrm_conn *xfrm = NULL;
	struct xfrm_events *events = NULL;
	struct iked *d = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	struct sigaction hup = { .sa_handler = on_hup };
	char err[512];
	unsigned int i, flushed;
	int c, rc = 1;

	while ((c = getopt_long(argc, argv, ":c:p:n:s:dh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': path = optarg; break;
		case 'p':
		case 'n': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || !v || v > 65535) {
				fprintf(stderr, "pqiked: %s: '%s' is not a port\n",
					c == 'p' ? "--port" : "--natt-port", optarg);
				return 2;
			}
			*(c == 'p' ? &port : &natt_port) = v;
			break;
		}
		case 'd': iked_verbosity = IKED_DEBUG; break;
		case 'S': iked_syslog = true; break;
		case 'C': check = true; break;
		case 's': ctl_path = optarg; break;
		case 'h': usage(stdout); return 0;
		case ':':
			fprintf(stderr, "pqiked: option '%s' needs an argument\n",
				argv[optind - 1]);
			return 2;
		default:
			fprintf(stderr, "pqiked: unknown option '%s' (see --help)\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc || !path) {
		usage(stderr);
		return 2;
	}
	if (!cfg) {
		fprintf(stderr, "pqiked: out of memory\n");
		return 1;
	}
	if (iked_syslog)
		openlog("pqiked", LOG_PID, LOG_DAEMON);
	if (iked_config_load(path, cfg, err, sizeof(err))) {
		fprintf(stderr, "pqiked: %s\n", err);
		free(cfg);
		return 2;
	}
	for (i = 0; i < cfg->nconn; i++)
		need_kernel |= cfg->conn[i].kem == IKED_KEM_KERNEL;
	if (check) {
		printf("%s: %u connection(s) OK\n", path, cfg->nconn);
		iked_config_wipe(cfg);
		free(cfg);
		return 0;
	}
	/* two sockets per local address: thousands of tunnels need more */
	{
		struct rlimit rl;

		if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
	}
	if (need_kernel && kemc_open(&kemc, err, sizeof(err))) {
		iked_log(IKED_ERR, NULL, "KEM service: %s (or set kem = user)", err);
		goto out;
	}
	xfrm = xfrm_open(err, sizeof(err));
	if (!xfrm) {
		iked_log(IKED_ERR, NULL, "%s", err);
		goto out;
	}
	events = xfrm_events_open(err, sizeof(err));
	if (!events) {
		iked_log(IKED_ERR, NULL, "%s", err);
		goto out;
	}
	if (xfrm_flush_own(xfrm, &flushed)) {
		iked_log(IKED_ERR, NULL, "%s", xfrm_error(xfrm));
		goto out;
	}
	if (flushed)
		iked_log(IKED_INFO, NULL, "removed %u XFRM state(s) and policies an earlier pqiked left",
			 flushed);
	if (port == natt_port) {
		fprintf(stderr, "pqiked: --port and --natt-port must differ\n");
		goto out;
	}
	d = iked_new(cfg, path, kemc, xfrm, (unsigned int)port,
		     (unsigned int)natt_port);
	if (!d)
		goto out;
	cfg = NULL;	/* the daemon's now */
	if (iked_listen(d))
		goto out;
	ctl = iked_control_open(ctl_path);
	if (ctl < 0) {
		iked_log(IKED_ERR, NULL, "control socket %s: %s", ctl_path, strerror(errno));
		goto out;
	}
	if (drop_capabilities()) {
		iked_log(IKED_ERR, NULL, "dropping capabilities: %s", strerror(errno));
		goto out;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &hup, NULL);
	signal(SIGPIPE, SIG_IGN);
	iked_log(IKED_INFO, NULL, "started: %u connection(s), ML-KEM in %s",
		 iked_nconn(d), kemc ? "pqrekey.ko" : "this process");
	iked_start(d);
	while (!stop) {
		struct pollfd fds[2 * IKED_MAX_CONNS + 2];
		int timeout;
		unsigned int n;

		if (reload) {
			char msg[512];

			reload = 0;
			if (iked_reload(d, msg, sizeof(msg)))
				iked_log(IKED_ERR, NULL, "SIGHUP: %s", msg);
		}
		n = iked_pollfds(d, fds, 2 * IKED_MAX_CONNS, &timeout);

		fds[n] = (struct pollfd){ .fd = ctl, .events = POLLIN };
		fds[n + 1] = (struct pollfd){ .fd = xfrm_events_fd(events),
					      .events = POLLIN };
		if (poll(fds, n + 2, timeout) < 0) {
			if (errno == EINTR)
				continue;
			iked_log(IKED_ERR, NULL, "poll: %s", strerror(errno));
			goto out;
		}
		iked_run(d, fds, n);
		if (fds[n].revents & POLLIN)
			iked_control_serve(d, ctl);
		if ((fds[n + 1].revents & POLLIN) &&
		    xfrm_events_read(events, on_xfrm_event, d))
			iked_log(IKED_ERR, NULL, "reading XFRM events: %s",
				 strerror(errno));
	}
	iked_log(IKED_INFO, NULL, "stopping");
	rc = 0;
out:
	if (ctl >= 0) {
		close(ctl);
		unlink(ctl_path);
	}
	iked_free(d);
	xfrm_events_close(events);
	xfrm_close(xfrm);
	kemc_close(kemc);
	if (cfg) {
		iked_config_wipe(cfg);
		free(cfg);
	}
	return rc;
}
