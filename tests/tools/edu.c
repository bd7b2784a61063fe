// SPDX-License-Identifier: GPL-2.0
/*
 * edu: drive QEMU's edu device (and find PCI devices) from a test guest,
 * the way an adprof consumer does: through /sys/bus/pci/devices/ADDR.
 *
 * usage:
 *   edu find VVVV:DDDD [N]   print the address of the Nth (default 0)
 *                            device with that vendor:device
 *   edu check ADDR           identification and liveness registers
 *   edu status ADDR          print the interrupt status register
 *   edu ack ADDR             acknowledge every status bit (lowers INTx)
 *   edu raise ADDR N [-p IRQNAME] [-a] [-T MS] [-m] [-r HZ]
 *                            raise N interrupts (BAR0+0x60);
 *        -p IRQNAME  after each, wait until the /proc/interrupts line
 *                    named IRQNAME counted it, so no two interrupts merge
 *                    on their way to the CPU (timeout -T, default 5000 ms)
 *        -a          acknowledge the status after each
 *        -m          stop early once the device's MSI is disabled (for
 *                    raising while adprof is being unloaded)
 *        -r HZ       at most HZ a second: each raised at least 1/HZ s
 *                    after the one before was raised (with -p: was
 *                    taken by the CPU); no catching up after a stall
 *   edu cfgbyte ADDR OFFSET  print one config space byte
 *   edu msixmask ADDR        print "ENTRY:MASKED" for each MSI-X table
 *                            entry (any device with MSI-X), read from
 *                            the BAR the capability names
 *   edu dma ADDR to-dev|to-ram IOVA N
 *                            copy N bytes (1..4096) from the device
 *                            address IOVA to edu's buffer, or back, with
 *                            edu's DMA engine (edudma.h), and wait for it
 *
 * Exit status 0 on success, 1 on a failed check or timeout, 2 on misuse.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define EDU_ID		0x00
#define EDU_LIVE	0x04
#define EDU_STATUS	0x24
#define EDU_RAISE	0x60
#define EDU_ACK		0x64
#define EDU_BAR_SIZE	4096

#define PCI_DEVS	"/sys/bus/pci/devices"

#include "edudma.h"

static void __attribute__((noreturn)) die(const char *fmt, const char *arg)
{
	fprintf(stderr, "edu: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(1);
}

static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr,
		"usage: edu find VVVV:DDDD [N] | check ADDR | status ADDR | ack ADDR\n"
		"       edu raise ADDR N [-p IRQNAME] [-a] [-T MS] [-m] [-r HZ]\n"
		"       edu cfgbyte ADDR OFFSET | msixmask ADDR\n"
		"       edu dma ADDR to-dev|to-ram IOVA N\n");
	exit(2);
}

static unsigned long read_hex(const char *path)
{
	char buf[32];
	FILE *f = fopen(path, "r");

	if (!f || !fgets(buf, sizeof(buf), f))
		die("cannot read %s", path);
	fclose(f);
	return strtoul(buf, NULL, 16);
}

static int cmd_find(int argc, char **argv)
{
	unsigned int vendor, device, n = 0, want = 0;
	struct dirent *de;
	char path[512];
	DIR *d;

	if (argc < 3 || argc > 4 || sscanf(argv[2], "%x:%x", &vendor, &device) != 2)
		usage();
	if (argc == 4)
		want = strtoul(argv[3], NULL, 0);
	d = opendir(PCI_DEVS);
	if (!d)
		die("cannot open %s", PCI_DEVS);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), PCI_DEVS "/%s/vendor", de->d_name);
		if (read_hex(path) != vendor)
			continue;
		snprintf(path, sizeof(path), PCI_DEVS "/%s/device", de->d_name);
		if (read_hex(path) != device)
			continue;
		if (n++ == want) {
			printf("%s\n", de->d_name);
			closedir(d);
			return 0;
		}
	}
	closedir(d);
	fprintf(stderr, "edu: no device %s\n", argv[2]);
	return 1;
}

static volatile uint32_t *map_bar(const char *addr, unsigned int bar,
				   size_t len)
{
	char path[512];
	void *p;
	int fd;

	snprintf(path, sizeof(path), PCI_DEVS "/%s/resource%u", addr, bar);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0)
		die("cannot open %s", path);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("cannot map %s", path);
	close(fd);
	return p;
}

static volatile uint32_t *map_bar0(const char *addr)
{
	return map_bar(addr, 0, EDU_BAR_SIZE);
}

static uint32_t rd(volatile uint32_t *bar, unsigned int off)
{
	return bar[off / 4];
}

static void wr(volatile uint32_t *bar, unsigned int off, uint32_t val)
{
	bar[off / 4] = val;
}

static int cfg_open(const char *addr)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), PCI_DEVS "/%s/config", addr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("cannot open %s", path);
	return fd;
}

static uint8_t cfg_byte(int fd, unsigned int off)
{
	uint8_t b;

	if (pread(fd, &b, 1, off) != 1)
		die("cannot read config%s", "");
	return b;
}

/* Offset of capability @id (0x05 MSI, 0x11 MSI-X), 0 if none. */
static unsigned int find_cap(int fd, uint8_t id)
{
	unsigned int pos, guard = 48;

	if (!(cfg_byte(fd, 0x06) & 0x10))	/* status: capability list */
		return 0;
	for (pos = cfg_byte(fd, 0x34) & ~3u; pos && guard--;
	     pos = cfg_byte(fd, pos + 1) & ~3u)
		if (cfg_byte(fd, pos) == id)
			return pos;
	return 0;
}

