// SPDX-License-Identifier: GPL-2.0
/*
 * adprofctl record: start a profiling session owned by this process, write
 * every batch of the "samples" group to a file (format in recfile.h), and
 * stop after -d, when the command exits, or on SIGINT/SIGTERM/SIGHUP.
 *
 * The group is joined on a socket of its own before the session starts,
 * so the stream is read from its first message; the session is started on
 * another socket, whose closing ends it if adprofctl dies. PROF_STOP is
 * answered once the kernel has sent the last batch, so reading the data
 * socket until it is empty afterwards gets everything the socket kept.
 * What it did not keep (ENOBUFS: whole messages, their records and their
 * LOST) is what the statistics in the stop's answer count beyond what was
 * received and told lost: rec_reconcile() counts it as lost, so the
 * file's totals stay exact.
 *
 * The maps of each process are snapshotted when its pid first shows up,
 * and again at the end, so report can name user functions of processes
 * that exited meanwhile.
 *
 * With --irq a third socket joins the "irq" group before the session
 * starts: each IRQ_EVENT and DMA_FAULT is written as it arrives
 * (ADP_CHUNK_IRQ), with its hard-IRQ TIMESTAMP and the time record
 * received it. Both sockets are polled together, so the receipt time is
 * the event's delivery latency as watch-irq --latency measures it.
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
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/adprof.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "cmd.h"
#include "parse.h"
#include "prof.h"
#include "recfile.h"

#define RCVBUF_BYTES	(32 << 20)
/* ADPROFCTL_RCVBUF's bounds: a message must fit into the smallest. */
#define RCVBUF_MIN	1024
#define MAPS_MAX	(16 << 20)
/*
 * The file's stdio buffer: a write() per 256 KiB, not per 4 KiB (tmpfs's
 * st_blksize), for the small chunks.
 */
#define FILE_BUF_BYTES	(256 << 10)
/* rec_drain_data()'s buffer: twice the largest SAMPLES message. */
#define DATA_BUF_BYTES	(64 << 10)
/* A chunk with this much data or more is written past stdio (rec_chunk()). */
#define DIRECT_BYTES	4096

static volatile sig_atomic_t rec_signal;
/* SIGCHLD seen: the loop reaps the command instead of polling waitpid(). */
static volatile sig_atomic_t rec_child;

struct rec_pid {
	uint32_t pid;
	bool mapped;			/* maps taken since the last new comm */
	char comm[ADPROF_COMM_LEN];	/* last named, maybe empty */
};

