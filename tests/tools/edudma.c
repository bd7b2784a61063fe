// SPDX-License-Identifier: GPL-2.0
/*
 * edudma: a DMA consumer of an assigned edu (DEV_F_IOMMU) on raw generic
 * netlink, with its own memory: DMA_MAP and DMA_UNMAP built by hand with
 * libnl, edu's DMA engine driven through BAR0 (edudma.h).
 *
 * usage: edudma [--no-ipc-lock] [--memlock BYTES] ADDR ID MODE [ARGS]
 *   roundtrip SIZE...  map buffer A (device reads) at 0x100000 and B
 *                      (device writes) at 0x200000; for each SIZE (at
 *                      most 4095: edudma.h) copy A to edu and edu to B,
 *                      compare B with A byte for byte
 *   unmapped IOVA      edu writes its buffer to IOVA, where nothing is
 *                      mapped: a page of ours whose physical address is
 *                      IOVA stays untouched; with IOVA "phys" that page is
 *                      chosen among ours, below edu's 28-bit mask
 *   readonly           B mapped for reading only: edu's write leaves it
 *   hold SIZE          map SIZE bytes at 0x1000000, print "held PID", wait
 *                      to be killed
 *   close SIZE         map SIZE bytes; print VmLck of this process, close
 *                      the socket without DMA_UNMAP, print VmLck again
 *   unmap SIZE         map SIZE bytes; print VmLck, DMA_UNMAP, print it
 *   map SIZE           map SIZE bytes at 0x1000000 and exit
 * --memlock sets RLIMIT_MEMLOCK first; --no-ipc-lock drops CAP_IPC_LOCK,
 * so the limit applies (root has it). Prints one line per check, exits 1
 * on the first failure; a refused DMA_MAP prints "errno=NAME extack=..."
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/adprof.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "edudma.h"

#define PAGE		4096UL
#define IOVA_A		0x100000ULL
#define IOVA_B		0x200000ULL
#define IOVA_BIG	0x1000000ULL

static struct nl_sock *sk;
static int family;
static uint32_t dev_id;
static volatile void *bar;

static void __attribute__((noreturn)) die(const char *what)
{
	fprintf(stderr, "edudma: %s\n", what);
	exit(1);
}

/* The kernel's answer: 0, or -errno after printing errno and extack. */
static int err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)e - 1;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = NLMSG_HDRLEN + sizeof(*e);
	int *err = arg;

	(void)nla;
	*err = e->error;
	if (!e->error)
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len - sizeof(e->msg));
	printf("errno=%s", strerror(-e->error));
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && nlh->nlmsg_len > off &&
	    !nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + off),
		       nlh->nlmsg_len - off, NULL) && tb[NLMSGERR_ATTR_MSG])
		printf(" extack=\"%s\"", nla_get_string(tb[NLMSGERR_ATTR_MSG]));
	putchar('\n');
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	*(int *)arg = 0;
	return NL_STOP;
}

static int request(uint8_t cmd, uint64_t vaddr, uint64_t iova, uint64_t size,
		   uint32_t flags)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int err = 1;

	if (!msg || !cb ||
	    !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
			 NLM_F_ACK, cmd, ADPROF_GENL_VERSION) ||
	    nla_put_u32(msg, ADPROF_A_DEV_ID, dev_id) ||
	    nla_put_u64(msg, ADPROF_A_IOVA, iova) ||
	    nla_put_u64(msg, ADPROF_A_SIZE, size) ||
	    (cmd == ADPROF_CMD_DMA_MAP &&
	     (nla_put_u64(msg, ADPROF_A_VADDR, vaddr) ||
	      nla_put_u32(msg, ADPROF_A_DMA_FLAGS, flags))))
		die("cannot build the request");
	nl_cb_err(cb, NL_CB_CUSTOM, err_cb, &err);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &err);
	if (nl_send_auto(sk, msg) < 0)
		die("send");
	while (err > 0)
		if (nl_recvmsgs(sk, cb) < 0 && err > 0)
			die("receive");
	nlmsg_free(msg);
	nl_cb_put(cb);
	return err;
}

