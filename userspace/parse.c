// SPDX-License-Identifier: GPL-2.0
/* Pure parsers for adprofctl arguments; see parse.h for the conventions. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/adprof.h>

#include "parse.h"

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Read 1..@maxdigits hex digits at *@p, at most @max. */
static int read_hex(const char **p, unsigned int maxdigits, unsigned int max,
		    unsigned int *out)
{
	const char *s = *p;
	unsigned int v = 0, n = 0;
	int d;

	for (; (d = digit_value(*s)) >= 0; s++, n++)
		v = v * 16 + d;
	if (!n)
		return -EINVAL;
	if (n > maxdigits || v > max)
		return -ERANGE;
	*out = v;
	*p = s;
	return 0;
}

static int expect(const char **p, char c)
{
	if (**p != c)
		return -EINVAL;
	(*p)++;
	return 0;
}

/* Read decimal digits at *@p into a u64, refusing overflow. */
static int read_dec(const char **p, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - (*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	*p = s;
	return 0;
}

/**
 * parse_pci_addr() - parse "[DDDD:]BB:DD.F" (hex, either case)
 * @s: text
 * @addr: result; the segment is 0 when omitted
 *
 * Return: 0, -EINVAL if malformed, -ERANGE if a field is out of range.
 */
int parse_pci_addr(const char *s, struct pci_addr *addr)
{
	unsigned int seg = 0, bus, dev, fn;
	const char *colon = strchr(s, ':');
	int err = 0;

	if (colon && strchr(colon + 1, ':')) {
		err = read_hex(&s, 4, 0xffff, &seg);
		err = err ?: expect(&s, ':');
	}
	err = err ?: read_hex(&s, 2, 0xff, &bus);
	err = err ?: expect(&s, ':');
	err = err ?: read_hex(&s, 2, 0x1f, &dev);
	err = err ?: expect(&s, '.');
	err = err ?: read_hex(&s, 1, 7, &fn);
	err = err ?: expect(&s, '\0');
	if (err)
		return err;
	addr->segment = seg;
	addr->bus = bus;
	addr->devfn = dev << 3 | fn;
	return 0;
}

/**
 * parse_u64() - parse an unsigned number within [@min, @max]
 * @s: decimal, or hex/octal/binary with a 0x/0o/0b prefix; no sign, no spaces
 * @min: lowest accepted value
 * @max: highest accepted value
 * @out: result
 *
 * Return: 0, -EINVAL if malformed, -ERANGE on overflow or out of bounds.
 */
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned int base = 10;
	bool overflow = false;
	uint64_t v = 0;
	int d;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16;
	else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
		base = 8;
	else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2;
	if (base != 10)
		s += 2;
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		d = digit_value(*s);
		if (d < 0 || (unsigned int)d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / base)
			overflow = true;
		v = v * base + d;
	}
	if (overflow || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/** parse_u32() - parse_u64() for a u32. Return: as parse_u64(). */
int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v;
	int err;

	err = parse_u64(s, min, max, &v);
	if (!err)
		*out = v;
	return err;
}

/* "0xHEX" mask, least significant CPU rightmost; set bits if @mask. */
static int cpumask_walk(const char *s, size_t size, uint8_t *mask)
{
	size_t n, i;
	int d;

	for (n = 0; s[n]; n++)
		if (digit_value(s[n]) < 0)
			return -EINVAL;
	while (*s == '0') {
		s++;
		n--;
	}
	if (!n)
		return -EINVAL;
	if ((n + 1) / 2 > size)
		return -ERANGE;
	for (i = 0; mask && i < n; i++) {
		d = digit_value(s[n - 1 - i]);
		mask[i / 2] |= d << (i % 2 * 4);
	}
	return 0;
}

/* "A[-B],..." list; set bits if @mask. */
static int cpulist_walk(const char *s, size_t size, uint8_t *mask)
{
	uint64_t lo, hi;
	int err;

	do {
		err = read_dec(&s, &lo);
		if (err)
			return err;
		hi = lo;
		if (*s == '-') {
			s++;
			err = read_dec(&s, &hi);
			if (err)
				return err;
			if (hi < lo)
				return -EINVAL;
		}
		if (hi >= size * 8)
			return -ERANGE;
		for (; mask && lo <= hi; lo++)
			mask[lo / 8] |= 1U << (lo % 8);
	} while (*s++ == ',');
	return s[-1] ? -EINVAL : 0;
}

