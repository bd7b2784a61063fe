// SPDX-License-Identifier: GPL-2.0
/*
 * adprof-stress: several clients at once mixing every command, joining
 * and leaving the multicast groups and closing sockets abruptly. Each
 * answer must be success or one of the errnos design.md documents for
 * that situation; anything else is reported and fails the run.
 *
 * usage: adprof-stress -d SECONDS [-c CLIENTS] [-s SEED] [-l CYCLES] BUS:DEVFN...
 *   each BUS:DEVFN (hex, e.g. 00:20 for 00:04.0) is a device the clients
 *   may assign; the caller arranges that none is bound to a host driver.
 *   -l first runs CYCLES full life cycles, one request at a time, each
 *   of which must succeed: every device assigned, its interrupts routed
 *   (MSI-X with two entries where it has MSI-X, else MSI, then INTx with
 *   an ack), listed, released (explicitly on odd cycles, by DEV_DEASSIGN
 *   on even ones) and deassigned; then a profiling session started with
 *   small buffers, read, and ended by PROF_STOP or by closing its socket.
 *   A leak of one object per device, vector or session shows as CYCLES
 *   objects (tests/guest/80-stress.sh counts them); -d 0 runs no clients.
 * Prints per-client operation counts; exit 0 when nothing unexpected.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/adprof.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#define MAX_DEVS	4
#define NR_IDS		3

static int family, grp_irq, grp_samples;
static unsigned int bus[MAX_DEVS], devfn[MAX_DEVS], ndevs;
static uint64_t rs;

static uint32_t rnd(uint32_t n)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return n ? rs % n : 0;
}

struct req {
	unsigned char b[512];
	size_t len;
};

static void req_init(struct req *r, uint8_t cmd, int dump)
{
	struct nlmsghdr *h = (struct nlmsghdr *)r->b;
	struct genlmsghdr *g = NLMSG_DATA(h);

	memset(r, 0, sizeof(*r));
	h->nlmsg_type = family;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
	g->cmd = cmd;
	g->version = ADPROF_GENL_VERSION;
	r->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

static void put(struct req *r, uint16_t type, const void *v, size_t len)
{
	struct nlattr *a = (struct nlattr *)(r->b + r->len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, v, len);
	r->len += NLA_ALIGN(a->nla_len);
}

static void put_u32(struct req *r, uint16_t type, uint32_t v)
{
	put(r, type, &v, 4);
}

static void put_u8(struct req *r, uint16_t type, uint8_t v)
{
	put(r, type, &v, 1);
}

static int sock_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("adprof-stress: socket");
		exit(2);
	}
	return fd;
}

/* Send, then read until the ack (or the dump's end): its errno, >= 0. */
static int transact(int fd, struct req *r)
{
	static unsigned char rb[65536];
	struct nlmsghdr *h = (struct nlmsghdr *)r->b;

	h->nlmsg_len = r->len;
	if (send(fd, r->b, r->len, 0) < 0)
		return errno;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 10000) <= 0)
			return ETIMEDOUT;
		n = recv(fd, rb, sizeof(rb), 0);
		if (n < 0) {
			if (errno == ENOBUFS) /* multicast overrun: fine */
				continue;
			return errno;
		}
		for (h = (struct nlmsghdr *)rb; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR)
				return -((struct nlmsgerr *)NLMSG_DATA(h))->error;
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
		}
	}
}

enum op { OP_ASSIGN, OP_DEASSIGN, OP_IRQ_MSI, OP_IRQ_INTX, OP_IRQ_DEASSIGN,
	  OP_ACK, OP_MSIX_NR, OP_MSIX_ENTRY, OP_IRQ_MSIX, OP_DUMP, OP_START,
	  OP_STOP, OP_CLEAR, OP_STAT, OP_JOIN, OP_CLOSE, NR_OPS };

static const char *const op_names[NR_OPS] = {
	"assign", "deassign", "irq-msi", "irq-intx", "irq-deassign", "ack",
	"msix-nr", "msix-entry", "irq-msix", "dump", "start", "stop", "clear",
	"stat", "join", "close",
};

/* The errnos design.md allows for each operation besides success. */
static int allowed(enum op op, int err)
{
	switch (op) {
	case OP_ASSIGN:
		return err == EEXIST || err == EBUSY || err == ENOSPC;
	case OP_DEASSIGN:
	case OP_DUMP:
		return err == ENODEV;
	case OP_IRQ_MSI:
	case OP_IRQ_INTX:
	case OP_IRQ_MSIX:
		return err == ENODEV || err == EEXIST || err == EINVAL ||
		       err == EOPNOTSUPP || err == EBUSY;
	case OP_IRQ_DEASSIGN:
		return err == ENODEV || err == ENXIO;
	case OP_ACK:
		return err == ENODEV || err == EINVAL;
	case OP_MSIX_NR:
	case OP_MSIX_ENTRY:
		return err == ENODEV || err == EINVAL || err == ENOSPC ||
		       err == EOPNOTSUPP;
	case OP_START:
		return err == EBUSY;
	default:
		return 0;
	}
}