static void *buffer(size_t size, uint8_t fill)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	memset(p, fill, size);
	return p;
}

static void map_or_die(void *p, uint64_t iova, uint64_t size, uint32_t flags)
{
	if (request(ADPROF_CMD_DMA_MAP, (uintptr_t)p, iova, size, flags))
		exit(1);
}

static void dma_or_die(uint64_t iova, uint64_t n, bool to_ram)
{
	int err = edu_dma(bar, iova, EDU_DMA_BUF, n, to_ram, 5000);

	if (err)
		die(err == -1 ? "edu DMA range refused" : "edu DMA did not finish");
}

static int roundtrip(int argc, char **argv)
{
	uint8_t *a = buffer(EDU_DMA_BUF_SIZE, 0), *b = buffer(EDU_DMA_BUF_SIZE, 0);
	uint64_t n;
	size_t i;
	int k;

	map_or_die(a, IOVA_A, EDU_DMA_BUF_SIZE, ADPROF_DMA_F_READ);
	map_or_die(b, IOVA_B, EDU_DMA_BUF_SIZE, ADPROF_DMA_F_WRITE);
	for (k = 0; k < argc; k++) {
		n = strtoull(argv[k], NULL, 0);
		for (i = 0; i < EDU_DMA_BUF_SIZE; i++)
			a[i] = (uint8_t)(i * 7 + n + k);
		memset(b, 0xee, EDU_DMA_BUF_SIZE);
		dma_or_die(IOVA_A, n, false);
		dma_or_die(IOVA_B, n, true);
		for (i = 0; i < n && a[i] == b[i]; i++)
			;
		if (i < n) {
			printf("roundtrip %" PRIu64 " differs at byte %zu: 0x%02x != 0x%02x\n",
			       n, i, b[i], a[i]);
			return 1;
		}
		for (i = n; i < EDU_DMA_BUF_SIZE && b[i] == 0xee; i++)
			;
		if (i < EDU_DMA_BUF_SIZE) {
			printf("roundtrip %" PRIu64 " wrote past its count, at byte %zu\n", n, i);
			return 1;
		}
		printf("roundtrip %" PRIu64 " ok\n", n);
	}
	return request(ADPROF_CMD_DMA_UNMAP, 0, IOVA_A, IOVA_B - IOVA_A + EDU_DMA_BUF_SIZE, 0) ? 1 : 0;
}

/* Physical address of the page at @p (root: /proc/self/pagemap). */
static uint64_t phys_of(void *p)
{
	uint64_t e;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0 || pread(fd, &e, sizeof(e), (uintptr_t)p / PAGE * sizeof(e)) != sizeof(e))
		die("pagemap");
	close(fd);
	if (!(e & (1ULL << 63)) || !(e & ((1ULL << 55) - 1)))
		die("pagemap: no physical address (not root?)");
	return (e & ((1ULL << 55) - 1)) * PAGE;
}

/* 64 MiB of pages to find one below edu's 28-bit mask among. */
#define NPAGES		16384

static int unmapped(const char *arg)
{
	uint8_t *pages = buffer(NPAGES * PAGE, 0x5a), *page = NULL;
	uint64_t iova = 0, p;
	size_t i, j;

	/* A page of ours below the mask: a DMA there would land, untranslated. */
	for (i = 0; i < NPAGES && !page; i++) {
		p = phys_of(pages + i * PAGE);
		if (p + PAGE - 1 <= EDU_DMA_MASK) {
			page = pages + i * PAGE;
			iova = p;
		}
	}
	if (strcmp(arg, "phys"))
		iova = strtoull(arg, NULL, 0);
	else if (!page)
		die("no page of ours below 256 MiB among 64 MiB");
	dma_or_die(iova, EDU_DMA_BUF_SIZE - 1, true);
	for (i = 0; i < NPAGES; i++)
		for (j = 0; j < PAGE; j++)
			if (pages[i * PAGE + j] != 0x5a) {
				printf("unmapped iova 0x%" PRIx64 ": page %zu changed\n", iova, i);
				return 1;
			}
	printf("unmapped iova 0x%" PRIx64 " untouched\n", iova);
	return 0;
}

