// SPDX-License-Identifier: GPL-2.0
/*
 * nlsink: the cheapest subscriber of adprof's "samples" group, for the
 * cost breakdown of bench/profile. It only receives: each message goes
 * with one recv() straight into a buffer touched in advance, and nothing
 * looks at it until the end. So a window with nlsink subscribed costs the
 * kernel's stream worker, netlink send and socket receive, and next to
 * nothing in user space.
 *
 *   nlsink [-w MARKFILE] [-m MBYTES]
 *
 * Prints "ready" once subscribed, receives until SIGINT or SIGTERM, reads
 * what is left, then prints "key value" lines: msgs, bytes (the messages'
 * nlmsg_len), samples, comm, overruns, and with -w inside: the samples
 * whose time lies between the marks *.start and *.work of insnmark's
 * lines in MARKFILE (the first of each). -m: buffer size (default 64 MiB); what does not fit is
 * counted as dropped. Records with call stacks (RECORD_VERSION 2) are
 * walked by their lengths.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/adprof.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);

	return n >= m && !strcmp(s + n - m, end);
}

/* The times of the first *.start and *.work marks in @path. */
static int window(const char *path, unsigned long long *t0,
		  unsigned long long *t1)
{
	char line[256], label[128];
	unsigned long long t;
	int found = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "INSNMARK %127s %llu", label, &t) != 2)
			continue;
		if (!(found & 1) && ends_with(label, ".start")) {
			*t0 = t;
			found |= 1;
		} else if (!(found & 2) && ends_with(label, ".work")) {
			*t1 = t;
			found |= 2;
		}
	}
	fclose(f);
	return found == 3 ? 0 : -1;
}

int main(int argc, char **argv)
{
	uint64_t msgs = 0, bytes = 0, samples = 0, comm = 0, overruns = 0;
	uint64_t inside = 0, dropped = 0;
	unsigned long long t0 = 0, t1 = 0;
	struct sigaction sa = { .sa_handler = on_signal };
	struct timeval tick = { .tv_usec = 100000 };
	size_t cap = 64 << 20, off = 0;
	const char *marks = NULL;
	int c, fd, grp, family, size = 32 << 20;
	struct nl_sock *sk;
	char *buf;
	ssize_t n;

	while ((c = getopt(argc, argv, "w:m:")) != -1) {
		switch (c) {
		case 'w':
			marks = optarg;
			break;
		case 'm':
			cap = strtoul(optarg, NULL, 0) << 20;
			break;
		default:
			fprintf(stderr, "usage: nlsink [-w MARKFILE] [-m MBYTES]\n");
			return 2;
		}
	}
	buf = malloc(cap);
	if (!buf)
		return 1;
	memset(buf, 0, cap);	/* no page fault while receiving */

	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk)) {
		fprintf(stderr, "nlsink: no generic netlink socket\n");
		return 1;
	}
	family = genl_ctrl_resolve(sk, ADPROF_GENL_NAME);
	grp = genl_ctrl_resolve_grp(sk, ADPROF_GENL_NAME, ADPROF_MCGRP_SAMPLES);
	if (family < 0 || grp < 0) {
		fprintf(stderr, "nlsink: adprof: %s\n", nl_geterror(family < 0 ? family : grp));
		return 1;
	}
	fd = nl_socket_get_fd(sk);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	c = nl_socket_add_membership(sk, grp);
	if (c) {
		fprintf(stderr, "nlsink: join: %s\n", nl_geterror(c));
		return 1;
	}
	/*
	 * No SA_RESTART: a signal ends the blocking recv(); and recv() gives
	 * up every 100 ms, for a signal that came just before it.
	 */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof(tick));
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	printf("ready\n");
	fflush(stdout);

	for (;;) {
		if (cap - off < 65536) {
			char tmp[65536];

			n = recv(fd, tmp, sizeof(tmp), stop ? MSG_DONTWAIT : 0);
			if (n > 0)
				dropped++;
		} else {
			n = recv(fd, buf + off, cap - off, stop ? MSG_DONTWAIT : 0);
			if (n > 0)
				off += (n + 7) & ~7UL;
		}
		if (n >= 0)
			continue;
		if (errno == ENOBUFS)
			overruns++;
		else if (errno == EAGAIN && stop)
			break;
		else if (errno != EAGAIN && errno != EINTR) {
			perror("nlsink: recv");
			return 1;
		}
	}

	if (marks && window(marks, &t0, &t1))
		fprintf(stderr, "nlsink: no window in %s\n", marks);
	for (size_t p = 0; p < off;) {
		struct nlmsghdr *nlh = (void *)(buf + p);
		struct nlattr *tb[ADPROF_A_MAX + 1];
		const struct adprof_sample *s;
		uint32_t i, k, len, v;

		if (nlh->nlmsg_len < NLMSG_HDRLEN)
			break;
		p += (nlh->nlmsg_len + 7) & ~7U;
		if (nlh->nlmsg_type != family ||
		    genlmsg_parse(nlh, 0, tb, ADPROF_A_MAX, NULL) ||
		    !tb[ADPROF_A_SAMPLES])
			continue;
		msgs++;
		bytes += nlh->nlmsg_len;
		/* Version 2 records with stacks differ in length. */
		v = tb[ADPROF_A_RECORD_VERSION] ?
		    nla_get_u32(tb[ADPROF_A_RECORD_VERSION]) : 1;
		k = nla_len(tb[ADPROF_A_SAMPLES]);
		for (i = 0; i + sizeof(*s) <= k; i += len) {
			s = (const void *)((const char *)nla_data(tb[ADPROF_A_SAMPLES]) + i);
			len = v >= 2 ? adprof_record_len(s) : sizeof(*s);
			if (s->flags & ADPROF_SAMPLE_F_COMM) {
				comm++;
				continue;
			}
			samples++;
			inside += s->time_ns >= t0 && s->time_ns < t1;
		}
	}
	printf("msgs %" PRIu64 "\nbytes %" PRIu64 "\nsamples %" PRIu64
	       "\ncomm %" PRIu64 "\noverruns %" PRIu64 "\ndropped %" PRIu64 "\n",
	       msgs, bytes, samples, comm, overruns, dropped);
	if (marks)
		printf("inside %" PRIu64 "\n", inside);
	return 0;
}