static int cpus_walk(const char *s, size_t size, uint8_t *mask)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return cpumask_walk(s + 2, size, mask);
	return cpulist_walk(s, size, mask);
}

/**
 * parse_cpulist() - parse a CPU list "0-3,5" or a hex mask "0x2f"
 * @s: text; ranges may overlap, a reversed range is refused
 * @mask: bitmap of @size bytes, CPU n is bit n % 8 of byte n / 8
 * @size: bytes in @mask; CPUs from @size * 8 on are out of range
 * @len: bytes of @mask up to the last one with a CPU set
 *
 * Return: 0, -EINVAL if malformed or empty, -ERANGE if a CPU is too high.
 */
int parse_cpulist(const char *s, uint8_t *mask, size_t size, size_t *len)
{
	int err;

	err = cpus_walk(s, size, NULL);
	if (err)
		return err;
	memset(mask, 0, size);
	cpus_walk(s, size, mask);
	for (*len = size; !mask[*len - 1]; (*len)--)
		;
	return 0;
}

static const struct {
	const char *name;
	uint32_t host, guest;
} irq_types[] = {
	{ "intx", ADPROF_IRQ_HOST_INTX, ADPROF_IRQ_GUEST_INTX },
	{ "msi", ADPROF_IRQ_HOST_MSI, ADPROF_IRQ_GUEST_MSI },
	{ "msix", ADPROF_IRQ_HOST_MSIX, ADPROF_IRQ_GUEST_MSIX },
};

/* One "host=TYPE" or "guest=TYPE" word ending at @end, added to *@flags. */
static int irq_word(const char *s, const char *end, uint32_t *flags)
{
	bool guest = !strncmp(s, "guest=", 6);
	size_t i;

	if (!guest && strncmp(s, "host=", 5))
		return -EINVAL;
	s += guest ? 6 : 5;
	for (i = 0; i < ARRAY_SIZE(irq_types); i++) {
		if (strlen(irq_types[i].name) == (size_t)(end - s) &&
		    !strncmp(s, irq_types[i].name, end - s))
			break;
	}
	if (i == ARRAY_SIZE(irq_types))
		return -EINVAL;
	/* A side named twice is a typo, not a request for two types. */
	if (*flags & (guest ? ADPROF_IRQ_GUEST_MASK : ADPROF_IRQ_HOST_MASK))
		return -EINVAL;
	*flags |= guest ? irq_types[i].guest : irq_types[i].host;
	return 0;
}

/**
 * parse_irq_flags() - add IRQ type words or raw flags to *@flags
 * @s: "host=intx|msi|msix" and/or "guest=intx|msi|msix", comma separated,
 *     or a number taken as raw ADPROF_IRQ_* bits (unchecked, for testing
 *     the kernel's own validation)
 * @flags: flags so far, updated on success; a side may be named once
 *
 * Return: 0 or -EINVAL.
 */
int parse_irq_flags(const char *s, uint32_t *flags)
{
	uint32_t f = *flags, raw;
	const char *end;
	int err;

	if (*s >= '0' && *s <= '9') {
		err = parse_u32(s, 0, UINT32_MAX, &raw);
		if (err)
			return -EINVAL;
		*flags |= raw;
		return 0;
	}
	do {
		end = s + strcspn(s, ",");
		err = irq_word(s, end, &f);
		if (err)
			return err;
		s = end;
	} while (*s++ == ',');
	*flags = f;
	return 0;
}

/**
 * irq_type_name() - name of the host or guest IRQ type in @flags
 * @flags: ADPROF_IRQ_* bits
 * @guest: nonzero for the guest side
 *
 * Return: "intx", "msi", "msix", "none", or "invalid" for several bits.
 */
