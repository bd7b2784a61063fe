// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-bench: the VFIO side of bench/dma. A minimal VFIO consumer of
 * QEMU's edu, bound to vfio-pci: the legacy container/group API with the
 * type1 IOMMU backend (VFIO_TYPE1v2_IOMMU, as QEMU uses), BAR0 mmapped
 * through the device fd, MSI to an eventfd. adprof-bench does the same
 * through adprof, so the two differ only in the interface measured.
 *
 * usage: vfio-bench ADDR irq N [--warmup W] [--cpu C] [--irq-cpu C] [--raise-cpu C] [--timeout S]
 *        vfio-bench ADDR dma SIZE CHUNK
 *
 *   irq  raise N interrupts one at a time (BAR0+0x60), each timed from
 *        just before the BAR write to the return of the eventfd read
 *        (CLOCK_MONOTONIC), acknowledged (status 0x24 written to 0x64)
 *        before the next; W more first, untimed. --cpu pins this
 *        process, --irq-cpu sets the MSI's affinity; --raise-cpu has a
 *        thread on that CPU raise each interrupt once the consumer is
 *        asleep in its read (common.h: struct raiser). Prints "n=N
 *        lat_p50=.. lat_p90=.. lat_p99=.. lat_max=.. coalesced=K irq=I
 *        asleep=A" (ns; K: reads that returned a count above 1; A: timed
 *        raises that found the consumer asleep, -1 without a raiser).
 *   dma  map SIZE bytes of 2 MiB-aligned populated memory at IOVA 1 GiB
 *        in CHUNK-byte VFIO_IOMMU_MAP_DMA calls, then unmap them chunk by
 *        chunk (VFIO_IOMMU_UNMAP_DMA); each phase timed whole. Between
 *        the two, null_ns: as many VFIO_CHECK_EXTENSION ioctls, what any
 *        request costs. Prints "calls=.. map_ns=.. unmap_ns=.. null_ns=..
 *        map_syscalls=.. unmap_syscalls=.. pinned=.. unpinned=..
 *        vmlck_kb=.. thp_kb=.. vmlck_after_kb=.." (pinned, unpinned: the
 *        kernel's nr_foll_pin_acquired/_released over each phase; VmLck
 *        with everything mapped and at the end; THP backing the buffer).
 *
 * vfio_iommu_type1 must be loaded with allow_unsafe_interrupts=1 where the
 * IOMMU does not remap interrupts (QEMU's intel-iommu with intremap=off).
 * Exit status 0, 1 on any failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "common.h"

#define IOVA_BASE	(1ULL << 30)

struct vfio {
	int container;
	int group;
	int device;
};

static void vfio_open(const char *addr, struct vfio *v, bool device)
{
	char path[PATH_MAX], link[PATH_MAX];
	struct vfio_group_status st = { .argsz = sizeof(st) };
	ssize_t len;
	int type;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", addr);
	len = readlink(path, link, sizeof(link) - 1);
	if (len < 0)
		die("%s has no IOMMU group", addr);
	link[len] = 0;

	v->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (v->container < 0)
		die("/dev/vfio/vfio");
	if (ioctl(v->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		die("VFIO API version");
	type = ioctl(v->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0 ?
	       VFIO_TYPE1v2_IOMMU : VFIO_TYPE1_IOMMU;
	if (type == VFIO_TYPE1_IOMMU &&
	    ioctl(v->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) <= 0)
		die("no type1 IOMMU backend (vfio_iommu_type1 not loaded?)");

	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(link));
	v->group = open(path, O_RDWR | O_CLOEXEC);
	if (v->group < 0)
		die("%s", path);
	if (ioctl(v->group, VFIO_GROUP_GET_STATUS, &st))
		die("VFIO_GROUP_GET_STATUS");
	errno = 0;
	if (!(st.flags & VFIO_GROUP_FLAGS_VIABLE))
		die("group %s is not viable", basename(link));
	if (ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container))
		die("VFIO_GROUP_SET_CONTAINER");
	if (ioctl(v->container, VFIO_SET_IOMMU, type))
		die("VFIO_SET_IOMMU (allow_unsafe_interrupts without interrupt remapping?)");
	v->device = -1;
	if (device) {
		v->device = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, addr);
		if (v->device < 0)
			die("VFIO_GROUP_GET_DEVICE_FD %s", addr);
	}
}

static void vfio_close(struct vfio *v)
{
	if (v->device >= 0)
		close(v->device);
	close(v->group);
	close(v->container);
}

static void region(struct vfio *v, unsigned int index,
		   struct vfio_region_info *ri)
{
	*ri = (struct vfio_region_info){ .argsz = sizeof(*ri), .index = index };
	if (ioctl(v->device, VFIO_DEVICE_GET_REGION_INFO, ri))
		die("VFIO_DEVICE_GET_REGION_INFO %u", index);
}

/* BAR0 through the device fd; memory decode and bus mastering on (MSI). */
static volatile void *bar0(struct vfio *v)
{
	struct vfio_region_info ri;
	uint16_t cmd;
	void *p;

	region(v, VFIO_PCI_CONFIG_REGION_INDEX, &ri);
	if (pread(v->device, &cmd, 2, ri.offset + PCI_COMMAND) != 2)
		die("config read");
	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	if (pwrite(v->device, &cmd, 2, ri.offset + PCI_COMMAND) != 2)
		die("config write");

	region(v, VFIO_PCI_BAR0_REGION_INDEX, &ri);
	errno = 0;
	if (!(ri.flags & VFIO_REGION_INFO_FLAG_MMAP))
		die("BAR0 cannot be mmapped");
	p = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 v->device, ri.offset);
	if (p == MAP_FAILED)
		die("mmap BAR0");
	return p;
}