static int readonly(void)
{
	uint8_t *b = buffer(EDU_DMA_BUF_SIZE, 0x5a);
	size_t i;

	map_or_die(b, IOVA_B, EDU_DMA_BUF_SIZE, ADPROF_DMA_F_READ);
	dma_or_die(IOVA_B, EDU_DMA_BUF_SIZE - 1, true);
	for (i = 0; i < EDU_DMA_BUF_SIZE; i++)
		if (b[i] != 0x5a) {
			printf("readonly iova 0x%llx: written at byte %zu\n", IOVA_B, i);
			return 1;
		}
	printf("readonly iova 0x%llx untouched\n", IOVA_B);
	return 0;
}

/* A byte count: a number, optionally followed by K, M or G. */
static int parse_size_arg(const char *s, uint64_t *out)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	if (end == s)
		return -1;
	if (*end == 'K' || *end == 'M' || *end == 'G')
		v <<= *end == 'K' ? 10 : *end == 'M' ? 20 : 30, end++;
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static long vmlck_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static void drop_ipc_lock(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		die("capget");
	d[CAP_IPC_LOCK / 32].effective &= ~(1U << (CAP_IPC_LOCK % 32));
	d[CAP_IPC_LOCK / 32].permitted &= ~(1U << (CAP_IPC_LOCK % 32));
	if (syscall(SYS_capset, &h, d))
		die("capset");
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	uint64_t size;
	char path[512];
	int i = 1, fd;
	void *p;

	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--no-ipc-lock")) {
			drop_ipc_lock();
		} else if (!strcmp(argv[i], "--memlock") && i + 1 < argc) {
			rl.rlim_cur = rl.rlim_max = strtoull(argv[++i], NULL, 0);
			if (setrlimit(RLIMIT_MEMLOCK, &rl))
				die("setrlimit");
		} else {
			die("unknown option");
		}
	}
	if (argc - i < 3) {
		fprintf(stderr, "usage: edudma [--no-ipc-lock] [--memlock BYTES] ADDR ID MODE [ARGS]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", argv[i]);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0)
		die("cannot open edu's resource0");
	bar = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (bar == MAP_FAILED)
		die("cannot map edu's BAR0");
	dev_id = strtoul(argv[i + 1], NULL, 0);
	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk))
		die("generic netlink");
	fd = 1;
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &fd, sizeof(fd));
	family = genl_ctrl_resolve(sk, ADPROF_GENL_NAME);
	if (family < 0)
		die("adprof family not found");

	argv += i + 2;
	argc -= i + 2;
	if (!strcmp(argv[0], "roundtrip") && argc > 1)
		return roundtrip(argc - 1, argv + 1);
	if (!strcmp(argv[0], "unmapped") && argc == 2)
		return unmapped(argv[1]);
	if (!strcmp(argv[0], "readonly") && argc == 1)
		return readonly();
	if (argc != 2 || parse_size_arg(argv[1], &size))
		die("bad mode or arguments");
	p = buffer(size, 1);
	if (request(ADPROF_CMD_DMA_MAP, (uintptr_t)p, IOVA_BIG, size,
		    ADPROF_DMA_F_ALL))
		return 1;
	if (!strcmp(argv[0], "map")) {
		printf("mapped %" PRIu64 " VmLck %ld kB\n", size, vmlck_kb());
		return 0;
	}
	if (!strcmp(argv[0], "hold")) {
		printf("held %d VmLck %ld kB\n", getpid(), vmlck_kb());
		fflush(stdout);
		for (;;)
			pause();
	}
	if (!strcmp(argv[0], "unmap")) {
		printf("mapped VmLck %ld kB\n", vmlck_kb());
		if (request(ADPROF_CMD_DMA_UNMAP, 0, IOVA_BIG, size, 0))
			return 1;
		printf("unmapped VmLck %ld kB\n", vmlck_kb());
		return 0;
	}
	if (!strcmp(argv[0], "close")) {
		printf("mapped VmLck %ld kB\n", vmlck_kb());
		nl_socket_free(sk);
		printf("closed VmLck %ld kB\n", vmlck_kb());
		return 0;
	}
	die("unknown mode");
}