/*
 * A client's sockets: requests go on @fd, which joins no group, so that
 * no multicast can overrun it and drop an ack (netlink drops what does not
 * fit); @sub joins and leaves the groups and is read between requests.
 */
struct client_socks {
	int fd, sub;
};

/* Read what @sub has queued, a bounded amount. */
static void sub_drain(int sub)
{
	static unsigned char rb[65536];
	int i;

	for (i = 0; i < 64; i++)
		if (recv(sub, rb, sizeof(rb), MSG_DONTWAIT) < 0 && errno != ENOBUFS)
			return;
}

static int do_op(struct client_socks *cs, enum op op)
{
	uint32_t id = 1 + rnd(NR_IDS), d = rnd(ndevs), v;
	struct req r;

	switch (op) {
	case OP_ASSIGN:
		req_init(&r, ADPROF_CMD_DEV_ASSIGN, 0);
		put_u32(&r, ADPROF_A_DEV_ID, id);
		put_u8(&r, ADPROF_A_PCI_BUS, bus[d]);
		put_u8(&r, ADPROF_A_PCI_DEVFN, devfn[d]);
		break;
	case OP_DEASSIGN:
		req_init(&r, ADPROF_CMD_DEV_DEASSIGN, 0);
		put_u32(&r, ADPROF_A_DEV_ID, id);
		break;
	case OP_IRQ_MSI:
	case OP_IRQ_INTX:
	case OP_IRQ_MSIX:
		v = op == OP_IRQ_MSI ? ADPROF_IRQ_HOST_MSI | ADPROF_IRQ_GUEST_MSI :
		    op == OP_IRQ_INTX ? ADPROF_IRQ_HOST_INTX | ADPROF_IRQ_GUEST_INTX :
		    ADPROF_IRQ_HOST_MSIX | ADPROF_IRQ_GUEST_MSIX;
		req_init(&r, ADPROF_CMD_IRQ_ASSIGN, 0);
		put_u32(&r, ADPROF_A_DEV_ID, id);
		put_u32(&r, ADPROF_A_IRQ_FLAGS, v);
		put_u32(&r, ADPROF_A_GUEST_IRQ, 32 + id);
		break;
	case OP_IRQ_DEASSIGN:
		req_init(&r, ADPROF_CMD_IRQ_DEASSIGN, 0);
		put_u32(&r, ADPROF_A_DEV_ID, id);
		put_u32(&r, ADPROF_A_IRQ_FLAGS, rnd(2) ? ADPROF_IRQ_HOST_INTX |
			ADPROF_IRQ_HOST_MSI | ADPROF_IRQ_HOST_MSIX : ADPROF_IRQ_ALL);
		break;
	case OP_ACK:
		req_init(&r, ADPROF_CMD_IRQ_ACK, 0);
		put_u32(&r, ADPROF_A_DEV_ID, id);
		break;
	case OP_MSIX_NR:
		req_init(&r, ADPROF_CMD_MSIX_SET_NR, 0);
		put_u32(&r, ADPROF_A_DEV_ID, id);
		put_u32(&r, ADPROF_A_MSIX_NR, 1 + rnd(4));
		break;
	case OP_MSIX_ENTRY:
		req_init(&r, ADPROF_CMD_MSIX_SET_ENTRY, 0);
		put_u32(&r, ADPROF_A_DEV_ID, id);
		put_u32(&r, ADPROF_A_MSIX_ENTRY, rnd(4));
		put_u32(&r, ADPROF_A_GSI, 100 + rnd(8));
		break;
	case OP_DUMP:
		req_init(&r, ADPROF_CMD_DEV_GET, 1);
		break;
	case OP_START:
		req_init(&r, ADPROF_CMD_PROF_START, 0);
		put_u32(&r, ADPROF_A_FREQ, 100 + rnd(900));
		put_u32(&r, ADPROF_A_MAX_BUFS, 1 + rnd(8));
		put_u32(&r, ADPROF_A_PROF_FLAGS, rnd(2) ? ADPROF_PROF_F_DETACH : 0);
		break;
	case OP_STOP:
		req_init(&r, ADPROF_CMD_PROF_STOP, 0);
		break;
	case OP_CLEAR:
		req_init(&r, ADPROF_CMD_PROF_CLEAR, 0);
		break;
	case OP_STAT:
		req_init(&r, ADPROF_CMD_PROF_GET_STAT, 0);
		break;
	case OP_JOIN:
		v = rnd(2) ? grp_irq : grp_samples;
		if (setsockopt(cs->sub, SOL_NETLINK, rnd(3) ?
			       NETLINK_ADD_MEMBERSHIP : NETLINK_DROP_MEMBERSHIP,
			       &v, sizeof(v)) < 0)
			return errno;
		return 0;
	case OP_CLOSE:
		/* Abruptly: whatever these sockets owned must be released. */
		close(cs->fd);
		close(cs->sub);
		cs->fd = sock_open();
		cs->sub = sock_open();
		return 0;
	default:
		return EINVAL;
	}
	return transact(cs->fd, &r);
}