/* Route MSI vector 0 to @efd (-1: disable MSI). */
static void msi_trigger(struct vfio *v, int efd)
{
	union {
		struct vfio_irq_set set;
		char buf[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
	} u = { .set = {
		.argsz = sizeof(u),
		.flags = VFIO_IRQ_SET_ACTION_TRIGGER |
			 (efd < 0 ? VFIO_IRQ_SET_DATA_NONE : VFIO_IRQ_SET_DATA_EVENTFD),
		.index = VFIO_PCI_MSI_IRQ_INDEX,
		.count = efd < 0 ? 0 : 1,
	} };
	int32_t fd = efd;

	memcpy(u.set.data, &fd, sizeof(fd));
	if (ioctl(v->device, VFIO_DEVICE_SET_IRQS, &u.set))
		die("VFIO_DEVICE_SET_IRQS MSI");
}

static int run_irq(const char *addr, int argc, char **argv)
{
	struct vfio_irq_info ii = { .argsz = sizeof(ii),
				    .index = VFIO_PCI_MSI_IRQ_INDEX };
	unsigned long i, coalesced = 0;
	char name[64];
	struct raiser r, *rp = NULL;
	struct irq_opts o;
	volatile void *bar;
	uint64_t *lat, t0, t1, cnt;
	struct vfio v;
	int efd, irq;

	irq_opts(argc, argv, &o);
	lat = calloc(o.n, sizeof(*lat));
	if (!lat)
		die("calloc");
	alarm(o.timeout_s);
	pin_cpu(o.cpu);
	vfio_open(addr, &v, true);
	bar = bar0(&v);
	if (ioctl(v.device, VFIO_DEVICE_GET_IRQ_INFO, &ii))
		die("VFIO_DEVICE_GET_IRQ_INFO");
	errno = 0;
	if (ii.count < 1 || !(ii.flags & VFIO_IRQ_INFO_EVENTFD))
		die("no MSI with an eventfd");
	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0)
		die("eventfd");
	msi_trigger(&v, efd);
	snprintf(name, sizeof(name), "vfio-msi[0](%s)", addr);
	irq = irq_place(name, o.irq_cpu);
	edu_wr(bar, EDU_ACK, edu_rd(bar, EDU_STATUS));

	if (o.raise_cpu >= 0)
		raiser_start(rp = &r, bar, o.raise_cpu, o.warmup);
	for (i = 0; i < o.warmup + o.n; i++) {
		t0 = raise_irq(rp, bar);
		if (read(efd, &cnt, sizeof(cnt)) != sizeof(cnt))
			die("eventfd read");
		t1 = now_ns();
		if (rp)
			t0 = raiser_t0(rp);
		edu_wr(bar, EDU_ACK, edu_rd(bar, EDU_STATUS));
		if (i < o.warmup)
			continue;
		lat[i - o.warmup] = t1 - t0;
		coalesced += cnt > 1;
	}

	if (rp)
		raiser_stop(rp);
	msi_trigger(&v, -1);
	close(efd);
	vfio_close(&v);
	printf("n=%lu", o.n);
	print_pct("lat", lat, o.n);
	printf(" coalesced=%lu irq=%d asleep=%ld\n", coalesced, irq,
	       rp ? (long)rp->asleep : -1L);
	free(lat);
	return 0;
}

