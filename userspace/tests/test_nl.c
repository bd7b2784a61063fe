// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of adp_irq_parse() (nl.c), the decoder of the "irq" group's
 * events that watch-irq and record share; TAP on stdout. Messages are
 * built with libnl as the kernel sends them, then with an attribute left
 * out or of the wrong size. No socket is opened.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/adprof.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "../nl.h"
#include "../parse.h"
#include "../recfile.h"
#include "tap.h"

#define FAMILY	0x20	/* any id: the decoder does not look at it */

/* Attributes of an event; a bit of @omit leaves ADPROF_A_<bit> out. */
static struct nl_msg *event(uint8_t cmd, uint64_t omit, bool short_dev_id)
{
	struct nl_msg *m = nlmsg_alloc();
	bool fault = cmd == ADPROF_CMD_DMA_FAULT;

	if (!m || !genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, FAMILY, 0, 0, cmd,
			       ADPROF_GENL_VERSION))
		abort();
#define PUT(attr, fn, v) \
	do { if (!(omit & (1ULL << (attr))) && fn(m, attr, v)) abort(); } while (0)
	if (short_dev_id)
		PUT(ADPROF_A_DEV_ID, nla_put_u8, 3);
	else
		PUT(ADPROF_A_DEV_ID, nla_put_u32, 3);
	PUT(ADPROF_A_TIMESTAMP, nla_put_u64, 5000000000ULL);
	PUT(ADPROF_A_COUNT, nla_put_u32, 4);
	if (fault) {
		PUT(ADPROF_A_IOVA, nla_put_u64, 0x12345000ULL);
		PUT(ADPROF_A_DMA_FLAGS, nla_put_u32, ADPROF_DMA_F_WRITE);
	} else {
		PUT(ADPROF_A_HOST_VECTOR, nla_put_u32, 2);
		PUT(ADPROF_A_GUEST_IRQ, nla_put_u32, 7);
	}
#undef PUT
	return m;
}

static int parse(struct nl_msg *m, struct adp_irq *e)
{
	int err;

	memset(e, 0xa5, sizeof(*e));
	e->rx_ns = 42;
	err = adp_irq_parse(nlmsg_hdr(m), e);
	nlmsg_free(m);
	return err;
}

static void test_whole(void)
{
	struct adp_irq e;
	int err;

	err = parse(event(ADPROF_CMD_IRQ_EVENT, 0, false), &e);
	check(!err && e.kind == ADP_IRQ_INTERRUPT && e.dev_id == 3 &&
	      e.count == 4 && e.time_ns == 5000000000ULL && e.vector == 2 &&
	      e.guest_irq == 7, "IRQ_EVENT decoded");
	check(!err && !e.iova && !e.dma_flags,
	      "IRQ_EVENT: the fault's fields are zero");
	check(e.rx_ns == 42, "IRQ_EVENT: rx_ns is left to the caller");

	err = parse(event(ADPROF_CMD_DMA_FAULT, 0, false), &e);
	check(!err && e.kind == ADP_IRQ_DMA_FAULT && e.dev_id == 3 &&
	      e.count == 4 && e.time_ns == 5000000000ULL &&
	      e.iova == 0x12345000ULL && e.dma_flags == ADPROF_DMA_F_WRITE,
	      "DMA_FAULT decoded");
	check(!err && !e.vector && !e.guest_irq,
	      "DMA_FAULT: the interrupt's fields are zero");
	check(e.rx_ns == 42, "DMA_FAULT: rx_ns is left to the caller");
}

static void test_refused(void)
{
	static const struct {
		uint8_t cmd;
		unsigned int omit;
		const char *what;
	} cases[] = {
		{ ADPROF_CMD_IRQ_EVENT, ADPROF_A_DEV_ID, "DEV_ID" },
		{ ADPROF_CMD_IRQ_EVENT, ADPROF_A_TIMESTAMP, "TIMESTAMP" },
		{ ADPROF_CMD_IRQ_EVENT, ADPROF_A_COUNT, "COUNT" },
		{ ADPROF_CMD_IRQ_EVENT, ADPROF_A_HOST_VECTOR, "HOST_VECTOR" },
		{ ADPROF_CMD_IRQ_EVENT, ADPROF_A_GUEST_IRQ, "GUEST_IRQ" },
		{ ADPROF_CMD_DMA_FAULT, ADPROF_A_DEV_ID, "DEV_ID" },
		{ ADPROF_CMD_DMA_FAULT, ADPROF_A_COUNT, "COUNT" },
		{ ADPROF_CMD_DMA_FAULT, ADPROF_A_IOVA, "IOVA" },
		{ ADPROF_CMD_DMA_FAULT, ADPROF_A_DMA_FLAGS, "DMA_FLAGS" },
	};
	struct adp_irq e;
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		bool fault = cases[i].cmd == ADPROF_CMD_DMA_FAULT;

		err = parse(event(cases[i].cmd, 1ULL << cases[i].omit, false), &e);
		check(err == -EPROTO && e.kind == (fault ? ADP_IRQ_DMA_FAULT :
							 ADP_IRQ_INTERRUPT),
		      "%s without %s refused, its kind known",
		      fault ? "DMA_FAULT" : "IRQ_EVENT", cases[i].what);
	}
	err = parse(event(ADPROF_CMD_IRQ_EVENT, 0, true), &e);
	check(err == -EPROTO, "IRQ_EVENT with a 1-byte DEV_ID refused by the policy");
	err = parse(event(ADPROF_CMD_DEV_GET, 0, false), &e);
	check(err == -ENOMSG, "DEV_GET is not an event");
}

int main(void)
{
	test_whole();
	test_refused();
	return tap_done();
}
