// SPDX-License-Identifier: GPL-2.0
/*
 * profsub: a raw client of the adprof profiler, independent of adprofctl,
 * for the guest tests and the benchmark.
 *
 *   profsub run [OPTS] [-- CMD ARGS]
 *                          start a session owned by this process, subscribe
 *                          to "samples" for -d seconds or while CMD runs,
 *                          stop, read what is left, print a summary
 *   profsub listen [OPTS]  only subscribe for -d seconds (or until
 *                          SIGUSR1), read what is queued by then, print a
 *                          summary
 *   profsub hold [OPTS]    only start a session (owned unless -D), hold the
 *                          socket for -d seconds, exit without stopping
 *
 * OPTS: -F HZ -d SECONDS -b BACKEND -C HEXMASK (little-endian bytes, e.g.
 * 03 for CPUs 0-1) -s BUF_SAMPLES -m MAX_BUFS -D (detach) -r RCVBUF_BYTES
 * -g DEPTH (call stacks, ADPROF_PROF_F_STACK, of at most DEPTH addresses)
 * -S (summary, ADPROF_PROF_F_SUMMARY) -e SUMMARY_ENTRIES (implies -S)
 *
 * The summary is one "key value" line each: msgs, records, samples, comm,
 * lost, gaps, overruns, bytes, kernel, user, per-CPU counts "cpuN", the
 * most sampled process "top_pid PID COMM COUNT" and its most sampled
 * address "top_pc 0xADDR COUNT", and its most sampled user address
 * "top_upc 0xADDR COUNT"; with call stacks "stacks N" (samples with one),
 * "stack_kernel N" and "stack_user N" (addresses), "stack_trunc N" (cut
 * at the depth), "stack_bad N" (user walk gave up), "stack_max N" (most
 * addresses in one), "bad_records N" (a record running past its message).
 * A count record counts as its count of samples everywhere ("counts N":
 * count records; "record_version N": the highest seen).
 * Then the intervals between consecutive samples
 * of one CPU: "intervals N", the median "interval_median_us US" (100 us
 * resolution; "inf" past 100 ms) and "backwards N", the intervals whose
 * time went back. Exit status 0, or 1 with the reason on stderr
 * ("start: ..." / "join: ..." followed by the libnl error).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/adprof.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#define MAX_CPUS	256
#define MAX_PIDS	4096
#define PC_SLOTS	(1 << 18)
#define IVL_STEP_NS	100000		/* interval histogram: 100 us steps */
#define IVL_SLOTS	1001		/* up to 100 ms, the last one beyond */

struct pident {
	uint32_t pid;
	uint64_t n;
	char comm[ADPROF_COMM_LEN];
};

struct pcent {
	uint32_t pid;
	uint64_t pc;
	uint64_t n;
};

static struct {
	uint64_t msgs, records, samples, comm, lost, gaps, overruns, bytes;
	uint64_t stacks, stack_kernel, stack_user, stack_trunc, stack_bad;
	uint64_t stack_max, bad_records, counts, record_version;
	uint64_t kernel, user;
	uint64_t cpu[MAX_CPUS];
	int64_t next_seq[MAX_CPUS];	/* -1: no message yet */
	uint64_t first_ns[MAX_CPUS];	/* time of the CPU's first sample */
	uint64_t last_ns[MAX_CPUS];	/* time of the CPU's last sample */
	uint64_t ivl[IVL_SLOTS], intervals, backwards;
	struct pident pids[MAX_PIDS];
	unsigned int npids;
	struct pcent *pcs;
} st;

static int family;

static struct pident *pid_get(uint32_t pid)
{
	unsigned int i;

	for (i = 0; i < st.npids; i++)
		if (st.pids[i].pid == pid)
			return &st.pids[i];
	if (st.npids == MAX_PIDS)
		return NULL;
	st.pids[st.npids].pid = pid;
	return &st.pids[st.npids++];
}

static void pc_count(uint32_t pid, uint64_t pc, uint64_t w)
{
	uint64_t h = (pc * 0x9e3779b97f4a7c15ULL) ^ pid;
	unsigned int i, k;

	for (k = 0; k < 64; k++) {
		i = (h + k) & (PC_SLOTS - 1);
		if (!st.pcs[i].n) {
			st.pcs[i].pid = pid;
			st.pcs[i].pc = pc;
		}
		if (st.pcs[i].pid == pid && st.pcs[i].pc == pc) {
			st.pcs[i].n += w;
			return;
		}
	}
}

