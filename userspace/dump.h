/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A dump's messages kept until it ends, so that a dump the kernel marks
 * as interrupted (NLM_F_DUMP_INTR: the objects changed between its parts)
 * is never shown as a whole list: nl.c dumps again, or says so. Pure
 * code, unit-tested in tests/test_parse.c.
 */
#ifndef ADPROF_DUMP_H
#define ADPROF_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/netlink.h>

/* Whole dumps tried before giving up; ADPROFCTL_DUMP_TRIES overrides. */
#define DUMP_TRIES_DEFAULT	5
#define DUMP_TRIES_MAX		100

struct dump_buf {
	struct nlmsghdr **msgs;	/* copies, in the order received */
	size_t n, cap;
	bool intr;		/* some part carried NLM_F_DUMP_INTR */
};

int dump_add(struct dump_buf *d, const struct nlmsghdr *nlh);
void dump_note_flags(struct dump_buf *d, const struct nlmsghdr *nlh);
void dump_free(struct dump_buf *d);
unsigned int dump_tries(const char *env);

#endif /* ADPROF_DUMP_H */
