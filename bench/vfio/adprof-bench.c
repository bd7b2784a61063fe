// SPDX-License-Identifier: GPL-2.0
/*
 * adprof-bench: the adprof side of bench/dma, vfio-bench's logic through
 * adprof. The device is assigned beforehand (adprofctl assign ID ADDR
 * --iommu, and for irq: adprofctl irq ID host=msi guest=msi); BAR0 is
 * mapped from sysfs (resource0), as every adprof consumer does.
 *
 * usage: adprof-bench ADDR ID irq N [--warmup W] [--cpu C] [--irq-cpu C] [--raise-cpu C] [--timeout S]
 *        adprof-bench ADDR ID dma SIZE CHUNK
 *
 *   irq  subscribe to the "irq" group (libnl), raise N interrupts one at
 *        a time, each timed from just before the BAR write to the return
 *        of the receive that brings its IRQ_EVENT (CLOCK_MONOTONIC),
 *        acknowledged before the next; W more first, untimed. The event's
 *        TIMESTAMP (hard-IRQ context) splits each into raise -> hard IRQ
 *        and hard IRQ -> wake. --cpu, --irq-cpu, --raise-cpu as for
 *        vfio-bench. Prints "n=N lat_*=.. hirq_*=.. hwake_*=.. coalesced=K
 *        irq=I asleep=A" (ns; K: events whose COUNT was above 1).
 *   dma  as vfio-bench: SIZE bytes at IOVA 1 GiB in CHUNK-byte DMA_MAP
 *        requests, then DMA_UNMAP chunk by chunk, on one socket: each
 *        request one sendmsg and one recv of its ack, counted. Between
 *        the two, untimed by them, null_ns: one DMA_GET of each mapping
 *        (a reply, no ack), what any request costs on the way through
 *        netlink and genetlink.
 *
 * Exit status 0, 1 on any failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/adprof.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "common.h"

#define IOVA_BASE	(1ULL << 30)
#define RX_BUF		16384

static struct nl_sock *sk;
static int family;
static uint32_t dev_id;

static void nl_open(void)
{
	int one = 1;

	sk = nl_socket_alloc();
	errno = 0;
	if (!sk || genl_connect(sk))
		die("generic netlink");
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	/* Acks only where asked for: a DMA_GET's reply is its answer. */
	nl_socket_disable_auto_ack(sk);
	family = genl_ctrl_resolve(sk, ADPROF_GENL_NAME);
	if (family < 0)
		die("adprof family not found (module not loaded?)");
}

static volatile void *bar0(const char *addr)
{
	char path[512];
	void *p;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", addr);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0)
		die("%s", path);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap %s", path);
	close(fd);
	return p;
}

/*
 * The IRQ_EVENT of device dev_id in the @len bytes at @buf: 1 with its
 * TIMESTAMP and COUNT, 0 if none.
 */
static int irq_event(void *buf, int len, uint64_t *ts, uint32_t *count)
{
	static struct nla_policy pol[ADPROF_A_MAX + 1] = {
		[ADPROF_A_DEV_ID] = { .type = NLA_U32 },
		[ADPROF_A_TIMESTAMP] = { .type = NLA_U64 },
		[ADPROF_A_COUNT] = { .type = NLA_U32 },
	};
	struct nlattr *tb[ADPROF_A_MAX + 1];
	struct nlmsghdr *nlh;

	for (nlh = buf; nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_type != family ||
		    ((struct genlmsghdr *)nlmsg_data(nlh))->cmd != ADPROF_CMD_IRQ_EVENT)
			continue;
		if (genlmsg_parse(nlh, 0, tb, ADPROF_A_MAX, pol) ||
		    !tb[ADPROF_A_DEV_ID] || !tb[ADPROF_A_TIMESTAMP] ||
		    !tb[ADPROF_A_COUNT])
			die("malformed IRQ_EVENT");
		if (nla_get_u32(tb[ADPROF_A_DEV_ID]) != dev_id)
			continue;
		*ts = nla_get_u64(tb[ADPROF_A_TIMESTAMP]);
		*count = nla_get_u32(tb[ADPROF_A_COUNT]);
		return 1;
	}
	return 0;
}