struct rec {
	struct adp_ctx *ctx;
	FILE *f;
	int family;
	int werr;			/* first write error, or 0 */
	struct adp_end end;
	uint64_t counts;		/* count records (summary sessions) */
	uint64_t bytes;			/* SAMPLES messages' bytes received */
	uint64_t unseen;		/* records the socket dropped (rec_reconcile()) */
	int64_t *next_seq;		/* per CPU, -1 before its first message */
	size_t ncpus;
	struct rec_pid *pids;		/* open addressing set, pid 0 is empty */
	size_t pid_slots, npids;
	uint64_t irq_events, irq_count, irq_faults, irq_overruns;	/* --irq */
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void rec_write(struct rec *r, const void *p, size_t len)
{
	if (!r->werr && len && fwrite(p, len, 1, r->f) != 1)
		r->werr = errno ? errno : EIO;
}

/* All of @iov to the file's descriptor, past partial writes and signals. */
static void rec_writev(struct rec *r, struct iovec *iov, int n)
{
	ssize_t done;

	while (n && !r->werr) {
		done = writev(fileno(r->f), iov, n);
		if (done <= 0) {
			if (!done || errno != EINTR)
				r->werr = done ? errno : EIO;
			continue;
		}
		while (n && (size_t)done >= iov->iov_len) {
			done -= iov->iov_len;
			iov++;
			n--;
		}
		if (n) {
			iov->iov_base = (char *)iov->iov_base + done;
			iov->iov_len -= done;
		}
	}
}

/*
 * A chunk: its header, @head and @data, padded to 8 bytes. A chunk with
 * much data (a SAMPLES message's records) goes from the receive buffer to
 * the file in one writev(), once stdio's buffer is flushed, rather than
 * being copied into the FILE's buffer first. The benchmark saw no
 * difference from it (glibc copies with vector moves, a few instructions
 * a sample): it saves a copy, not a measured cost.
 */
static void rec_chunk(struct rec *r, uint32_t type, const void *head,
		      size_t head_len, const void *data, size_t data_len)
{
	static const char pad[8];
	struct adp_chunk c = { .type = type, .len = head_len + data_len };
	struct iovec iov[4] = {
		{ &c, sizeof(c) },
		{ (void *)head, head_len },
		{ (void *)data, data_len },
		{ (void *)pad, -(size_t)c.len & 7 },
	};

	if (data_len >= DIRECT_BYTES) {
		if (!r->werr && fflush(r->f))
			r->werr = errno ? errno : EIO;
		rec_writev(r, iov, 4);
		return;
	}
	rec_write(r, &c, sizeof(c));
	rec_write(r, head, head_len);
	rec_write(r, data, data_len);
	rec_write(r, pad, -(size_t)c.len & 7);
}

static char *read_file(const char *path, size_t max, size_t *len)
{
	size_t size = 0, cap = 65536;
	char *buf = malloc(cap);
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	while ((n = fread(buf + size, 1, cap - size, f)) > 0) {
		size += n;
		if (size == cap) {
			char *nb;

			if (cap >= max)
				break;
			nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	*len = size;
	return buf;
}

/* Write a MAPS chunk for @pid; a process gone already leaves none. */
static void rec_maps(struct rec *r, uint32_t pid)
{
	struct adp_maps m = { .pid = pid, .time_ns = mono_ns() };
	char path[64];
	size_t len;
	char *text;

	snprintf(path, sizeof(path), "/proc/%" PRIu32 "/maps", pid);
	text = read_file(path, MAPS_MAX, &len);
	if (!text)
		return;
	rec_chunk(r, ADP_CHUNK_MAPS, &m, sizeof(m), text, len);
	free(text);
}

/* @pid's entry in the set, added (unnamed, unmapped) if new. */
static struct rec_pid *rec_pid(struct rec *r, uint32_t pid)
{
	struct rec_pid *p;
	size_t i;

	if (r->npids * 2 >= r->pid_slots) {
		size_t old = r->pid_slots, j;
		struct rec_pid *op = r->pids;

		r->pid_slots = old ? old * 2 : 1024;
		r->pids = calloc(r->pid_slots, sizeof(*r->pids));
		if (!r->pids) {
			fprintf(stderr, "adprofctl: record: out of memory\n");
			exit(EXIT_FAILURE);
		}
		for (j = 0; j < old; j++) {
			if (!op[j].pid)
				continue;
			for (i = op[j].pid % r->pid_slots; r->pids[i].pid;
			     i = (i + 1) % r->pid_slots)
				;
			r->pids[i] = op[j];
		}
		free(op);
	}
	for (i = pid % r->pid_slots; r->pids[i].pid; i = (i + 1) % r->pid_slots)
		if (r->pids[i].pid == pid)
			return &r->pids[i];
	p = &r->pids[i];
	p->pid = pid;
	r->npids++;
	return p;
}

/*
 * A comm record: a name new for @pid means it has exec'd (or is new), so
 * the maps taken before do not hold for its next user samples.
 */
static void rec_comm(struct rec *r, uint32_t pid, const char *comm)
{
	struct rec_pid *p;

	if (!pid)	/* the idle tasks: kernel only */
		return;
	p = rec_pid(r, pid);
	if (memcmp(p->comm, comm, sizeof(p->comm))) {
		memcpy(p->comm, comm, sizeof(p->comm));
		p->mapped = false;
	}
}

/*
 * Does @s (a sample or count record rec_next() checked) hold a user
 * address: a user-mode pc, or user frames in its call stack (a sample in
 * a system call)?
 */
static bool rec_has_user(const struct adprof_sample *s)
{
	if (!(s->flags & ADPROF_SAMPLE_F_KERNEL))
		return true;
	return (s->flags & ADPROF_SAMPLE_F_STACK) &&
	       ((const struct adprof_stack *)(s + 1))->nr_user;
}

/*
 * A sample of @pid with a user address (rec_has_user()): snapshot its
 * maps the first time, and the first time after a new comm. Kernel-mode
 * samples without user frames (kernel threads; a process inside a system
 * call, without -g) are named by the kernel's symbols and need none: a
 * pid sampled only there costs no read of its maps.
 */
static void rec_user(struct rec *r, uint32_t pid)
{
	struct rec_pid *p;

	if (!pid)
		return;
	p = rec_pid(r, pid);
	if (!p->mapped) {
		p->mapped = true;
		rec_maps(r, pid);
	}
}

static void rec_seq(struct rec *r, uint32_t cpu, uint32_t seq)
{
	size_t n;

	if (cpu >= r->ncpus) {
		n = cpu + 64;
		r->next_seq = realloc(r->next_seq, n * sizeof(*r->next_seq));
		if (!r->next_seq) {
			fprintf(stderr, "adprofctl: record: out of memory\n");
			exit(EXIT_FAILURE);
		}
		while (r->ncpus < n)
			r->next_seq[r->ncpus++] = -1;
	}
	/* A stream starts at 0: a later first number means lost messages. */
	if (r->next_seq[cpu] < 0)
		r->end.gaps += seq;
	else
		r->end.gaps += (uint32_t)(seq - (uint32_t)r->next_seq[cpu]);
	r->next_seq[cpu] = (int64_t)seq + 1;
}

/* One message of the data socket: a SAMPLES message is written as a chunk. */
static void rec_msg(struct rec *r, struct nlmsghdr *nlh)
{
	static const struct nla_policy policy[ADPROF_A_MAX + 1] = {
		[ADPROF_A_CPU] = { .type = NLA_U32 },
		[ADPROF_A_SEQ] = { .type = NLA_U32 },
		[ADPROF_A_LOST] = { .type = NLA_U64 },
		[ADPROF_A_RECORD_VERSION] = { .type = NLA_U32 },
	};
	struct nlattr *tb[ADPROF_A_MAX + 1];
	const struct adprof_sample *s;
	struct adp_batch b;
	size_t len, off = 0;
	const void *data;
	uint32_t last = 0;	/* pid of the last user sample: mapped */
	bool bad = false;

	if (nlh->nlmsg_type != r->family || !genlmsg_valid_hdr(nlh, 0) ||
	    genlmsg_hdr(nlh)->cmd != ADPROF_CMD_SAMPLES)
		return;
	if (genlmsg_parse(nlh, 0, tb, ADPROF_A_MAX, policy) ||
	    !tb[ADPROF_A_CPU] || !tb[ADPROF_A_SEQ] || !tb[ADPROF_A_LOST] ||
	    !tb[ADPROF_A_SAMPLES] ||
	    (tb[ADPROF_A_RECORD_VERSION] &&
	     nla_get_u32(tb[ADPROF_A_RECORD_VERSION]) > ADPROF_RECORD_VERSION)) {
		fprintf(stderr, "adprofctl: record: malformed SAMPLES message\n");
		return;
	}
	b.cpu = nla_get_u32(tb[ADPROF_A_CPU]);
	b.seq = nla_get_u32(tb[ADPROF_A_SEQ]);
	b.lost = nla_get_u64(tb[ADPROF_A_LOST]);
	len = nla_len(tb[ADPROF_A_SAMPLES]);
	data = nla_data(tb[ADPROF_A_SAMPLES]);

	r->end.msgs++;
	r->bytes += nlh->nlmsg_len;
	r->end.lost += b.lost;
	rec_seq(r, b.cpu, b.seq);
	rec_chunk(r, ADP_CHUNK_BATCH, &b, sizeof(b), data, len);
	while ((s = rec_next(data, len, &off, &bad))) {
		if (s->flags & ADPROF_SAMPLE_F_COMM) {
			r->end.comms++;
			rec_comm(r, s->pid, s->comm);
			last = 0;
		} else {
			r->end.samples += adprof_record_samples(s);
			r->counts += !!(s->flags & ADPROF_SAMPLE_F_COUNT);
			/* Runs of one pid are the rule: look it up once. */
			if (rec_has_user(s) && s->pid != last) {
				rec_user(r, s->pid);
				last = s->pid;
			}
		}
	}
	if (bad)
		fprintf(stderr, "adprofctl: record: a SAMPLES message with a record cut short\n");
}

/* One event of the "irq" group, written with the time it arrived. */
static int rec_irq(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct adp_irq e = { .rx_ns = mono_ns() };
	struct rec *r = arg;
	int err;

	if (nlh->nlmsg_type != r->family)
		return NL_SKIP;
	err = adp_irq_parse(nlh, &e);
	if (err == -ENOMSG)
		return NL_SKIP;
	if (err) {
		fprintf(stderr, "adprofctl: record: malformed %s message\n",
			e.kind == ADP_IRQ_DMA_FAULT ? "DMA_FAULT" : "IRQ_EVENT");
		return NL_SKIP;
	}
	if (e.kind == ADP_IRQ_DMA_FAULT)
		r->irq_faults += e.count;
	else
		r->irq_count += e.count;
	r->irq_events++;
	rec_chunk(r, ADP_CHUNK_IRQ, &e, sizeof(e), NULL, 0);
	return NL_OK;
}

/* PROF_STOP's answer: the session's statistics after its last batch. */
struct rec_stop {
	bool have;
	uint64_t v[ADPROF_STAT_A_MAX + 1];
};

static int rec_stop_reply(struct nlattr **tb, void *arg)
{
	static const int need[] = { ADPROF_STAT_A_SAMPLE, ADPROF_STAT_A_OVERFLOW,
				    ADPROF_STAT_A_DROPBUF_SAMPLE };
	struct nlattr *st[ADPROF_STAT_A_MAX + 1];
	struct rec_stop *s = arg;
	size_t i;

	if (!tb[ADPROF_A_STATS] ||
	    nla_parse_nested(st, ADPROF_STAT_A_MAX, tb[ADPROF_A_STATS], NULL))
		return 0;
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!st[need[i]] || nla_len(st[need[i]]) != sizeof(uint64_t))
			return 0;
	for (i = 0; i <= ADPROF_STAT_A_MAX; i++)
		if (st[i] && nla_len(st[i]) == sizeof(uint64_t))
			s->v[i] = nla_get_u64(st[i]);
	s->have = true;
	return 0;
}

/*
 * Count as lost what the socket dropped. Every record the session took
 * reached the list (sample) or was dropped with its buffer
 * (dropbuf_sample), and every sample it could not take is in overflow; a
 * subscriber is told each one, as a record received or in a message's
 * LOST, a count record as its count (adprof.rst, Statistics). What the
 * statistics hold beyond that went in messages the socket dropped: their
 * records, and any LOST they carried. A PROF_CLEAR during the recording
 * zeroes the statistics; then they can fall short of what was received,
 * which is said and changes nothing.
 */
static void rec_reconcile(struct rec *r, const struct rec_stop *s)
{
	uint64_t want = s->v[ADPROF_STAT_A_SAMPLE] +
			s->v[ADPROF_STAT_A_DROPBUF_SAMPLE] +
			s->v[ADPROF_STAT_A_OVERFLOW];
	uint64_t got = r->end.samples + r->end.comms + r->end.lost;

	if (want > got) {
		r->unseen = want - got;
		r->end.lost += r->unseen;
	} else if (want < got) {
		fprintf(stderr, "adprofctl: record: received and told lost %" PRIu64
			" records, the statistics count %" PRIu64
			" (cleared meanwhile?)\n", got, want);
	}
}

/* Empty socket @sk; ENOBUFS counts in @overruns. */
static int rec_drain(struct nl_sock *sk, uint64_t *overruns)
{
	int err;

	for (;;) {
		err = nl_recvmsgs_default(sk);
		if (err == -NLE_NOMEM) {
			/* ENOBUFS: the socket overflowed; the sequence shows how much. */
			(*overruns)++;
			continue;
		}
		if (err == -NLE_AGAIN)
			return 0;
		if (err < 0) {
			fprintf(stderr, "adprofctl: record: receive: %s\n",
				nl_geterror(err));
			return -EIO;
		}
	}
}

/*
 * Empty the data socket @fd into the file. Not with libnl's nl_recvmsgs():
 * it allocates a buffer for each recvmsg() and then copies each message
 * into a zeroed nl_msg, two more passes over every sample's bytes (glibc's
 * rep stosb and movsb, about 64 guest instructions a sample on the
 * benchmark). One static buffer instead, twice the largest message
 * (the kernel keeps SAMPLES messages under 32 KiB), and one recvfrom() a
 * message; only the kernel's messages count. ENOBUFS counts an overrun.
 */
static int rec_drain_data(struct rec *r, int fd)
{
	static uint64_t buf[DATA_BUF_BYTES / sizeof(uint64_t)];
	struct sockaddr_nl from;
	struct nlmsghdr *nlh;
	socklen_t alen;
	ssize_t n;

	for (;;) {
		alen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC,
			     (struct sockaddr *)&from, &alen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				/* The socket overflowed; the sequence shows how much. */
				r->end.overruns++;
				continue;
			}
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			fprintf(stderr, "adprofctl: record: receive: %s\n",
				strerror(errno));
			return -EIO;
		}
		if (alen != sizeof(from) || from.nl_family != AF_NETLINK ||
		    from.nl_pid)
			continue;
		if ((size_t)n > sizeof(buf)) {
			fprintf(stderr, "adprofctl: record: a message of %zd bytes, more than %zu: skipped\n",
				n, sizeof(buf));
			continue;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n))
			rec_msg(r, nlh);
	}
}