const char *irq_type_name(uint32_t flags, int guest)
{
	uint32_t side = flags & (guest ? ADPROF_IRQ_GUEST_MASK :
					 ADPROF_IRQ_HOST_MASK);
	size_t i;

	if (!side)
		return "none";
	for (i = 0; i < ARRAY_SIZE(irq_types); i++)
		if (side == (guest ? irq_types[i].guest : irq_types[i].host))
			return irq_types[i].name;
	return "invalid";
}

/**
 * fmt_ns() - a duration as watch-irq and report print it: "950ns",
 *	      "12.5us", "3.0ms", "1.2s"
 * @buf: where to write
 * @len: its size
 * @ns: the duration in nanoseconds
 *
 * Return: @buf
 */
const char *fmt_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns < 1000)
		snprintf(buf, len, "%" PRIu64 "ns", ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, len, "%.1fms", ns / 1e6);
	else
		snprintf(buf, len, "%.1fs", ns / 1e9);
	return buf;
}

/**
 * parse_duration_ms() - parse "N[ms|s|m|h]" (seconds when no unit)
 * @s: text
 * @ms: result in milliseconds
 *
 * Return: 0, -EINVAL if malformed, -ERANGE on overflow.
 */
int parse_duration_ms(const char *s, uint64_t *ms)
{
	static const struct {
		const char *unit;
		uint64_t ms;
	} units[] = {
		{ "", 1000 }, { "ms", 1 }, { "s", 1000 },
		{ "m", 60 * 1000 }, { "h", 60 * 60 * 1000 },
	};
	uint64_t v;
	size_t i;
	int err;

	err = read_dec(&s, &v);
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcmp(s, units[i].unit))
			continue;
		if (v > UINT64_MAX / units[i].ms)
			return -ERANGE;
		*ms = v * units[i].ms;
		return 0;
	}
	return -EINVAL;
}

/**
 * parse_size() - parse a byte count: a number as parse_u64() takes it,
 *		  optionally followed by K, M or G (KiB, MiB, GiB)
 * @s: text
 * @out: result in bytes
 *
 * Return: 0, -EINVAL if malformed, -ERANGE on overflow.
 */
int parse_size(const char *s, uint64_t *out)
{
	static const char units[] = "KMG";
	size_t len = strlen(s);
	const char *u;
	char num[32];
	unsigned int shift = 0;
	uint64_t v;
	int err;

	if (!len || len >= sizeof(num))
		return len ? -ERANGE : -EINVAL;
	memcpy(num, s, len + 1);
	u = strchr(units, num[len - 1]);
	if (u && num[len - 1]) {
		shift = 10 * (unsigned int)(u - units + 1);
		num[len - 1] = '\0';
	}
	err = parse_u64(num, 0, UINT64_MAX, &v);
	if (err)
		return err;
	if (shift && v > UINT64_MAX >> shift)
		return -ERANGE;
	*out = v << shift;
	return 0;
}

/**
 * rec_next() - the next record of an ADPROF_A_SAMPLES array
 * @buf: the array
 * @len: its bytes
 * @off: offset of the record to return; advanced past it
 * @bad: set when a record runs past @len (the array is cut or garbled)
 *
 * Records are struct adprof_sample, or with ADPROF_SAMPLE_F_STACK that
 * followed by a struct adprof_stack and its addresses (uapi's
 * adprof_record_len()). Aligned as the kernel writes them (8 bytes).
 *
 * Return: the record, or NULL at the end or when it is bad.
 */
const struct adprof_sample *rec_next(const void *buf, size_t len, size_t *off,
				     bool *bad)
{
	const struct adprof_sample *s;
	size_t left = len - *off, n;

	if (*off >= len)
		return NULL;
	s = (const void *)((const char *)buf + *off);
	if (left < sizeof(*s) || ((s->flags & ADPROF_SAMPLE_F_STACK) &&
				  left < sizeof(*s) + sizeof(struct adprof_stack))) {
		*bad = true;
		return NULL;
	}
	n = adprof_record_len(s);
	if (n > left) {
		*bad = true;
		return NULL;
	}
	*off += n;
	return s;
}
