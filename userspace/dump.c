// SPDX-License-Identifier: GPL-2.0
/* A dump's messages kept until it ends; see dump.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "parse.h"

/**
 * dump_note_flags() - remember an interruption flagged on any message
 * @d: the dump
 * @nlh: a message of it, NLMSG_DONE included
 */
void dump_note_flags(struct dump_buf *d, const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		d->intr = true;
}

/**
 * dump_add() - keep a copy of one message of the dump
 * @d: the dump
 * @nlh: the message, nlmsg_len bytes
 *
 * Return: 0 or -ENOMEM.
 */
int dump_add(struct dump_buf *d, const struct nlmsghdr *nlh)
{
	struct nlmsghdr *copy, **msgs;
	size_t cap;

	dump_note_flags(d, nlh);
	if (d->n == d->cap) {
		cap = d->cap ? 2 * d->cap : 16;
		msgs = realloc(d->msgs, cap * sizeof(*msgs));
		if (!msgs)
			return -ENOMEM;
		d->msgs = msgs;
		d->cap = cap;
	}
	copy = malloc(nlh->nlmsg_len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, nlh, nlh->nlmsg_len);
	d->msgs[d->n++] = copy;
	return 0;
}

/**
 * dump_free() - forget every message; @d is empty and usable again
 * @d: the dump
 */
void dump_free(struct dump_buf *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->msgs[i]);
	free(d->msgs);
	memset(d, 0, sizeof(*d));
}

/**
 * dump_tries() - how many dumps to try before giving up
 * @env: the value of ADPROFCTL_DUMP_TRIES, or NULL
 *
 * Return: @env if it is a number in 1..DUMP_TRIES_MAX, else
 * DUMP_TRIES_DEFAULT.
 */
unsigned int dump_tries(const char *env)
{
	uint32_t v;

	if (!env || parse_u32(env, 1, DUMP_TRIES_MAX, &v))
		return DUMP_TRIES_DEFAULT;
	return v;
}