/*
 * Read what the data socket (and the irq socket @irq, if not NULL) hold;
 * wait up to @ms for the first message.
 */
static int rec_read(struct rec *r, struct nl_sock *sk, struct nl_sock *irq, int ms)
{
	struct pollfd pfd[2] = {
		{ .fd = nl_socket_get_fd(sk), .events = POLLIN },
		{ .fd = irq ? nl_socket_get_fd(irq) : -1, .events = POLLIN },
	};
	int err;

	for (;;) {
		err = poll(pfd, 2, ms);
		if (err < 0 && errno == EINTR)
			return 0;
		if (err <= 0)
			return err;
		ms = 0;
		/* Interrupts first: their receipt time is their latency. */
		if (pfd[1].revents && rec_drain(irq, &r->irq_overruns))
			return -EIO;
		if (pfd[0].revents && rec_drain_data(r, pfd[0].fd))
			return -EIO;
	}
}

static void on_signal(int sig)
{
	rec_signal = sig;
}

static void on_child(int sig __attribute__((unused)))
{
	rec_child = 1;
}

static void progress(const struct rec *r, uint64_t start, bool done)
{
	if (done) {
		fputs("\r\033[K", stderr);
		return;
	}
	fprintf(stderr, "\rrecording %" PRIu64 " s: %" PRIu64 " samples, %"
		PRIu64 " lost, %" PRIu64 " gaps\033[K",
		(uint64_t)((mono_ns() - start) / 1000000000ULL), r->end.samples,
		r->end.lost, r->end.gaps);
}