/* ---------------------------------------------------------- cycles */

static long cycle_ops, cycle_bad;

/* One request of a cycle: must answer @want (0, or an errno). */
static int step(int fd, struct req *r, long cycle, const char *what, int want)
{
	int err = transact(fd, r);

	cycle_ops++;
	if (err != want) {
		cycle_bad++;
		printf("cycle %ld: %s: %s (%d), wanted %d\n", cycle, what,
		       strerror(err), err, want);
	}
	return err;
}

static void irq_req(struct req *r, uint32_t id, uint8_t cmd, uint32_t flags)
{
	req_init(r, cmd, 0);
	put_u32(r, ADPROF_A_DEV_ID, id);
	put_u32(r, ADPROF_A_IRQ_FLAGS, flags);
	if (cmd == ADPROF_CMD_IRQ_ASSIGN)
		put_u32(r, ADPROF_A_GUEST_IRQ, 40);
}

static void dev_cycle(int fd, long i, unsigned int d)
{
	const uint32_t msi = ADPROF_IRQ_HOST_MSI | ADPROF_IRQ_GUEST_MSI;
	const uint32_t msix = ADPROF_IRQ_HOST_MSIX | ADPROF_IRQ_GUEST_MSIX;
	const uint32_t intx = ADPROF_IRQ_HOST_INTX | ADPROF_IRQ_GUEST_INTX;
	uint32_t id = 100 + d, e, flags;
	struct req r;
	int err;

	req_init(&r, ADPROF_CMD_DEV_ASSIGN, 0);
	put_u32(&r, ADPROF_A_DEV_ID, id);
	put_u8(&r, ADPROF_A_PCI_BUS, bus[d]);
	put_u8(&r, ADPROF_A_PCI_DEVFN, devfn[d]);
	if (step(fd, &r, i, "assign", 0))
		return;

	req_init(&r, ADPROF_CMD_MSIX_SET_NR, 0);
	put_u32(&r, ADPROF_A_DEV_ID, id);
	put_u32(&r, ADPROF_A_MSIX_NR, 2);
	err = transact(fd, &r);
	cycle_ops++;
	if (!err) {
		for (e = 0; e < 2; e++) {
			req_init(&r, ADPROF_CMD_MSIX_SET_ENTRY, 0);
			put_u32(&r, ADPROF_A_DEV_ID, id);
			put_u32(&r, ADPROF_A_MSIX_ENTRY, e);
			put_u32(&r, ADPROF_A_GSI, 200 + e);
			step(fd, &r, i, "msix-entry", 0);
		}
		flags = msix;
	} else if (err == EOPNOTSUPP) {
		flags = msi;
	} else {
		cycle_bad++;
		printf("cycle %ld: msix-nr: %s (%d)\n", i, strerror(err), err);
		flags = msi;
	}
	irq_req(&r, id, ADPROF_CMD_IRQ_ASSIGN, flags);
	step(fd, &r, i, flags == msix ? "irq-msix" : "irq-msi", 0);

	req_init(&r, ADPROF_CMD_DEV_GET, 1);
	step(fd, &r, i, "dump", 0);

	if (i % 2) {
		irq_req(&r, id, ADPROF_CMD_IRQ_DEASSIGN, flags);
		step(fd, &r, i, "irq-deassign", 0);
		if (flags == msi) {
			irq_req(&r, id, ADPROF_CMD_IRQ_ASSIGN, intx);
			step(fd, &r, i, "irq-intx", 0);
			req_init(&r, ADPROF_CMD_IRQ_ACK, 0);
			put_u32(&r, ADPROF_A_DEV_ID, id);
			step(fd, &r, i, "ack", 0);
		}
	}

	req_init(&r, ADPROF_CMD_DEV_DEASSIGN, 0);
	put_u32(&r, ADPROF_A_DEV_ID, id);
	step(fd, &r, i, "deassign", 0);
}