static int run_dma(const char *addr, int argc, char **argv)
{
	struct vfio_iommu_type1_dma_unmap un = { .argsz = sizeof(un) };
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
	};
	unsigned long calls, i, map_sys = 0, unmap_sys = 0;
	long long pin0, pin1, rel0, rel1, vmlck, thp;
	uint64_t size, chunk, m0, m1, r0, r1, u0, u1;
	struct vfio v;
	char *buf;

	if (argc != 2)
		die("dma: SIZE CHUNK");
	size = strtoull(argv[0], NULL, 0);
	chunk = strtoull(argv[1], NULL, 0);
	errno = 0;
	if (!size || !chunk || size % chunk || chunk % 4096)
		die("dma: SIZE must be a multiple of CHUNK, CHUNK of 4096");
	calls = size / chunk;
	vfio_open(addr, &v, false);
	buf = dma_buffer(size);
	thp = self_kb("smaps_rollup", "AnonHugePages");

	pin0 = vmstat("nr_foll_pin_acquired");
	m0 = now_ns();
	for (i = 0; i < calls; i++) {
		map.vaddr = (uintptr_t)buf + i * chunk;
		map.iova = IOVA_BASE + i * chunk;
		map.size = chunk;
		map_sys++;
		if (ioctl(v.container, VFIO_IOMMU_MAP_DMA, &map))
			die("VFIO_IOMMU_MAP_DMA %lu", i);
	}
	m1 = now_ns();
	pin1 = vmstat("nr_foll_pin_acquired");
	vmlck = self_kb("status", "VmLck");

	/* What any request costs: the cheapest container ioctl, as often. */
	r0 = now_ns();
	for (i = 0; i < calls; i++)
		if (ioctl(v.container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) < 0)
			die("VFIO_CHECK_EXTENSION");
	r1 = now_ns();

	rel0 = vmstat("nr_foll_pin_released");
	u0 = now_ns();
	for (i = 0; i < calls; i++) {
		un.iova = IOVA_BASE + i * chunk;
		un.size = chunk;
		unmap_sys++;
		if (ioctl(v.container, VFIO_IOMMU_UNMAP_DMA, &un) || un.size != chunk)
			die("VFIO_IOMMU_UNMAP_DMA %lu", i);
	}
	u1 = now_ns();
	rel1 = vmstat("nr_foll_pin_released");

	printf("calls=%lu map_ns=%" PRIu64 " unmap_ns=%" PRIu64 " null_ns=%" PRIu64
	       " map_syscalls=%lu unmap_syscalls=%lu pinned=%lld unpinned=%lld"
	       " vmlck_kb=%lld thp_kb=%lld vmlck_after_kb=%lld\n",
	       calls, m1 - m0, u1 - u0, r1 - r0, map_sys, unmap_sys, pin1 - pin0,
	       rel1 - rel0, vmlck, thp, self_kb("status", "VmLck"));
	vfio_close(&v);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[2], "irq"))
		return run_irq(argv[1], argc - 3, argv + 3);
	if (argc >= 3 && !strcmp(argv[2], "dma"))
		return run_dma(argv[1], argc - 3, argv + 3);
	fprintf(stderr, "usage: vfio-bench ADDR irq N [--warmup W] [--cpu C] [--irq-cpu C] [--raise-cpu C] [--timeout S]\n"
			"       vfio-bench ADDR dma SIZE CHUNK\n");
	return 2;
}
