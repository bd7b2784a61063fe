// SPDX-License-Identifier: GPL-2.0
/*
 * Reading an adprof recording (recfile.h): pure checks over a buffer
 * holding the whole file, shared by report and every converter, so that
 * none of them reads a record the others would refuse.
 */
#include <string.h>
#include <linux/adprof.h>

#include "parse.h"
#include "recfile.h"

#define HEADER_SIZE_MAX	4096

/**
 * rf_open() - check a recording's header
 * @f: reader state, set up for rf_next()
 * @buf: the whole file, 8-byte aligned
 * @size: its length
 * @why: set to the reason on failure
 *
 * Return: 0, or -1 for a file that is no adprof recording, of another
 * machine's byte order or word sizes, or of a newer format.
 */
int rf_open(struct rf *f, const void *buf, size_t size, const char **why)
{
	struct adp_file_header *h = &f->h;

	memset(f, 0, sizeof(*f));
	f->buf = buf;
	f->size = size;
	if (size < 8 || memcmp(buf, ADP_FILE_MAGIC, 8)) {
		*why = "not an adprof recording (no ADPRFREC magic)";
		return -1;
	}
	if (size < sizeof(*h)) {
		*why = "truncated in its header";
		return -1;
	}
	memcpy(h, buf, sizeof(*h));
	if (h->version == 0 || h->version > 0xffff ||
	    h->header_size > 0xffff || h->sample_size > 0xffff) {
		*why = "written on a machine of the other byte order, or corrupted";
		return -1;
	}
	if (h->version > ADP_FILE_VERSION) {
		*why = "of a newer format version than this adprofctl reads";
		return -1;
	}
	if (h->header_size < sizeof(*h) || h->header_size > HEADER_SIZE_MAX ||
	    h->header_size % 8) {
		*why = "corrupted header (header size)";
		return -1;
	}
	if (h->sample_size != sizeof(struct adprof_sample)) {
		*why = "of another record layout (sample size)";
		return -1;
	}
	if (h->depth > ADPROF_STACK_DEPTH_MAX || (h->version < 2 && h->depth)) {
		*why = "corrupted header (stack depth)";
		return -1;
	}
	if (h->header_size > size) {
		*why = "truncated in its header";
		return -1;
	}
	f->off = h->header_size;
	return 0;
}

/* The records of a batch: whole, known flags, stacks within the depth. */
static int check_batch(const struct rf *f, const char *p, size_t len,
		       const char **why)
{
	const struct adp_batch *b = (const void *)p;
	const struct adprof_sample *s;
	const struct adprof_stack *st;
	size_t off = 0, n = len - sizeof(*b);
	bool bad = false;

	if (b->cpu >= RF_CPU_MAX) {
		*why = "corrupted batch (CPU number)";
		return -1;
	}
	while ((s = rec_next(b + 1, n, &off, &bad))) {
		if (s->flags & ~(ADPROF_SAMPLE_F_KERNEL | ADPROF_SAMPLE_F_COMM |
				 ADPROF_SAMPLE_F_STACK | ADPROF_SAMPLE_F_COUNT) ||
		    ((s->flags & ADPROF_SAMPLE_F_COMM) &&
		     (s->flags & ~ADPROF_SAMPLE_F_COMM)) ||
		    s->cpu >= RF_CPU_MAX) {
			*why = "corrupted record (flags or CPU)";
			return -1;
		}
		/*
		 * Count records come from summary sessions, version 3 files;
		 * the kernel counts a table entry in 32 bits.
		 */
		if ((s->flags & ADPROF_SAMPLE_F_COUNT) &&
		    (f->h.version < 3 || !s->count || s->count > UINT32_MAX)) {
			*why = "corrupted count record";
			return -1;
		}
		if (!(s->flags & ADPROF_SAMPLE_F_STACK))
			continue;
		st = (const void *)(s + 1);
		if (f->h.version < 2 ||
		    st->nr_kernel + st->nr_user > ADPROF_STACK_DEPTH_MAX ||
		    st->flags & ~(ADPROF_STACK_F_KERNEL_TRUNC |
				  ADPROF_STACK_F_USER_TRUNC |
				  ADPROF_STACK_F_USER_BAD)) {
			*why = "corrupted call stack record";
			return -1;
		}
	}
	if (bad) {
		*why = "corrupted batch (a record cut short)";
		return -1;
	}
	return 0;
}

/**
 * rf_next() - the next chunk of a recording
 * @f: reader state of rf_open()
 * @c: the chunk; its payload checked for its type (BATCH, MAPS, END, IRQ;
 *     other types are returned unchecked for the caller to skip)
 * @why: set to the reason on failure
 *
 * Return: 1 for a chunk, 0 at the end of the file, -1 for a chunk that
 * runs past the end (the file was cut short) or is corrupted.
 */
int rf_next(struct rf *f, struct rf_chunk *c, const char **why)
{
	const struct adp_chunk *ch;
	size_t left;

	if (f->off >= f->size)
		return 0;
	left = f->size - f->off;
	if (left < sizeof(*ch)) {
		*why = "truncated (in a chunk header)";
		return -1;
	}
	ch = (const void *)(f->buf + f->off);
	if (ch->len > left - sizeof(*ch)) {
		*why = "truncated (a chunk runs past the end of the file)";
		return -1;
	}
	c->type = ch->type;
	c->len = ch->len;
	c->off = f->off;
	c->p = ch + 1;
	switch (c->type) {
	case ADP_CHUNK_BATCH:
		if (c->len < sizeof(struct adp_batch)) {
			*why = "corrupted batch chunk (too short)";
			return -1;
		}
		if (check_batch(f, c->p, c->len, why))
			return -1;
		break;
	case ADP_CHUNK_MAPS:
		if (c->len < sizeof(struct adp_maps)) {
			*why = "corrupted maps chunk (too short)";
			return -1;
		}
		break;
	case ADP_CHUNK_END:
		if (c->len < sizeof(struct adp_end)) {
			*why = "corrupted end chunk (too short)";
			return -1;
		}
		break;
	case ADP_CHUNK_IRQ:
		if (c->len < sizeof(struct adp_irq) ||
		    ((const struct adp_irq *)c->p)->kind > ADP_IRQ_DMA_FAULT) {
			*why = "corrupted irq chunk";
			return -1;
		}
		break;
	}
	/* The padding of the last chunk may be missing: nothing follows. */
	f->off += sizeof(*ch) + c->len;
	f->off += -f->off & 7;
	return 1;
}