/* Count the interval since @cpu's previous sample in the histogram. */
static void interval(uint32_t cpu, uint64_t t)
{
	uint64_t d;

	if (!st.first_ns[cpu])
		st.first_ns[cpu] = t;
	if (st.last_ns[cpu]) {
		if (t < st.last_ns[cpu]) {
			st.backwards++;
		} else {
			d = (t - st.last_ns[cpu] + IVL_STEP_NS / 2) / IVL_STEP_NS;
			st.ivl[d < IVL_SLOTS ? d : IVL_SLOTS - 1]++;
			st.intervals++;
		}
	}
	st.last_ns[cpu] = t;
}

static int on_msg(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[ADPROF_A_MAX + 1];
	const struct adprof_stack *stk;
	const struct adprof_sample *s;
	struct genlmsghdr *gh;
	const char *data;
	uint32_t cpu, seq;
	struct pident *p;
	size_t len, off;
	uint64_t w;

	(void)arg;
	gh = nlmsg_data(nlh);
	if (gh->cmd != ADPROF_CMD_SAMPLES)
		return NL_OK;
	if (genlmsg_parse(nlh, 0, tb, ADPROF_A_MAX, NULL) ||
	    !tb[ADPROF_A_CPU] || !tb[ADPROF_A_SEQ] || !tb[ADPROF_A_LOST] ||
	    !tb[ADPROF_A_SAMPLES]) {
		fprintf(stderr, "malformed SAMPLES message\n");
		exit(1);
	}
	cpu = nla_get_u32(tb[ADPROF_A_CPU]);
	seq = nla_get_u32(tb[ADPROF_A_SEQ]);
	st.msgs++;
	st.bytes += nlh->nlmsg_len;
	st.lost += nla_get_u64(tb[ADPROF_A_LOST]);
	if (tb[ADPROF_A_RECORD_VERSION] &&
	    nla_get_u32(tb[ADPROF_A_RECORD_VERSION]) > st.record_version)
		st.record_version = nla_get_u32(tb[ADPROF_A_RECORD_VERSION]);
	if (cpu < MAX_CPUS) {
		if (st.next_seq[cpu] >= 0 && seq != st.next_seq[cpu])
			st.gaps += (uint32_t)(seq - st.next_seq[cpu]);
		else if (st.next_seq[cpu] < 0 && seq)
			st.gaps += seq;
		st.next_seq[cpu] = (int64_t)seq + 1;
	}
	len = nla_len(tb[ADPROF_A_SAMPLES]);
	data = nla_data(tb[ADPROF_A_SAMPLES]);
	for (off = 0; off < len; off += adprof_record_len(s)) {
		s = (const void *)(data + off);
		if (len - off < sizeof(*s) ||
		    ((s->flags & ADPROF_SAMPLE_F_STACK) &&
		     (len - off < sizeof(*s) + sizeof(*stk) ||
		      adprof_record_len(s) > len - off))) {
			st.bad_records++;
			break;
		}
		st.records++;
		p = pid_get(s->pid);
		if (s->flags & ADPROF_SAMPLE_F_COMM) {
			st.comm++;
			if (p)
				memcpy(p->comm, s->comm, sizeof(p->comm));
			continue;
		}
		w = adprof_record_samples(s);
		st.samples += w;
		st.counts += !!(s->flags & ADPROF_SAMPLE_F_COUNT);
		if (s->cpu < MAX_CPUS) {
			st.cpu[s->cpu] += w;
			/* A count record has no time. */
			if (!(s->flags & ADPROF_SAMPLE_F_COUNT))
				interval(s->cpu, s->time_ns);
		}
		if (s->flags & ADPROF_SAMPLE_F_KERNEL)
			st.kernel += w;
		else
			st.user += w;
		if (p)
			p->n += w;
		pc_count(s->pid, s->pc, w);
		if (s->flags & ADPROF_SAMPLE_F_STACK) {
			stk = (const void *)(s + 1);
			st.stacks += w;
			st.stack_kernel += stk->nr_kernel;
			st.stack_user += stk->nr_user;
			if (stk->flags & (ADPROF_STACK_F_KERNEL_TRUNC |
					  ADPROF_STACK_F_USER_TRUNC))
				st.stack_trunc++;
			if (stk->flags & ADPROF_STACK_F_USER_BAD)
				st.stack_bad++;
			if (stk->nr_kernel + stk->nr_user > st.stack_max)
				st.stack_max = stk->nr_kernel + stk->nr_user;
		}
	}
	return NL_OK;
}