static uint32_t cfg_dword(int fd, unsigned int off)
{
	return cfg_byte(fd, off) | cfg_byte(fd, off + 1) << 8 |
	       cfg_byte(fd, off + 2) << 16 | (uint32_t)cfg_byte(fd, off + 3) << 24;
}

/* Mask bit of every MSI-X table entry, as the device holds them. */
static int cmd_msixmask(const char *addr)
{
	unsigned int cap, n, i, bir, off;
	volatile uint32_t *bar;
	int fd = cfg_open(addr);

	cap = find_cap(fd, 0x11);
	if (!cap)
		die("%s has no MSI-X capability", addr);
	n = (cfg_dword(fd, cap) >> 16 & 0x7ff) + 1;
	bir = cfg_dword(fd, cap + 4) & 7;
	off = cfg_dword(fd, cap + 4) & ~7u;
	bar = map_bar(addr, bir, off + n * 16);
	for (i = 0; i < n; i++)
		printf("%s%u:%u", i ? " " : "", i, bar[(off + i * 16 + 12) / 4] & 1);
	printf("\n");
	return 0;
}

/* Sum of the per-CPU counts of the /proc/interrupts line named @name. */
static long long irq_count(const char *name)
{
	char line[4096], *tok, *save;
	long long sum, found = -1;
	FILE *f = fopen("/proc/interrupts", "r");

	if (!f)
		die("cannot open %s", "/proc/interrupts");
	while (fgets(line, sizeof(line), f)) {
		char *last = NULL;

		line[strcspn(line, "\n")] = 0;
		sum = 0;
		tok = strtok_r(line, " ", &save);	/* "NN:" */
		if (!tok || !strchr(tok, ':'))
			continue;
		while ((tok = strtok_r(NULL, " ", &save))) {
			char *end;
			long long v = strtoll(tok, &end, 10);

			if (!*end && !last)
				sum += v;
			else
				last = tok;
		}
		if (last && !strcmp(last, name)) {
			found = sum;
			break;
		}
	}
	fclose(f);
	return found;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int cmd_raise(int argc, char **argv)
{
	const char *addr, *irqname = NULL;
	unsigned long n, i, timeout_ms = 5000, hz = 0;
	uint64_t t0;
	bool ack = false, stop_msi = false;
	volatile uint32_t *bar;
	unsigned int cap = 0;
	int c, cfg = -1;

	if (argc < 4)
		usage();
	addr = argv[2];
	n = strtoul(argv[3], NULL, 0);
	optind = 4;
	while ((c = getopt(argc, argv, "p:aT:mr:")) != -1) {
		switch (c) {
		case 'p':
			irqname = optarg;
			break;
		case 'a':
			ack = true;
			break;
		case 'T':
			timeout_ms = strtoul(optarg, NULL, 0);
			break;
		case 'm':
			stop_msi = true;
			break;
		case 'r':
			hz = strtoul(optarg, NULL, 0);
			break;
		default:
			usage();
		}
	}
	bar = map_bar0(addr);
	if (stop_msi) {
		cfg = cfg_open(addr);
		cap = find_cap(cfg, 0x05);
		if (!cap)
			die("%s has no MSI capability", addr);
	}
	t0 = 0;
	for (i = 0; i < n; i++) {
		long long before = 0;

		while (hz && i && now_us() < t0 + 1000000ULL / hz)
			usleep(200);
		if (stop_msi && !(cfg_byte(cfg, cap + 2) & 1))
			break;
		if (irqname) {
			before = irq_count(irqname);
			if (before < 0)
				die("no /proc/interrupts line %s", irqname);
		}
		wr(bar, EDU_RAISE, 1);
		if (irqname) {
			uint64_t end = now_ms() + timeout_ms;

			while (irq_count(irqname) <= before) {
				if (now_ms() > end) {
					fprintf(stderr, "edu: interrupt %lu not counted on %s\n",
						i + 1, irqname);
					return 1;
				}
				usleep(100);
			}
		}
		/* with -p, after the CPU took it: the next is 1/HZ after that */
		t0 = now_us();
		if (ack)
			wr(bar, EDU_ACK, rd(bar, EDU_STATUS));
	}
	printf("raised %lu\n", i);
	return 0;
}

int main(int argc, char **argv)
{
	volatile uint32_t *bar;
	uint32_t v;
	int fd;

	if (argc < 3)
		usage();
	if (!strcmp(argv[1], "find"))
		return cmd_find(argc, argv);
	if (!strcmp(argv[1], "raise"))
		return cmd_raise(argc, argv);
	if (!strcmp(argv[1], "dma") && argc == 6) {
		bool to_ram = !strcmp(argv[3], "to-ram");
		int err;

		if (!to_ram && strcmp(argv[3], "to-dev"))
			usage();
		bar = map_bar0(argv[2]);
		err = edu_dma(bar, strtoull(argv[4], NULL, 0), EDU_DMA_BUF,
			      strtoull(argv[5], NULL, 0), to_ram, 5000);
		if (err)
			fprintf(stderr, "edu: dma %s\n", err == -1 ?
				"range refused (buffer 4 KiB, 28-bit IOVA)" :
				"did not finish in 5 s");
		return err ? 1 : 0;
	}
	if (!strcmp(argv[1], "cfgbyte") && argc == 4) {
		fd = cfg_open(argv[2]);
		printf("0x%02x\n", cfg_byte(fd, strtoul(argv[3], NULL, 0)));
		return 0;
	}
	if (argc != 3)
		usage();
	if (!strcmp(argv[1], "msixmask"))
		return cmd_msixmask(argv[2]);
	bar = map_bar0(argv[2]);
	if (!strcmp(argv[1], "check")) {
		v = rd(bar, EDU_ID);
		if ((v & 0xff) != 0xed) {
			fprintf(stderr, "edu: identification 0x%08x\n", v);
			return 1;
		}
		wr(bar, EDU_LIVE, 0x12345678);
		v = rd(bar, EDU_LIVE);
		if (v != (uint32_t)~0x12345678) {
			fprintf(stderr, "edu: liveness 0x%08x\n", v);
			return 1;
		}
		printf("edu ok id 0x%08x\n", rd(bar, EDU_ID));
		return 0;
	}
	if (!strcmp(argv[1], "status")) {
		printf("0x%08x\n", rd(bar, EDU_STATUS));
		return 0;
	}
	if (!strcmp(argv[1], "ack")) {
		wr(bar, EDU_ACK, rd(bar, EDU_STATUS));
		return 0;
	}
	usage();
}