/* The "irq" group's socket of --irq; its joining needs CAP_NET_ADMIN. */
static int irq_open(struct adp_nl *irq, struct rec *r)
{
	int size = 4 << 20;

	if (adp_nl_open(irq, "record"))
		return -1;
	if (adp_nl_join(irq, ADPROF_MCGRP_IRQ)) {
		adp_nl_close(irq);
		return -1;
	}
	nl_socket_disable_seq_check(irq->sk);
	nl_socket_modify_cb(irq->sk, NL_CB_VALID, NL_CB_CUSTOM, rec_irq, r);
	nl_socket_set_nonblocking(irq->sk);
	setsockopt(nl_socket_get_fd(irq->sk), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return 0;
}

static int data_open(struct adp_nl *data, struct rec *r)
{
	const char *env = getenv("ADPROFCTL_RCVBUF");
	int size = RCVBUF_BYTES, fd;
	uint32_t v;

	/* A smaller socket buffer: to see what record does when it overflows. */
	if (env) {
		if (parse_u32(env, RCVBUF_MIN, RCVBUF_BYTES, &v)) {
			fprintf(stderr, "adprofctl: record: ADPROFCTL_RCVBUF %s: not a number of bytes in %d..%d\n",
				env, RCVBUF_MIN, RCVBUF_BYTES);
			return -1;
		}
		size = v;
	}
	if (adp_nl_open(data, "record"))
		return -1;
	if (adp_nl_join(data, ADPROF_MCGRP_SAMPLES)) {
		adp_nl_close(data);
		return -1;
	}
	r->family = data->family;
	/* Read by rec_drain_data(), not libnl. */
	nl_socket_set_nonblocking(data->sk);
	/* Room for seconds of samples; root may pass rmem_max. */
	fd = nl_socket_get_fd(data->sk);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return 0;
}

static pid_t run_command(char **argv)
{
	pid_t pid = fork();

	if (pid < 0) {
		fprintf(stderr, "adprofctl: record: fork: %s\n", strerror(errno));
		return -1;
	}
	if (!pid) {
		execvp(argv[0], argv);
		fprintf(stderr, "adprofctl: record: %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	return pid;
}

int cmd_record(struct adp_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		START_LONG_OPTS,
		{ "duration", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "irq", no_argument, NULL, OPT_IRQ },
		{}
	};
	const char *path = "adprof.data";
	struct sigaction sa = { .sa_handler = on_signal };
	struct sigaction sa_chld = { .sa_handler = on_child };
	struct adp_file_header h = { .version = 2 };
	struct start_args a = {};
	struct rec r = { .ctx = ctx };
	struct rec_stop stop = {};
	struct adp_nl ctl, data, irq;
	bool with_irq = false;
	uint64_t dur_ms = 0, start, deadline, last = 0;
	int c, ret, status, exit_code = EXIT_FAILURE;
	bool tty = isatty(STDERR_FILENO), stopped = false;
	pid_t child = 0;
	struct nl_msg *msg;

	while ((c = getopt_long(argc, argv, "+:" START_SHORT_OPTS "d:o:", opts,
				NULL)) != -1) {
		switch (c) {
		case 'd':
			ret = parse_duration_ms(optarg, &dur_ms);
			if (ret || !dur_ms)
				return arg_error(ctx, "duration", optarg,
						 ret ? ret : -ERANGE);
			break;
		case 'o':
			path = optarg;
			break;
		case OPT_IRQ:
			with_irq = true;
			break;
		default:
			ret = start_opt(ctx, c, &a);
			if (ret < 0)
				return opt_error(ctx, c, argv);
			if (ret)
				return ret;
		}
	}

	if (data_open(&data, &r))
		return EXIT_FAILURE;
	if (with_irq && irq_open(&irq, &r))
		goto out_close_data;
	if (adp_nl_open(&ctl, "record"))
		goto out_close_irq;
	r.f = fopen(path, "w");
	if (!r.f) {
		fprintf(stderr, "adprofctl: record: %s: %s\n", path, strerror(errno));
		goto out_close_ctl;
	}
	setvbuf(r.f, NULL, _IOFBF, FILE_BUF_BYTES);

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* No SA_RESTART: the command's exit interrupts the loop's poll(). */
	sigaction(SIGCHLD, &sa_chld, NULL);

	memcpy(h.magic, ADP_FILE_MAGIC, sizeof(h.magic));
	h.header_size = sizeof(h);
	h.sample_size = sizeof(struct adprof_sample);
	h.freq = a.freq;
	/* Only a summary's files need a reader of count records. */
	if (a.flags & ADPROF_PROF_F_SUMMARY)
		h.version = ADP_FILE_VERSION;
	h.depth = a.flags & ADPROF_PROF_F_STACK ?
		  (a.depth ? a.depth : ADPROF_STACK_DEPTH_DEFAULT) : 0;
	h.flags = with_irq ? ADP_FILE_F_IRQ : 0;
	h.start_ns = mono_ns();
	rec_write(&r, &h, sizeof(h));

	msg = start_msg(&a);
	if (!msg) {
		build_failed(ctx, msg);
		goto out_close_ctl;
	}
	if (adp_request(&ctl, msg, NULL, NULL)) {
		unlink(path);
		goto out_close_ctl;
	}
	start = mono_ns();
	if (optind < argc) {
		child = run_command(argv + optind);
		if (child < 0)
			goto out_stop;
	}
	deadline = dur_ms ? start + dur_ms * 1000000ULL : 0;

	while (!rec_signal) {
		if (deadline && mono_ns() >= deadline)
			break;
		if (child && rec_child && waitpid(child, &status, WNOHANG) == child) {
			child = 0;
			break;
		}
		if (rec_read(&r, data.sk, with_irq ? irq.sk : NULL, 100) < 0)
			goto out_stop;
		if (tty && mono_ns() - last >= 1000000000ULL) {
			last = mono_ns();
			progress(&r, start, false);
		}
	}
	exit_code = EXIT_SUCCESS;

out_stop:
	msg = adp_msg_new(ADPROF_CMD_PROF_STOP, 0);
	if (!msg || adp_request(&ctl, msg, rec_stop_reply, &stop))
		exit_code = EXIT_FAILURE;
	else
		stopped = true;
	/* The stop is answered after the last batch was sent. */
	if (rec_read(&r, data.sk, with_irq ? irq.sk : NULL, 0) < 0)
		exit_code = EXIT_FAILURE;
	if (stop.have)
		rec_reconcile(&r, &stop);
	else if (stopped)
		fprintf(stderr, "adprofctl: record: the stop's answer has no statistics: what the socket dropped is not counted\n");
	h.end_ns = stopped ? mono_ns() : 0;
	if (tty)
		progress(&r, start, true);
	/* Recording ended first (-d or a signal): the command ends too. */
	if (child)
		kill(child, SIGTERM);
out_close_ctl:
	adp_nl_close(&ctl);
out_close_irq:
	if (with_irq)
		adp_nl_close(&irq);
out_close_data:
	adp_nl_close(&data);
	if (!r.f)
		return EXIT_FAILURE;
	if (r.end.msgs || stopped) {
		size_t i;

		/* Later maps of the processes still there, for late mmaps. */
		for (i = 0; i < r.pid_slots; i++)
			if (r.pids[i].pid && r.pids[i].mapped)
				rec_maps(&r, r.pids[i].pid);
		rec_chunk(&r, ADP_CHUNK_END, &r.end, sizeof(r.end), NULL, 0);
		if (!r.werr && (fseek(r.f, 0, SEEK_SET) ||
				fwrite(&h, sizeof(h), 1, r.f) != 1))
			r.werr = errno ? errno : EIO;
		fprintf(stderr, "adprofctl: record: %" PRIu64 " samples, %" PRIu64
			" comm records in %" PRIu64 " messages written to %s; lost %"
			PRIu64 ", sequence gaps %" PRIu64 ", socket overruns %"
			PRIu64 "; %" PRIu64 " bytes received", r.end.samples,
			r.end.comms, r.end.msgs, path, r.end.lost, r.end.gaps,
			r.end.overruns, r.bytes);
		if (a.flags & ADPROF_PROF_F_SUMMARY)
			fprintf(stderr, ", %" PRIu64 " count records", r.counts);
		fputc('\n', stderr);
		if (r.unseen)
			fprintf(stderr, "adprofctl: record: %" PRIu64
				" records in messages the socket dropped (%" PRIu64
				" overruns): counted lost, by the stop's statistics\n",
				r.unseen, r.end.overruns);
		if (with_irq)
			fprintf(stderr, "adprofctl: record: irq group: %" PRIu64
				" events, %" PRIu64 " interrupts, %" PRIu64
				" DMA faults; socket overruns %" PRIu64 "\n",
				r.irq_events, r.irq_count, r.irq_faults,
				r.irq_overruns);
	}
	if (fclose(r.f) && !r.werr)
		r.werr = errno;
	if (r.werr) {
		fprintf(stderr, "adprofctl: record: %s: %s\n", path,
			strerror(r.werr));
		exit_code = EXIT_FAILURE;
	}
	free(r.next_seq);
	free(r.pids);
	return exit_code;
}
