/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure parsers for adprofctl arguments, and the formatters of what they
 * parse, no I/O. The parse_*() functions return 0, -EINVAL for malformed
 * text or -ERANGE for a well-formed value out of bounds, and write their
 * results only on success.
 */
#ifndef ADPROF_PARSE_H
#define ADPROF_PARSE_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

struct pci_addr {
	uint16_t segment;
	uint8_t bus;
	uint8_t devfn;		/* (slot << 3) | function */
};

int parse_pci_addr(const char *s, struct pci_addr *addr);
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
int parse_cpulist(const char *s, uint8_t *mask, size_t size, size_t *len);
int parse_irq_flags(const char *s, uint32_t *flags);
const char *irq_type_name(uint32_t flags, int guest);
const char *fmt_ns(char *buf, size_t len, uint64_t ns);
int parse_duration_ms(const char *s, uint64_t *ms);
int parse_size(const char *s, uint64_t *out);

struct adprof_sample;
const struct adprof_sample *rec_next(const void *buf, size_t len, size_t *off,
				     bool *bad);

#endif /* ADPROF_PARSE_H */
