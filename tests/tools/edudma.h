/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU's edu DMA engine, as the guest tools drive it through BAR0 (mapped
 * from /sys/bus/pci/devices/ADDR/resource0): source 0x80, destination
 * 0x88, count 0x90, command 0x98 (1 start, 2 device to RAM, 4 interrupt
 * when done). The device's side is its 4 KiB buffer at 0x40000; QEMU
 * aborts the whole machine (hw_error) on a device range outside it, so it
 * is checked here first. QEMU 7.2's check takes the range's exclusive end
 * for an address in the buffer (edu_check_range()'s within(end1, ...)),
 * so a transfer may not reach the buffer's last byte: 4095 bytes at most.
 * RAM addresses are masked to 28 bits by default. A transfer takes 100 ms
 * of virtual time.
 */
#ifndef ADPROF_TESTS_EDUDMA_H
#define ADPROF_TESTS_EDUDMA_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_DMA_RUN	0x1
#define EDU_DMA_TO_RAM	0x2
#define EDU_DMA_BUF	0x40000ULL
#define EDU_DMA_BUF_SIZE 4096ULL
#define EDU_DMA_MASK	((1ULL << 28) - 1)

/* Is [addr, addr + n) inside the device's buffer, as QEMU 7.2 sees it? */
static inline bool edu_dma_buf_ok(uint64_t addr, uint64_t n)
{
	return n && n < EDU_DMA_BUF_SIZE && addr >= EDU_DMA_BUF &&
	       addr - EDU_DMA_BUF < EDU_DMA_BUF_SIZE - n;
}

static inline void edu_wr64(volatile void *bar, unsigned int off, uint64_t v)
{
	*(volatile uint64_t *)((volatile char *)bar + off) = v;
}

static inline uint64_t edu_rd64(volatile void *bar, unsigned int off)
{
	return *(volatile uint64_t *)((volatile char *)bar + off);
}

/*
 * Copy @n bytes RAM (IOVA @ram) -> device buffer (@dev), or back with
 * @to_ram, and wait until the engine is idle again.
 *
 * Return: 0, -1 for a device range QEMU would abort on or an IOVA above
 * the 28-bit mask, -2 if the engine did not finish in @timeout_ms.
 */
static inline int edu_dma(volatile void *bar, uint64_t ram, uint64_t dev,
			  uint64_t n, bool to_ram, unsigned int timeout_ms)
{
	struct timespec ts = { 0, 1000000 };
	unsigned int waited = 0;

	if (!edu_dma_buf_ok(dev, n) || ram > EDU_DMA_MASK ||
	    n - 1 > EDU_DMA_MASK - ram)
		return -1;
	edu_wr64(bar, EDU_DMA_SRC, to_ram ? dev : ram);
	edu_wr64(bar, EDU_DMA_DST, to_ram ? ram : dev);
	edu_wr64(bar, EDU_DMA_CNT, n);
	edu_wr64(bar, EDU_DMA_CMD, EDU_DMA_RUN | (to_ram ? EDU_DMA_TO_RAM : 0));
	while (edu_rd64(bar, EDU_DMA_CMD) & EDU_DMA_RUN) {
		if (waited++ >= timeout_ms)
			return -2;
		nanosleep(&ts, NULL);
	}
	return 0;
}

#endif /* ADPROF_TESTS_EDUDMA_H */
