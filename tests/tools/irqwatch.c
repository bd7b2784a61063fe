// SPDX-License-Identifier: GPL-2.0
/*
 * irqwatch: listen to the adprof "irq" group and account what arrives.
 *
 * usage: irqwatch [-c COUNT] [-t SECONDS] [-i IDLE_MS] [-d DEV_ID]
 *                 [-r READYFILE] [-l] [-q]
 *   -c COUNT     stop once the events' COUNTs add up to COUNT (exit 1 if
 *                the time runs out first)
 *   -t SECONDS   give up after this long (default 60)
 *   -i IDLE_MS   stop after this long without an event
 *   -d DEV_ID    count only this device's events
 *   -r FILE      create FILE once subscribed, so a script can wait for it
 *   -l           latency: hard-IRQ timestamp to receive, p50/p99/max
 *   -q           no line per event, only the summary
 *
 * Each event prints "event dev D vec V gsi G count C ts T lat L" (flushed,
 * so a script can follow the output); the summary line is
 * "summary events E count C overruns O [p50 X p99 Y max Z]" (ns).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/adprof.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#define MAX_LAT 1000000

struct watch {
	uint64_t want;		/* 0: no count limit */
	uint32_t dev;		/* 0: every device */
	bool quiet;
	uint64_t events;
	uint64_t count;
	uint64_t *lat;
	size_t nlat;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int on_event(struct nl_msg *msg, void *arg)
{
	static struct nla_policy pol[ADPROF_A_MAX + 1] = {
		[ADPROF_A_DEV_ID] = { .type = NLA_U32 },
		[ADPROF_A_HOST_VECTOR] = { .type = NLA_U32 },
		[ADPROF_A_GUEST_IRQ] = { .type = NLA_U32 },
		[ADPROF_A_TIMESTAMP] = { .type = NLA_U64 },
		[ADPROF_A_COUNT] = { .type = NLA_U32 },
	};
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[ADPROF_A_MAX + 1];
	struct watch *w = arg;
	uint64_t rx = now_ns(), ts;
	int64_t lat;
	uint32_t dev, count;

	if (gh->cmd != ADPROF_CMD_IRQ_EVENT)
		return NL_SKIP;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, ADPROF_A_MAX, pol) ||
	    !tb[ADPROF_A_DEV_ID] || !tb[ADPROF_A_HOST_VECTOR] ||
	    !tb[ADPROF_A_GUEST_IRQ] || !tb[ADPROF_A_TIMESTAMP] ||
	    !tb[ADPROF_A_COUNT]) {
		fprintf(stderr, "irqwatch: malformed event\n");
		exit(2);
	}
	dev = nla_get_u32(tb[ADPROF_A_DEV_ID]);
	if (w->dev && dev != w->dev)
		return NL_SKIP;
	count = nla_get_u32(tb[ADPROF_A_COUNT]);
	ts = nla_get_u64(tb[ADPROF_A_TIMESTAMP]);
	lat = (int64_t)(rx - ts);
	w->events++;
	w->count += count;
	if (w->lat && w->nlat < MAX_LAT)
		w->lat[w->nlat++] = lat < 0 ? 0 : (uint64_t)lat;
	if (!w->quiet) {
		printf("event dev %" PRIu32 " vec %" PRIu32 " gsi %" PRIu32
		       " count %" PRIu32 " ts %" PRIu64 " lat %" PRId64 "\n",
		       dev, nla_get_u32(tb[ADPROF_A_HOST_VECTOR]),
		       nla_get_u32(tb[ADPROF_A_GUEST_IRQ]), count, ts, lat);
		fflush(stdout);
	}
	return NL_OK;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void usage(void)
{
	fprintf(stderr, "usage: irqwatch [-c COUNT] [-t SECONDS] [-i IDLE_MS] "
		"[-d DEV_ID] [-r READYFILE] [-l] [-q]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct watch w = { 0 };
	const char *ready = NULL;
	uint64_t deadline, idle_ms = 0, last, overruns = 0;
	double secs = 60;
	struct nl_sock *sk;
	struct pollfd pfd;
	bool latency = false;
	int c, grp, err, fd;

	while ((c = getopt(argc, argv, "c:t:i:d:r:lq")) != -1) {
		switch (c) {
		case 'c':
			w.want = strtoull(optarg, NULL, 0);
			break;
		case 't':
			secs = strtod(optarg, NULL);
			break;
		case 'i':
			idle_ms = strtoull(optarg, NULL, 0);
			break;
		case 'd':
			w.dev = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			ready = optarg;
			break;
		case 'l':
			latency = true;
			break;
		case 'q':
			w.quiet = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (latency) {
		w.lat = calloc(MAX_LAT, sizeof(*w.lat));
		if (!w.lat)
			return 2;
	}

	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk)) {
		fprintf(stderr, "irqwatch: cannot connect to generic netlink\n");
		return 2;
	}
	grp = genl_ctrl_resolve_grp(sk, ADPROF_GENL_NAME, ADPROF_MCGRP_IRQ);
	if (grp < 0) {
		fprintf(stderr, "irqwatch: no group %s: %s\n", ADPROF_MCGRP_IRQ,
			nl_geterror(grp));
		return 2;
	}
	err = nl_socket_add_membership(sk, grp);
	if (err) {
		fprintf(stderr, "irqwatch: cannot join %s: %s\n",
			ADPROF_MCGRP_IRQ, nl_geterror(err));
		return 2;
	}
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_event, &w);
	nl_socket_set_buffer_size(sk, 4 << 20, 0);
	nl_socket_set_nonblocking(sk);
	if (ready) {
		fd = open(ready, O_CREAT | O_WRONLY, 0644);
		if (fd >= 0)
			close(fd);
	}

	pfd.fd = nl_socket_get_fd(sk);
	pfd.events = POLLIN;
	last = now_ns();
	deadline = last + (uint64_t)(secs * 1e9);
	while (!w.want || w.count < w.want) {
		uint64_t now = now_ns(), wait_ns = deadline - now;

		if (now >= deadline)
			break;
		if (idle_ms && now >= last + idle_ms * 1000000)
			break;
		if (idle_ms && last + idle_ms * 1000000 - now < wait_ns)
			wait_ns = last + idle_ms * 1000000 - now;
		if (poll(&pfd, 1, (int)(wait_ns / 1000000) + 1) <= 0)
			continue;
		err = nl_recvmsgs_default(sk);
		if (err == -NLE_NOMEM) {
			overruns++;	/* ENOBUFS: the socket overflowed */
			continue;
		}
		if (err < 0 && err != -NLE_AGAIN) {
			fprintf(stderr, "irqwatch: receive: %s\n", nl_geterror(err));
			return 2;
		}
		last = now_ns();
	}

	printf("summary events %" PRIu64 " count %" PRIu64 " overruns %" PRIu64,
	       w.events, w.count, overruns);
	if (latency && w.nlat) {
		qsort(w.lat, w.nlat, sizeof(*w.lat), cmp_u64);
		printf(" p50 %" PRIu64 " p99 %" PRIu64 " max %" PRIu64,
		       w.lat[w.nlat / 2], w.lat[(w.nlat * 99) / 100],
		       w.lat[w.nlat - 1]);
	}
	printf("\n");
	nl_socket_free(sk);
	return w.want && w.count < w.want ? 1 : 0;
}
