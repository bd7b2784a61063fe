// SPDX-License-Identifier: GPL-2.0
/*
 * adprof-fuzz: send random and mutated generic netlink messages to the
 * adprof family. Seeded and reproducible: the same seed sends the same
 * bytes. Every command (and a few that do not exist), random attribute
 * sets with right and wrong types and lengths, nested garbage, huge
 * values, random header flags, and dumps abandoned half-way.
 *
 * usage: adprof-fuzz [-s SEED] [-n COUNT] [-v]
 * Half the messages are well formed instead: a real command with only its
 * own attributes, each of the right type and mostly of a plausible value
 * (device ids 1-3, the guest's edu and virtio-rng addresses), so that they
 * pass the policy and reach the handlers' own rules and state.
 * Prints a summary: messages sent (well-formed ones apart), replies by
 * errno. Exit 0 when the family still answers PROF_GET_INFO at the end, 1
 * otherwise.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/adprof.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#define MSG_MAX 4096

static uint64_t rng_state;

/* xorshift64*: small, fast, and the same sequence on every machine */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint32_t rnd_below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

/* Values that find off-by-ones and overflows. */
static uint64_t interesting(void)
{
	static const uint64_t v[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 63, 64, 100, 127, 128,
		255, 256, 1000, 2047, 2048, 4095, 4096, 32767, 32768, 65535,
		65536, 65537, 100000, 100001, 0x7fffffff, 0x80000000,
		0xffffffff, 0x100000000ULL, ~0ULL,
		ADPROF_IRQ_HOST_MSI | ADPROF_IRQ_GUEST_MSI,
		ADPROF_IRQ_HOST_INTX | ADPROF_IRQ_GUEST_INTX,
		ADPROF_IRQ_HOST_MSIX | ADPROF_IRQ_GUEST_MSIX,
	};

	if (rnd_below(4) == 0)
		return rnd();
	return v[rnd_below(sizeof(v) / sizeof(v[0]))];
}

struct msgbuf {
	unsigned char b[MSG_MAX];
	size_t len;
};

static void *put(struct msgbuf *m, size_t n)
{
	void *p;

	if (m->len + NLMSG_ALIGN(n) > MSG_MAX)
		return NULL;
	p = m->b + m->len;
	memset(p, 0, NLMSG_ALIGN(n));
	m->len += NLMSG_ALIGN(n);
	return p;
}

/* One attribute of a random type, length and value; sometimes nested. */
static void put_attr(struct msgbuf *m, int depth)
{
	static const size_t lens[] = { 0, 1, 2, 3, 4, 5, 8, 12, 16, 32, 33 };
	struct nlattr *a;
	uint16_t type;
	size_t len, start, i;
	uint64_t v;

	/* Mostly real attributes, sometimes beyond the family's maximum. */
	type = rnd_below(8) ? rnd_below(ADPROF_A_MAX + 1) : rnd_below(0x4000);
	if (rnd_below(8) == 0)
		type |= NLA_F_NESTED;
	if (rnd_below(64) == 0)
		type |= NLA_F_NET_BYTEORDER;

	start = m->len;
	a = put(m, NLA_HDRLEN);
	if (!a)
		return;
	a->nla_type = type;

	if ((type & NLA_F_NESTED || rnd_below(10) == 0) && depth < 3) {
		unsigned int n = rnd_below(4);

		a->nla_type |= NLA_F_NESTED;
		while (n--)
			put_attr(m, depth + 1);
		a = (struct nlattr *)(m->b + start);
		a->nla_len = m->len - start;
		return;
	}

	switch (rnd_below(4)) {
	case 0:
		len = lens[rnd_below(sizeof(lens) / sizeof(lens[0]))];
		break;
	case 1:
		len = rnd_below(80);
		break;
	default:
		len = 1U << rnd_below(4); /* u8..u64 */
		break;
	}
	{
		unsigned char *p = put(m, len);

		if (!p)
			return;
		v = interesting();
		if (len <= 8) {
			memcpy(p, &v, len);
		} else if (rnd_below(2)) {
			/* a string, terminated or not */
			for (i = 0; i < len; i++)
				p[i] = "cpu-clockcycles\0x"[rnd_below(17)];
		} else {
			for (i = 0; i < len; i++)
				p[i] = rnd();
		}
	}
	a = (struct nlattr *)(m->b + start);
	a->nla_len = NLA_HDRLEN + len;
	/* Occasionally lie about the length. */
	if (rnd_below(50) == 0)
		a->nla_len = rnd_below(0x200);
}