static struct nl_sock *sock_open(void)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (!sk || genl_connect(sk)) {
		fprintf(stderr, "cannot open a generic netlink socket\n");
		exit(1);
	}
	return sk;
}

static void request(struct nl_sock *sk, struct nl_msg *msg, const char *what)
{
	int err = nl_send_auto(sk, msg);

	if (err >= 0)
		err = nl_wait_for_ack(sk);
	nlmsg_free(msg);
	if (err < 0) {
		fprintf(stderr, "%s: %s\n", what, nl_geterror(err));
		exit(1);
	}
}

static struct nl_msg *msg_new(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
				 cmd, ADPROF_GENL_VERSION)) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	return msg;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Set by SIGUSR1: the window ends now (listen), read what is queued. */
static volatile sig_atomic_t window_end;

static void on_usr1(int sig __attribute__((unused)))
{
	window_end = 1;
}

/*
 * Read the data socket until @until (monotonic s) or SIGUSR1, or until
 * @child exits if it is not 0; until the socket is empty if @until is 0.
 */
static void drain(struct nl_sock *data, double until, pid_t child)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(data), .events = POLLIN };
	int err, ms, status, n;
	double left;

	for (;;) {
		if (child && waitpid(child, &status, WNOHANG) == child)
			return;
		left = until ? until - now() : 0;
		if (until && (left <= 0 || window_end))
			return;
		ms = left > 0.1 ? 100 : (int)(left * 1000);
		n = poll(&pfd, 1, ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!until)
				return;
			continue;
		}
		err = nl_recvmsgs_default(data);
		if (err == -NLE_NOMEM) {
			st.overruns++;	/* ENOBUFS: the socket overran */
		} else if (err < 0 && err != -NLE_AGAIN) {
			fprintf(stderr, "receive: %s\n", nl_geterror(err));
			exit(1);
		}
	}
}