static int run_irq(const char *addr, int argc, char **argv)
{
	uint64_t *lat, *hirq, *hwake, t0, t1, ts;
	unsigned long i, k, coalesced = 0;
	struct raiser r, *rp = NULL;
	struct sockaddr_nl peer;
	unsigned char *buf;
	volatile void *bar;
	struct irq_opts o;
	uint32_t count;
	char name[32];
	int grp, irq, len, found;

	irq_opts(argc, argv, &o);
	lat = calloc(o.n, sizeof(*lat));
	hirq = calloc(o.n, sizeof(*hirq));
	hwake = calloc(o.n, sizeof(*hwake));
	if (!lat || !hirq || !hwake)
		die("calloc");
	alarm(o.timeout_s);
	pin_cpu(o.cpu);
	nl_open();
	grp = genl_ctrl_resolve_grp(sk, ADPROF_GENL_NAME, ADPROF_MCGRP_IRQ);
	if (grp < 0 || nl_socket_add_membership(sk, grp))
		die("cannot join the %s group", ADPROF_MCGRP_IRQ);
	nl_socket_disable_seq_check(sk);
	/* One recvmsg per receive: no MSG_PEEK to size the buffer first. */
	nl_socket_set_msg_buf_size(sk, RX_BUF);
	nl_socket_disable_msg_peek(sk);
	bar = bar0(addr);
	snprintf(name, sizeof(name), "adprof:%u:0", dev_id);
	irq = irq_place(name, o.irq_cpu);
	edu_wr(bar, EDU_ACK, edu_rd(bar, EDU_STATUS));

	if (o.raise_cpu >= 0)
		raiser_start(rp = &r, bar, o.raise_cpu, o.warmup);
	for (i = 0; i < o.warmup + o.n; i++) {
		t0 = raise_irq(rp, bar);
		do {
			len = nl_recv(sk, &peer, &buf, NULL);
			t1 = now_ns();
			if (len <= 0)
				die("receive: %s", nl_geterror(len));
			found = irq_event(buf, len, &ts, &count);
			free(buf);
		} while (!found);
		if (rp)
			t0 = raiser_t0(rp);
		edu_wr(bar, EDU_ACK, edu_rd(bar, EDU_STATUS));
		if (i < o.warmup)
			continue;
		k = i - o.warmup;
		lat[k] = t1 - t0;
		/* Clamped: the clock is one, but raise and IRQ can be on two CPUs. */
		hirq[k] = ts > t0 ? ts - t0 : 0;
		hwake[k] = t1 > ts ? t1 - ts : 0;
		coalesced += count > 1;
	}

	if (rp)
		raiser_stop(rp);
	nl_socket_free(sk);
	printf("n=%lu", o.n);
	print_pct("lat", lat, o.n);
	print_pct("hirq", hirq, o.n);
	print_pct("hwake", hwake, o.n);
	printf(" coalesced=%lu irq=%d asleep=%ld\n", coalesced, irq,
	       rp ? (long)rp->asleep : -1L);
	free(lat);
	free(hirq);
	free(hwake);
	return 0;
}

/* The kernel's answer to a request: 0, or die with its errno and extack. */
static void check_ack(void *buf, int len, uint8_t cmd)
{
	struct nlmsghdr *nlh = buf;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct nlmsgerr *e;
	size_t off;

	if (!nlmsg_ok(nlh, len) || nlh->nlmsg_type != NLMSG_ERROR)
		die("cmd %u: no ack", cmd);
	e = nlmsg_data(nlh);
	if (!e->error)
		return;
	off = NLMSG_HDRLEN + sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len - sizeof(e->msg));
	errno = -e->error;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && nlh->nlmsg_len > off &&
	    !nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + off),
		       nlh->nlmsg_len - off, NULL) && tb[NLMSGERR_ATTR_MSG])
		die("cmd %u: %s", cmd, nla_get_string(tb[NLMSGERR_ATTR_MSG]));
	die("cmd %u", cmd);
}

/*
 * One DMA_MAP or DMA_UNMAP (acked), or DMA_GET of the mapping at @iova
 * (its reply, no ack): one sendmsg, one recv.
 */