/* ------------------------------------------------- well-formed messages */

struct fattr {
	uint16_t type;
	uint8_t len;		/* 1, 2, 4, 8; 0: string; 255: CPU mask */
};

#define A(t, l) { ADPROF_A_##t, l }
static const struct fattr a_assign[] = {
	A(DEV_ID, 4), A(PCI_SEGMENT, 2), A(PCI_BUS, 1), A(PCI_DEVFN, 1),
	A(DEV_FLAGS, 4), { 0, 0 } };
static const struct fattr a_id[] = { A(DEV_ID, 4), { 0, 0 } };
static const struct fattr a_irq[] = {
	A(DEV_ID, 4), A(IRQ_FLAGS, 4), A(GUEST_IRQ, 4), { 0, 0 } };
static const struct fattr a_irq_de[] = { A(DEV_ID, 4), A(IRQ_FLAGS, 4), { 0, 0 } };
static const struct fattr a_msix_nr[] = { A(DEV_ID, 4), A(MSIX_NR, 4), { 0, 0 } };
static const struct fattr a_msix_entry[] = {
	A(DEV_ID, 4), A(MSIX_ENTRY, 4), A(GSI, 4), { 0, 0 } };
static const struct fattr a_start[] = {
	A(BACKEND, 0), A(FREQ, 4), A(CPUMASK, 255), A(BUF_SAMPLES, 4),
	A(MAX_BUFS, 4), A(PROF_FLAGS, 4), { 0, 0 } };
static const struct fattr a_dma_map[] = {
	A(DEV_ID, 4), A(VADDR, 8), A(IOVA, 8), A(SIZE, 8), A(DMA_FLAGS, 4),
	{ 0, 0 } };
static const struct fattr a_dma_range[] = {
	A(DEV_ID, 4), A(IOVA, 8), A(SIZE, 8), { 0, 0 } };
static const struct fattr a_dma_get[] = { A(DEV_ID, 4), A(IOVA, 8), { 0, 0 } };
static const struct fattr a_none[] = { { 0, 0 } };
#undef A

/* Requests: every command but the notifications. */
static const uint8_t do_cmds[] = {
	ADPROF_CMD_DEV_ASSIGN, ADPROF_CMD_DEV_DEASSIGN, ADPROF_CMD_DEV_GET,
	ADPROF_CMD_IRQ_ASSIGN, ADPROF_CMD_IRQ_DEASSIGN, ADPROF_CMD_MSIX_SET_NR,
	ADPROF_CMD_MSIX_SET_ENTRY, ADPROF_CMD_IRQ_ACK, ADPROF_CMD_PROF_GET_INFO,
	ADPROF_CMD_PROF_START, ADPROF_CMD_PROF_STOP, ADPROF_CMD_PROF_GET_STAT,
	ADPROF_CMD_PROF_CLEAR, ADPROF_CMD_DMA_MAP, ADPROF_CMD_DMA_UNMAP,
	ADPROF_CMD_DMA_GET,
};

static const struct fattr *const cmd_attrs[ADPROF_CMD_MAX + 1] = {
	[ADPROF_CMD_DEV_ASSIGN] = a_assign,
	[ADPROF_CMD_DEV_DEASSIGN] = a_id,
	[ADPROF_CMD_DEV_GET] = a_id,
	[ADPROF_CMD_IRQ_ASSIGN] = a_irq,
	[ADPROF_CMD_IRQ_DEASSIGN] = a_irq_de,
	[ADPROF_CMD_MSIX_SET_NR] = a_msix_nr,
	[ADPROF_CMD_MSIX_SET_ENTRY] = a_msix_entry,
	[ADPROF_CMD_IRQ_ACK] = a_id,
	[ADPROF_CMD_PROF_GET_INFO] = a_none,
	[ADPROF_CMD_PROF_START] = a_start,
	[ADPROF_CMD_PROF_STOP] = a_none,
	[ADPROF_CMD_PROF_GET_STAT] = a_none,
	[ADPROF_CMD_PROF_CLEAR] = a_none,
	[ADPROF_CMD_DMA_MAP] = a_dma_map,
	[ADPROF_CMD_DMA_UNMAP] = a_dma_range,
	[ADPROF_CMD_DMA_GET] = a_dma_get,
};

/* Memory of ours for DMA_MAP to pin (where a domain takes it). */
static char fuzz_page[4096] __attribute__((aligned(4096)));