static void summary(void)
{
	struct pident *top = NULL;
	struct pcent *tpc = NULL;
	unsigned int i;
	uint64_t n;

	printf("msgs %" PRIu64 "\nrecords %" PRIu64 "\nsamples %" PRIu64
	       "\ncomm %" PRIu64 "\nlost %" PRIu64 "\ngaps %" PRIu64
	       "\noverruns %" PRIu64 "\nbytes %" PRIu64 "\nkernel %" PRIu64
	       "\nuser %" PRIu64 "\n", st.msgs, st.records, st.samples, st.comm,
	       st.lost, st.gaps, st.overruns, st.bytes, st.kernel, st.user);
	printf("stacks %" PRIu64 "\nstack_kernel %" PRIu64 "\nstack_user %" PRIu64
	       "\nstack_trunc %" PRIu64 "\nstack_bad %" PRIu64 "\nstack_max %"
	       PRIu64 "\nbad_records %" PRIu64 "\n", st.stacks, st.stack_kernel,
	       st.stack_user, st.stack_trunc, st.stack_bad, st.stack_max,
	       st.bad_records);
	printf("counts %" PRIu64 "\nrecord_version %" PRIu64 "\n", st.counts,
	       st.record_version);
	for (i = 0; i < MAX_CPUS; i++)
		if (st.cpu[i])
			printf("cpu%u %" PRIu64 "\n", i, st.cpu[i]);
	/* From a CPU's first sample to its last: how long it was sampled. */
	for (i = 0; i < MAX_CPUS; i++)
		if (st.cpu[i])
			printf("cpu%u_span_ms %" PRIu64 "\n", i,
			       (st.last_ns[i] - st.first_ns[i]) / 1000000);
	printf("intervals %" PRIu64 "\nbackwards %" PRIu64 "\n",
	       st.intervals, st.backwards);
	for (i = 0, n = 0; st.intervals && i < IVL_SLOTS; i++) {
		n += st.ivl[i];
		if (2 * n < st.intervals)
			continue;
		if (i == IVL_SLOTS - 1)
			printf("interval_median_us inf\n");
		else
			printf("interval_median_us %u\n", i * IVL_STEP_NS / 1000);
		break;
	}
	/*
	 * The most common interval: a timer the host runs late makes
	 * intervals of every length, those on time are all the period.
	 * The last slot (longer ones) does not count.
	 */
	for (i = 1, n = 0; st.intervals && i < IVL_SLOTS - 1; i++)
		if (st.ivl[i] > st.ivl[n])
			n = i;
	if (st.intervals)
		printf("interval_mode_us %u\n", (unsigned int)n * IVL_STEP_NS / 1000);
	for (i = 0; i < st.npids; i++)
		if (!top || st.pids[i].n > top->n)
			top = &st.pids[i];
	if (!top)
		return;
	printf("top_pid %u %s %" PRIu64 "\n", top->pid,
	       top->comm[0] ? top->comm : "?", top->n);
	for (i = 0; i < PC_SLOTS; i++)
		if (st.pcs[i].n && st.pcs[i].pid == top->pid &&
		    (!tpc || st.pcs[i].n > tpc->n))
			tpc = &st.pcs[i];
	if (tpc)
		printf("top_pc 0x%" PRIx64 " %" PRIu64 "\n", tpc->pc, tpc->n);
	/* Its most sampled user address (below the x86-64 kernel half). */
	tpc = NULL;
	for (i = 0; i < PC_SLOTS; i++)
		if (st.pcs[i].n && st.pcs[i].pid == top->pid &&
		    st.pcs[i].pc < 0x800000000000ULL &&
		    (!tpc || st.pcs[i].n > tpc->n))
			tpc = &st.pcs[i];
	if (tpc)
		printf("top_upc 0x%" PRIx64 " %" PRIu64 "\n", tpc->pc, tpc->n);
}