static void dma_request(uint8_t cmd, uint64_t vaddr, uint64_t iova,
			uint64_t size)
{
	static char rx[RX_BUF];
	struct nl_msg *msg = nlmsg_alloc_size(256);
	bool get = cmd == ADPROF_CMD_DMA_GET;
	int len;

	if (!msg ||
	    !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
			 get ? 0 : NLM_F_ACK, cmd, ADPROF_GENL_VERSION) ||
	    nla_put_u32(msg, ADPROF_A_DEV_ID, dev_id) ||
	    nla_put_u64(msg, ADPROF_A_IOVA, iova) ||
	    (!get && nla_put_u64(msg, ADPROF_A_SIZE, size)) ||
	    (cmd == ADPROF_CMD_DMA_MAP &&
	     (nla_put_u64(msg, ADPROF_A_VADDR, vaddr) ||
	      nla_put_u32(msg, ADPROF_A_DMA_FLAGS, ADPROF_DMA_F_ALL))))
		die("cannot build the request");
	if (nl_send_auto(sk, msg) < 0)
		die("send");
	nlmsg_free(msg);
	len = recv(nl_socket_get_fd(sk), rx, sizeof(rx), 0);
	if (len < 0)
		die("recv");
	if (get && nlmsg_ok((struct nlmsghdr *)rx, len) &&
	    ((struct nlmsghdr *)rx)->nlmsg_type == family)
		return;
	check_ack(rx, len, cmd);
}

static int run_dma(int argc, char **argv)
{
	unsigned long calls, i, map_sys = 0, unmap_sys = 0;
	long long pin0, pin1, rel0, rel1, vmlck, thp;
	uint64_t size, chunk, m0, m1, r0, r1, u0, u1;
	char *buf;

	if (argc != 2)
		die("dma: SIZE CHUNK");
	size = strtoull(argv[0], NULL, 0);
	chunk = strtoull(argv[1], NULL, 0);
	errno = 0;
	if (!size || !chunk || size % chunk || chunk % 4096)
		die("dma: SIZE must be a multiple of CHUNK, CHUNK of 4096");
	calls = size / chunk;
	nl_open();
	buf = dma_buffer(size);
	thp = self_kb("smaps_rollup", "AnonHugePages");

	pin0 = vmstat("nr_foll_pin_acquired");
	m0 = now_ns();
	for (i = 0; i < calls; i++) {
		dma_request(ADPROF_CMD_DMA_MAP, (uintptr_t)buf + i * chunk,
			    IOVA_BASE + i * chunk, chunk);
		map_sys += 2;
	}
	m1 = now_ns();
	pin1 = vmstat("nr_foll_pin_acquired");
	vmlck = self_kb("status", "VmLck");

	/* What any request costs: DMA_GET of each mapping, a reply each. */
	r0 = now_ns();
	for (i = 0; i < calls; i++)
		dma_request(ADPROF_CMD_DMA_GET, 0, IOVA_BASE + i * chunk, 0);
	r1 = now_ns();

	rel0 = vmstat("nr_foll_pin_released");
	u0 = now_ns();
	for (i = 0; i < calls; i++) {
		dma_request(ADPROF_CMD_DMA_UNMAP, 0, IOVA_BASE + i * chunk, chunk);
		unmap_sys += 2;
	}
	u1 = now_ns();
	rel1 = vmstat("nr_foll_pin_released");

	printf("calls=%lu map_ns=%" PRIu64 " unmap_ns=%" PRIu64 " null_ns=%" PRIu64
	       " map_syscalls=%lu unmap_syscalls=%lu pinned=%lld unpinned=%lld"
	       " vmlck_kb=%lld thp_kb=%lld vmlck_after_kb=%lld\n",
	       calls, m1 - m0, u1 - u0, r1 - r0, map_sys, unmap_sys, pin1 - pin0,
	       rel1 - rel0, vmlck, thp, self_kb("status", "VmLck"));
	nl_socket_free(sk);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 4) {
		dev_id = strtoul(argv[2], NULL, 0);
		if (!strcmp(argv[3], "irq"))
			return run_irq(argv[1], argc - 4, argv + 4);
		if (!strcmp(argv[3], "dma"))
			return run_dma(argc - 4, argv + 4);
	}
	fprintf(stderr, "usage: adprof-bench ADDR ID irq N [--warmup W] [--cpu C] [--irq-cpu C] [--raise-cpu C] [--timeout S]\n"
			"       adprof-bench ADDR ID dma SIZE CHUNK\n");
	return 2;
}