/* A value that mostly makes sense for @type; sometimes an interesting one. */
static uint64_t plausible(uint16_t type)
{
	/* edu and virtio-rng (00:03.0, 00:04.0), the host bridge, ISA, none */
	static const uint8_t devfns[] = { 0x18, 0x18, 0x20, 0x00, 0x08, 0xf8 };
	static const uint32_t flags[] = {
		ADPROF_IRQ_HOST_MSI | ADPROF_IRQ_GUEST_MSI,
		ADPROF_IRQ_HOST_INTX | ADPROF_IRQ_GUEST_INTX,
		ADPROF_IRQ_HOST_MSIX | ADPROF_IRQ_GUEST_MSIX,
		ADPROF_IRQ_HOST_MSI, ADPROF_IRQ_GUEST_MSIX, ADPROF_IRQ_ALL,
		ADPROF_IRQ_HOST_INTX | ADPROF_IRQ_GUEST_MSI,
	};

	if (rnd_below(8) == 0)
		return interesting();
	switch (type) {
	case ADPROF_A_DEV_ID:
		return 1 + rnd_below(3);
	case ADPROF_A_PCI_SEGMENT:
	case ADPROF_A_PCI_BUS:
		return 0;
	case ADPROF_A_DEV_FLAGS:
		return rnd_below(4) ? 0 : ADPROF_DEV_F_IOMMU;
	case ADPROF_A_VADDR:
		/* A page of this process, or none. */
		return rnd_below(2) ? (uintptr_t)fuzz_page : 0x1000;
	case ADPROF_A_IOVA:
		return rnd_below(16) << 12;
	case ADPROF_A_SIZE:
		return (1 + rnd_below(4)) << 12;
	case ADPROF_A_DMA_FLAGS:
		return rnd_below(4);
	case ADPROF_A_PCI_DEVFN:
		return devfns[rnd_below(sizeof(devfns))];
	case ADPROF_A_IRQ_FLAGS:
		return flags[rnd_below(sizeof(flags) / sizeof(flags[0]))];
	case ADPROF_A_MSIX_NR:
		return 1 + rnd_below(5);
	case ADPROF_A_MSIX_ENTRY:
		return rnd_below(5);
	case ADPROF_A_FREQ:
		return 1 + rnd_below(20000);
	case ADPROF_A_BUF_SAMPLES:
		return ADPROF_BUF_SAMPLES_MIN + rnd_below(4096);
	case ADPROF_A_MAX_BUFS:
		return 1 + rnd_below(16);
	case ADPROF_A_PROF_FLAGS:
		return rnd_below(2) ? ADPROF_PROF_F_DETACH : 0;
	default:
		return rnd_below(64);
	}
}

/* A real command with its own attributes, each of the right type. */
static void build_valid(struct msgbuf *m)
{
	static const char *const backends[] = { "cpu-clock", "cycles", "nope", "" };
	const struct fattr *a;
	uint16_t cmd = do_cmds[rnd_below(sizeof(do_cmds))];
	struct genlmsghdr *g = (struct genlmsghdr *)(m->b + NLMSG_HDRLEN);

	g->cmd = cmd;
	for (a = cmd_attrs[cmd]; a->type; a++) {
		const char *str = backends[rnd_below(4)];
		struct nlattr *na;
		unsigned char *p;
		uint64_t v;
		size_t len;

		if (rnd_below(8) == 0)
			continue;
		v = plausible(a->type);
		len = a->len;
		if (a->len == 0)
			len = strlen(str) + 1;
		else if (a->len == 255)
			len = 1 + rnd_below(4);
		na = put(m, NLA_HDRLEN);
		p = put(m, len);
		if (!na || !p)
			return;
		na->nla_type = a->type;
		na->nla_len = NLA_HDRLEN + len;
		if (a->len == 0) {
			memcpy(p, str, len);
		} else if (a->len == 255) {
			memset(p, 0, len);
			p[0] = 1 + rnd_below(3);	/* CPUs 0 and 1 */
			if (rnd_below(8) == 0)
				p[len - 1] |= 0x80;	/* one that does not exist */
		} else {
			memcpy(p, &v, len);
		}
	}
}

static long wellformed;