static void prof_cycle(long i)
{
	int fd = sock_open(), v = grp_samples;
	struct req r;

	req_init(&r, ADPROF_CMD_PROF_START, 0);
	put_u32(&r, ADPROF_A_FREQ, 1000);
	put_u32(&r, ADPROF_A_BUF_SAMPLES, ADPROF_BUF_SAMPLES_MIN);
	put_u32(&r, ADPROF_A_MAX_BUFS, 4);
	if (step(fd, &r, i, "start", 0))
		goto out;
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &v, sizeof(v))) {
		cycle_bad++;
		printf("cycle %ld: join samples: %s\n", i, strerror(errno));
	}
	req_init(&r, ADPROF_CMD_PROF_GET_STAT, 0);
	step(fd, &r, i, "stat", 0);
	/* Odd cycles stop; even ones leave it to the socket's release. */
	if (i % 2) {
		req_init(&r, ADPROF_CMD_PROF_STOP, 0);
		step(fd, &r, i, "stop", 0);
	}
out:
	close(fd);
}

static int cycles(long n)
{
	int fd = sock_open();
	unsigned int d;
	long i;

	for (i = 0; i < n; i++) {
		for (d = 0; d < ndevs; d++)
			dev_cycle(fd, i, d);
		prof_cycle(i);
	}
	close(fd);
	printf("cycles: %ld of %u devices and a session, %ld requests, failed=%ld\n",
	       n, ndevs, cycle_ops, cycle_bad);
	return cycle_bad ? 1 : 0;
}

static int client(int n, time_t end, uint64_t seed)
{
	struct client_socks cs = { sock_open(), sock_open() };
	long ops[NR_OPS] = { 0 }, bad = 0;
	int i;

	rs = seed * 7919 + n * 104729 + 1;
	while (time(NULL) < end) {
		enum op op = rnd(NR_OPS);
		int err = do_op(&cs, op);

		sub_drain(cs.sub);
		ops[op]++;
		if (err && !allowed(op, err)) {
			bad++;
			printf("client %d: %s: unexpected %s (%d)\n", n,
			       op_names[op], strerror(err), err);
		}
	}
	close(cs.fd);
	close(cs.sub);
	printf("client %d:", n);
	for (i = 0; i < NR_OPS; i++)
		printf(" %s=%ld", op_names[i], ops[i]);
	printf(" unexpected=%ld\n", bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	int secs = 15, clients = 4, c, i, rc = 0, status;
	long ncycles = 0;
	unsigned long long seed = 1;
	struct nl_sock *sk;
	time_t end;

	while ((c = getopt(argc, argv, "d:c:s:l:")) != -1) {
		switch (c) {
		case 'd':
			secs = atoi(optarg);
			break;
		case 'c':
			clients = atoi(optarg);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'l':
			ncycles = atol(optarg);
			break;
		default:
			goto usage;
		}
	}
	for (i = optind; i < argc && ndevs < MAX_DEVS; i++, ndevs++)
		if (sscanf(argv[i], "%x:%x", &bus[ndevs], &devfn[ndevs]) != 2)
			goto usage;
	if (!ndevs || clients < 1 || clients > 16 || secs < 0 || ncycles < 0)
		goto usage;

	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk))
		return 2;
	family = genl_ctrl_resolve(sk, ADPROF_GENL_NAME);
	grp_irq = genl_ctrl_resolve_grp(sk, ADPROF_GENL_NAME, ADPROF_MCGRP_IRQ);
	grp_samples = genl_ctrl_resolve_grp(sk, ADPROF_GENL_NAME,
					    ADPROF_MCGRP_SAMPLES);
	nl_socket_free(sk);
	if (family < 0 || grp_irq < 0 || grp_samples < 0) {
		fprintf(stderr, "adprof-stress: adprof family not found\n");
		return 1;
	}

	if (ncycles && cycles(ncycles))
		rc = 1;
	if (!secs)
		return rc;
	end = time(NULL) + secs;
	for (i = 0; i < clients; i++) {
		fflush(stdout);
		if (fork() == 0)
			exit(client(i, end, seed));
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			rc = 1;
	return rc;

usage:
	fprintf(stderr, "usage: adprof-stress -d SECONDS [-c CLIENTS] [-s SEED] [-l CYCLES] BUS:DEVFN...\n");
	return 2;
}