int main(int argc, char **argv)
{
	static const char usage[] =
		"usage: profsub run|listen|hold [-F HZ] [-d SECONDS] [-b BACKEND] [-C HEXMASK]\n"
		"               [-s BUF_SAMPLES] [-m MAX_BUFS] [-D] [-r RCVBUF] [-g DEPTH]\n"
		"               [-S] [-e SUMMARY_ENTRIES]\n"
		"               [-- CMD ARGS]\n";
	uint32_t freq = 0, buf_samples = 0, max_bufs = 0, flags = 0, depth = 0;
	uint32_t entries = 0;
	const char *mode, *backend = NULL, *mask = NULL;
	struct nl_sock *ctrl, *data = NULL;
	int c, grp, rcvbuf = 32 << 20;
	pid_t child = 0;
	uint8_t maskbytes[64];
	size_t masklen = 0;
	double secs = 5;
	struct nl_msg *msg;

	if (argc < 2)
		goto usage;
	mode = argv[1];
	optind = 2;
	while ((c = getopt(argc, argv, "+F:d:b:C:s:m:Dr:g:Se:")) != -1) {
		switch (c) {
		case 'F': freq = strtoul(optarg, NULL, 0); break;
		case 'd': secs = strtod(optarg, NULL); break;
		case 'b': backend = optarg; break;
		case 'C': mask = optarg; break;
		case 's': buf_samples = strtoul(optarg, NULL, 0); break;
		case 'm': max_bufs = strtoul(optarg, NULL, 0); break;
		case 'D': flags |= ADPROF_PROF_F_DETACH; break;
		case 'S': flags |= ADPROF_PROF_F_SUMMARY; break;
		case 'e':
			entries = strtoul(optarg, NULL, 0);
			flags |= ADPROF_PROF_F_SUMMARY;
			break;
		case 'r': rcvbuf = atoi(optarg); break;
		case 'g':
			depth = strtoul(optarg, NULL, 0);
			flags |= ADPROF_PROF_F_STACK;
			break;
		default: goto usage;
		}
	}
	if ((optind != argc && strcmp(mode, "run")) ||
	    (strcmp(mode, "run") && strcmp(mode, "listen") && strcmp(mode, "hold")))
		goto usage;
	if (mask) {
		size_t len = strlen(mask);

		if (len % 2 || len / 2 > sizeof(maskbytes))
			goto usage;
		for (masklen = 0; masklen < len / 2; masklen++)
			if (sscanf(mask + 2 * masklen, "%2hhx", &maskbytes[masklen]) != 1)
				goto usage;
	}
	st.pcs = calloc(PC_SLOTS, sizeof(*st.pcs));
	if (!st.pcs)
		return 1;
	for (c = 0; c < MAX_CPUS; c++)
		st.next_seq[c] = -1;

	ctrl = sock_open();
	family = genl_ctrl_resolve(ctrl, ADPROF_GENL_NAME);
	if (family < 0) {
		fprintf(stderr, "adprof: %s\n", nl_geterror(family));
		return 1;
	}

	if (strcmp(mode, "hold")) {
		grp = genl_ctrl_resolve_grp(ctrl, ADPROF_GENL_NAME, ADPROF_MCGRP_SAMPLES);
		if (grp < 0) {
			fprintf(stderr, "samples group: %s\n", nl_geterror(grp));
			return 1;
		}
		data = sock_open();
		nl_socket_disable_seq_check(data);
		nl_socket_modify_cb(data, NL_CB_VALID, NL_CB_CUSTOM, on_msg, NULL);
		nl_socket_set_nonblocking(data);
		nl_socket_enable_msg_peek(data);
		if (setsockopt(nl_socket_get_fd(data), SOL_SOCKET, SO_RCVBUFFORCE,
			       &rcvbuf, sizeof(rcvbuf)))
			setsockopt(nl_socket_get_fd(data), SOL_SOCKET, SO_RCVBUF,
				   &rcvbuf, sizeof(rcvbuf));
		c = nl_socket_add_membership(data, grp);
		if (c) {
			fprintf(stderr, "join: %s\n", nl_geterror(c));
			return 1;
		}
	}

	if (strcmp(mode, "listen")) {
		msg = msg_new(ADPROF_CMD_PROF_START);
		if (backend)
			nla_put_string(msg, ADPROF_A_BACKEND, backend);
		if (freq)
			nla_put_u32(msg, ADPROF_A_FREQ, freq);
		if (masklen)
			nla_put(msg, ADPROF_A_CPUMASK, masklen, maskbytes);
		if (buf_samples)
			nla_put_u32(msg, ADPROF_A_BUF_SAMPLES, buf_samples);
		if (max_bufs)
			nla_put_u32(msg, ADPROF_A_MAX_BUFS, max_bufs);
		if (flags)
			nla_put_u32(msg, ADPROF_A_PROF_FLAGS, flags);
		if (depth)
			nla_put_u32(msg, ADPROF_A_STACK_DEPTH, depth);
		if (entries)
			nla_put_u32(msg, ADPROF_A_SUMMARY_ENTRIES, entries);
		request(ctrl, msg, "start");
	}

	if (!strcmp(mode, "listen")) {
		/* No SA_RESTART: the signal ends poll() at once. */
		struct sigaction sa = { .sa_handler = on_usr1 };

		sigaction(SIGUSR1, &sa, NULL);
	}
	if (!data) {
		usleep(secs * 1e6);
		return 0;	/* closing ctrl ends an owned session */
	}
	if (optind < argc) {
		fflush(stdout);
		child = fork();
		if (child < 0) {
			perror("fork");
			return 1;
		}
		if (!child) {
			execvp(argv[optind], argv + optind);
			perror(argv[optind]);
			_exit(127);
		}
		secs = 1e9;
	}
	drain(data, now() + secs, child);
	if (!strcmp(mode, "run")) {
		/* Every message is queued before the stop is acknowledged. */
		request(ctrl, msg_new(ADPROF_CMD_PROF_STOP), "stop");
		drain(data, 0, 0);
	} else if (!strcmp(mode, "listen")) {
		/* What arrived in the window and was not read yet. */
		drain(data, 0, 0);
	}
	summary();
	return 0;

usage:
	fputs(usage, stderr);
	return 2;
}