static void build(struct msgbuf *m, uint16_t family, uint32_t seq, int *dump)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	unsigned int n;

	memset(m, 0, sizeof(*m));
	nlh = put(m, NLMSG_HDRLEN);
	g = put(m, GENL_HDRLEN);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	*dump = rnd_below(6) == 0;
	if (*dump)
		nlh->nlmsg_flags |= NLM_F_DUMP;
	if (rnd_below(20) == 0)
		nlh->nlmsg_flags ^= 1U << rnd_below(16);
	nlh->nlmsg_seq = seq;
	g->cmd = rnd_below(10) ? 1 + rnd_below(ADPROF_CMD_MAX) : rnd();
	g->version = rnd_below(20) ? ADPROF_GENL_VERSION : rnd();
	g->reserved = rnd_below(30) ? 0 : rnd();

	if (rnd_below(2)) {
		g->version = ADPROF_GENL_VERSION;
		g->reserved = 0;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		*dump = 0;
		build_valid(m);
		/* DEV_GET as a dump now and then */
		if (g->cmd == ADPROF_CMD_DEV_GET && rnd_below(4) == 0) {
			nlh->nlmsg_flags |= NLM_F_DUMP;
			*dump = 1;
		}
		nlh->nlmsg_len = m->len;
		wellformed++;
		return;
	}

	n = rnd_below(7);
	while (n--)
		put_attr(m, 0);
	nlh->nlmsg_len = m->len;

	/* Mutate a valid-looking message: flip bits, truncate. */
	if (rnd_below(10) == 0) {
		unsigned int flips = 1 + rnd_below(4);

		while (flips--)
			m->b[NLMSG_HDRLEN + rnd_below(m->len - NLMSG_HDRLEN)] ^=
				1U << rnd_below(8);
	}
	if (rnd_below(25) == 0 && m->len > NLMSG_HDRLEN + GENL_HDRLEN)
		m->len -= rnd_below(m->len - NLMSG_HDRLEN);
}

static long counts[256];
static long replies, dumps_abandoned;

/* Read what is queued; with abandon set, stop after one datagram. */
static void drain(int fd, int wait_ms, int abandon)
{
	static unsigned char rb[65536];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	while (poll(&pfd, 1, wait_ms) > 0) {
		ssize_t n = recv(fd, rb, sizeof(rb), MSG_DONTWAIT);
		struct nlmsghdr *h = (struct nlmsghdr *)rb;

		if (n <= 0)
			return;
		for (; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			replies++;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);
				int err = -e->error;

				counts[err >= 0 && err < 255 ? err : 255]++;
			}
		}
		if (abandon)
			return;
		wait_ms = 0;
	}
}

static int open_sock(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("adprof-fuzz: socket");
		exit(2);
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return fd;
}

static int resolve(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int id;

	if (!sk || genl_connect(sk)) {
		fprintf(stderr, "adprof-fuzz: cannot open a genl socket\n");
		exit(2);
	}
	id = genl_ctrl_resolve(sk, ADPROF_GENL_NAME);
	nl_socket_free(sk);
	return id;
}

int main(int argc, char **argv)
{
	unsigned long long seed = 1;
	long count = 10000, i;
	struct msgbuf m;
	int verbose = 0, fd, family, c;

	while ((c = getopt(argc, argv, "s:n:v")) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			count = strtol(optarg, NULL, 0);
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			fprintf(stderr, "usage: adprof-fuzz [-s SEED] [-n COUNT] [-v]\n");
			return 2;
		}
	}
	rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
	family = resolve();
	if (family < 0) {
		fprintf(stderr, "adprof-fuzz: adprof family not found\n");
		return 1;
	}

	fd = open_sock();
	for (i = 0; i < count; i++) {
		int dump;

		build(&m, family, i + 1, &dump);
		if (verbose)
			fprintf(stderr, "msg %ld cmd %u len %zu\n", i,
				m.b[NLMSG_HDRLEN], m.len);
		if (send(fd, m.b, m.len, 0) < 0 && errno != ENOBUFS &&
		    errno != EINVAL && errno != EPERM) {
			perror("adprof-fuzz: send");
			return 2;
		}
		/* Abandon some dumps half-way by closing the socket. */
		if (dump && rnd_below(3) == 0) {
			drain(fd, 50, 1);
			close(fd);
			fd = open_sock();
			dumps_abandoned++;
			continue;
		}
		drain(fd, rnd_below(4) ? 20 : 0, 0);
	}
	drain(fd, 100, 0);
	close(fd);

	printf("adprof-fuzz: seed %llu sent %ld (well-formed %ld) replies %ld dumps-abandoned %ld\n",
	       seed, count, wellformed, replies, dumps_abandoned);
	printf("adprof-fuzz: acks %ld", counts[0]);
	for (c = 1; c < 256; c++)
		if (counts[c])
			printf(" %s=%ld", c < 255 ? strerror(c) : "other",
			       counts[c]);
	printf("\n");

	/* The family must still be there and answer. */
	return resolve() == family ? 0 : 1;
}
