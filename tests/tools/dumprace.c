// SPDX-License-Identifier: GPL-2.0
/*
 * dumprace: adprofctl's DEV_GET dump (userspace/nl.c, as `adprofctl list`
 * runs it) with a change to the registry made between sending the dump
 * request and reading its replies, so that the dump's later parts carry
 * NLM_F_DUMP_INTR.
 *
 * usage: dumprace CMD
 *   runs the shell command CMD once, right after the first dump request
 *   is sent; then prints "dev ID" for each device of the list adp_dump()
 *   hands over, "attempts N" and exits 0, or exits 1 with adp_dump()'s
 *   error. ADPROFCTL_DUMP_TRIES applies as in adprofctl.
 *
 * The dump has more than one part when the devices' messages exceed one
 * skb (tests/guest/26-dump.sh sets up two large ones).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/adprof.h>
#include <netlink/attr.h>

#include "../../userspace/nl.h"

static const char *race_cmd;
static unsigned int attempts;

/* Overrides nl.c's weak no-op. */
void adp_dump_sent(unsigned int attempt)
{
	attempts = attempt + 1;
	if (attempt == 0 && system(race_cmd) != 0)
		fprintf(stderr, "dumprace: '%s' failed\n", race_cmd);
}

static int print_dev(struct nlattr **tb, void *arg)
{
	(void)arg;
	if (!tb[ADPROF_A_DEV_ID])
		return -1;
	printf("dev %" PRIu32 "\n", nla_get_u32(tb[ADPROF_A_DEV_ID]));
	return 0;
}

int main(int argc, char **argv)
{
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: dumprace CMD\n");
		return 2;
	}
	race_cmd = argv[1];
	err = adp_dump("dumprace", ADPROF_CMD_DEV_GET, 0, print_dev, NULL);
	printf("attempts %u\n", attempts);
	return err ? 1 : 0;
}
