// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of adprofctl's pure parsers and JSON writer; TAP on stdout.
 * Expected values are written out by hand, not derived from the code or
 * the uapi macros under test.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/adprof.h>

#include "../dump.h"
#include "../json.h"
#include "../parse.h"
#include "tap.h"

static const char *err_name(int err)
{
	return err == 0 ? "ok" : err == -EINVAL ? "EINVAL" :
	       err == -ERANGE ? "ERANGE" : "other";
}

static void test_pci(void)
{
	static const struct {
		const char *s;
		int err;
		unsigned int seg, bus, devfn;
	} cases[] = {
		{ "0000:00:04.0", 0, 0x0000, 0x00, 0x20 },
		{ "00:1f.7", 0, 0x0000, 0x00, 0xff },
		{ "ABCD:EF:1F.3", 0, 0xabcd, 0xef, 0xfb },
		{ "abcd:ef:1f.3", 0, 0xabcd, 0xef, 0xfb },
		{ "ffff:ff:1f.7", 0, 0xffff, 0xff, 0xff },
		{ "1:2:3.4", 0, 0x0001, 0x02, 0x1c },
		{ "00:20.0", -ERANGE, 0, 0, 0 },
		{ "00:00.8", -ERANGE, 0, 0, 0 },
		{ "00:04.00", -ERANGE, 0, 0, 0 },
		{ "100:00.0", -ERANGE, 0, 0, 0 },
		{ "0000:100:00.0", -ERANGE, 0, 0, 0 },
		{ "0000:000:00.0", -ERANGE, 0, 0, 0 },
		{ "10000:00:00.0", -ERANGE, 0, 0, 0 },
		{ "", -EINVAL, 0, 0, 0 },
		{ "garbage", -EINVAL, 0, 0, 0 },
		{ "00:04", -EINVAL, 0, 0, 0 },
		{ ":04.0", -EINVAL, 0, 0, 0 },
		{ "00:.0", -EINVAL, 0, 0, 0 },
		{ "0000:00:04.0x", -EINVAL, 0, 0, 0 },
		{ "0000:00:04.0 ", -EINVAL, 0, 0, 0 },
		{ "00:04.0.1", -EINVAL, 0, 0, 0 },
		{ "0000:00:00:04.0", -EINVAL, 0, 0, 0 },
		{ "0x00:04.0", -EINVAL, 0, 0, 0 },
		{ "g0:04.0", -EINVAL, 0, 0, 0 },
	};
	struct pci_addr a;
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(&a, 0xaa, sizeof(a));
		err = parse_pci_addr(cases[i].s, &a);
		if (cases[i].err)
			check(err == cases[i].err && a.segment == 0xaaaa &&
			      a.bus == 0xaa && a.devfn == 0xaa,
			      "pci '%s' refused with %s, result untouched",
			      cases[i].s, err_name(cases[i].err));
		else
			check(!err && a.segment == cases[i].seg &&
			      a.bus == cases[i].bus && a.devfn == cases[i].devfn,
			      "pci '%s' is %04x:%02x devfn %02x", cases[i].s,
			      cases[i].seg, cases[i].bus, cases[i].devfn);
	}
}

static void test_numbers(void)
{
	static const struct {
		const char *s;
		unsigned long long min, max;
		int err;
		unsigned long long v;
	} cases[] = {
		{ "0", 0, 10, 0, 0 },
		{ "42", 0, 100, 0, 42 },
		{ "0x2A", 0, 100, 0, 42 },
		{ "0X2a", 0, 100, 0, 42 },
		{ "0o52", 0, 100, 0, 42 },
		{ "0b101010", 0, 100, 0, 42 },
		{ "010", 0, 100, 0, 10 },
		{ "100000", 1, 100000, 0, 100000 },
		{ "18446744073709551615", 0, ~0ULL, 0, ~0ULL },
		{ "0xffffffffffffffff", 0, ~0ULL, 0, ~0ULL },
		{ "18446744073709551616", 0, ~0ULL, -ERANGE, 0 },
		{ "0x10000000000000000", 0, ~0ULL, -ERANGE, 0 },
		{ "99999999999999999999999", 0, ~0ULL, -ERANGE, 0 },
		{ "0", 1, 10, -ERANGE, 0 },
		{ "100001", 1, 100000, -ERANGE, 0 },
		{ "-1", 0, 10, -EINVAL, 0 },
		{ "+1", 0, 10, -EINVAL, 0 },
		{ " 1", 0, 10, -EINVAL, 0 },
		{ "1 ", 0, 10, -EINVAL, 0 },
		{ "", 0, 10, -EINVAL, 0 },
		{ "0x", 0, 10, -EINVAL, 0 },
		{ "0xg", 0, 10, -EINVAL, 0 },
		{ "12abc", 0, 100, -EINVAL, 0 },
		{ "0b102", 0, 100, -EINVAL, 0 },
		{ "0o8", 0, 100, -EINVAL, 0 },
		{ "1e3", 0, 10000, -EINVAL, 0 },
	};
	unsigned long long v;
	uint64_t v64;
	uint32_t v32;
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		v64 = 7;
		err = parse_u64(cases[i].s, cases[i].min, cases[i].max, &v64);
		v = v64;
		if (cases[i].err)
			check(err == cases[i].err && v == 7,
			      "u64 '%s' in %llu..%llu refused with %s",
			      cases[i].s, cases[i].min, cases[i].max,
			      err_name(cases[i].err));
		else
			check(!err && v == cases[i].v, "u64 '%s' is %llu",
			      cases[i].s, cases[i].v);
	}
	err = parse_u32("4294967295", 0, 0xffffffffU, &v32);
	check(!err && v32 == 0xffffffffU, "u32 '4294967295' is the maximum");
	v32 = 7;
	err = parse_u32("4294967296", 0, 0xffffffffU, &v32);
	check(err == -ERANGE && v32 == 7, "u32 '4294967296' overflows");
}

static void check_mask(const char *s, size_t size, int want_err,
		       const uint8_t *want, size_t want_len)
{
	uint8_t mask[1024];
	size_t len = 99;
	int err;

	memset(mask, 0xee, sizeof(mask));
	err = parse_cpulist(s, mask, size, &len);
	if (want_err) {
		check(err == want_err && len == 99 && mask[0] == 0xee,
		      "cpus '%s' (%zu bytes) refused with %s", s, size,
		      err_name(want_err));
		return;
	}
	check(!err && len == want_len && !memcmp(mask, want, want_len) &&
	      (want_len == size || mask[want_len] == 0),
	      "cpus '%s' is %zu byte(s) of mask", s, want_len);
}

static void test_cpulist(void)
{
	static const uint8_t top[1024] = { [1023] = 0x80 };

	check_mask("0", 1024, 0, (const uint8_t []){ 0x01 }, 1);
	check_mask("0-3,5", 1024, 0, (const uint8_t []){ 0x2f }, 1);
	check_mask("7-8", 1024, 0, (const uint8_t []){ 0x80, 0x01 }, 2);
	check_mask("1-3,2-5", 1024, 0, (const uint8_t []){ 0x3e }, 1);
	check_mask("3,3", 1024, 0, (const uint8_t []){ 0x08 }, 1);
	check_mask("16,0", 1024, 0, (const uint8_t []){ 0x01, 0x00, 0x01 }, 3);
	check_mask("8191", 1024, 0, top, 1024);
	check_mask("8192", 1024, -ERANGE, NULL, 0);
	check_mask("0-8192", 1024, -ERANGE, NULL, 0);
	check_mask("15", 2, 0, (const uint8_t []){ 0x00, 0x80 }, 2);
	check_mask("16", 2, -ERANGE, NULL, 0);
	check_mask("3-1", 1024, -EINVAL, NULL, 0);
	check_mask("", 1024, -EINVAL, NULL, 0);
	check_mask(",", 1024, -EINVAL, NULL, 0);
	check_mask("1,", 1024, -EINVAL, NULL, 0);
	check_mask("1-", 1024, -EINVAL, NULL, 0);
	check_mask("-1", 1024, -EINVAL, NULL, 0);
	check_mask("1-2-3", 1024, -EINVAL, NULL, 0);
	check_mask("a", 1024, -EINVAL, NULL, 0);
	check_mask("1 ,2", 1024, -EINVAL, NULL, 0);
	check_mask("0x2f", 1024, 0, (const uint8_t []){ 0x2f }, 1);
	check_mask("0x100", 1024, 0, (const uint8_t []){ 0x00, 0x01 }, 2);
	check_mask("0x0ffff", 2, 0, (const uint8_t []){ 0xff, 0xff }, 2);
	check_mask("0x10000", 2, -ERANGE, NULL, 0);
	check_mask("0x0", 1024, -EINVAL, NULL, 0);
	check_mask("0x", 1024, -EINVAL, NULL, 0);
	check_mask("0x1g", 1024, -EINVAL, NULL, 0);
}

static void check_irq(const char *s, uint32_t before, int want_err,
		      uint32_t want)
{
	uint32_t flags = before;
	int err = parse_irq_flags(s, &flags);

	if (want_err)
		check(err == want_err && flags == before,
		      "irq '%s' after 0x%x refused", s, before);
	else
		check(!err && flags == want, "irq '%s' after 0x%x is 0x%x",
		      s, before, want);
}

static void test_irq(void)
{
	check_irq("host=msi,guest=msix", 0, 0, 0x402);
	check_irq("host=intx", 0, 0, 0x001);
	check_irq("guest=intx", 0x001, 0, 0x101);
	check_irq("guest=msi", 0, 0, 0x200);
	check_irq("guest=msix,host=msix", 0, 0, 0x404);
	check_irq("0x103", 0, 0, 0x103);
	check_irq("host=msi,host=intx", 0, -EINVAL, 0);
	check_irq("host=msi", 0x004, -EINVAL, 0);
	check_irq("host=foo", 0, -EINVAL, 0);
	check_irq("host=", 0, -EINVAL, 0);
	check_irq("host=msi,", 0, -EINVAL, 0);
	check_irq("host=ms", 0, -EINVAL, 0);
	check_irq("host=msixx", 0, -EINVAL, 0);
	check_irq("HOST=msi", 0, -EINVAL, 0);
	check_irq("msi", 0, -EINVAL, 0);
	check_irq("", 0, -EINVAL, 0);
	check(!strcmp(irq_type_name(0x402, 0), "msi"), "irq name host of 0x402");
	check(!strcmp(irq_type_name(0x402, 1), "msix"), "irq name guest of 0x402");
	check(!strcmp(irq_type_name(0x100, 0), "none"), "irq name host of 0x100");
	check(!strcmp(irq_type_name(0x003, 0), "invalid"), "irq name host of 0x003");
}

static void test_duration(void)
{
	static const struct {
		const char *s;
		int err;
		unsigned long long ms;
	} cases[] = {
		{ "10", 0, 10000 },
		{ "250ms", 0, 250 },
		{ "5s", 0, 5000 },
		{ "2m", 0, 120000 },
		{ "1h", 0, 3600000 },
		{ "0", 0, 0 },
		{ "", -EINVAL, 0 },
		{ "5x", -EINVAL, 0 },
		{ "ms", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "1.5s", -EINVAL, 0 },
		{ "18446744073709551615h", -ERANGE, 0 },
	};
	uint64_t ms;
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ms = 7;
		err = parse_duration_ms(cases[i].s, &ms);
		if (cases[i].err)
			check(err == cases[i].err && ms == 7,
			      "duration '%s' refused with %s", cases[i].s,
			      err_name(cases[i].err));
		else
			check(!err && ms == cases[i].ms, "duration '%s' is %llu ms",
			      cases[i].s, cases[i].ms);
	}
}

static void test_fmt_ns(void)
{
	static const struct {
		unsigned long long ns;
		const char *s;
	} cases[] = {
		{ 0, "0ns" },
		{ 950, "950ns" },
		{ 999, "999ns" },
		{ 1000, "1.0us" },
		{ 12500, "12.5us" },
		{ 999949, "999.9us" },
		{ 1000000, "1.0ms" },
		{ 3000000, "3.0ms" },
		{ 1000000000, "1.0s" },
		{ 1200000000, "1.2s" },
		{ 18446744073709551615ULL, "18446744073.7s" },
	};
	char buf[16];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check(!strcmp(fmt_ns(buf, sizeof(buf), cases[i].ns), cases[i].s),
		      "%llu ns printed as %s", cases[i].ns, cases[i].s);
}

static void test_size(void)
{
	static const struct {
		const char *s;
		int err;
		unsigned long long bytes;
	} cases[] = {
		{ "4096", 0, 4096 },
		{ "0x1000", 0, 4096 },
		{ "4K", 0, 4096 },
		{ "64M", 0, 67108864 },
		{ "2G", 0, 2147483648ULL },
		{ "0x10M", 0, 16777216 },
		{ "0", 0, 0 },
		{ "", -EINVAL, 0 },
		{ "K", -EINVAL, 0 },
		{ "4k", -EINVAL, 0 },
		{ "4KB", -EINVAL, 0 },
		{ "1.5M", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "17179869184G", -ERANGE, 0 },
		{ "18446744073709551616", -ERANGE, 0 },
	};
	uint64_t v;
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		v = 7;
		err = parse_size(cases[i].s, &v);
		if (cases[i].err)
			check(err == cases[i].err && v == 7, "size '%s' refused with %s",
			      cases[i].s, err_name(cases[i].err));
		else
			check(!err && v == cases[i].bytes, "size '%s' is %llu bytes",
			      cases[i].s, cases[i].bytes);
	}
}

/* Records of an ADPROF_A_SAMPLES array: fixed, with stacks, cut short. */
static void test_records(void)
{
	uint64_t buf[64] = { 0 };
	struct adprof_sample *s = (void *)buf;
	struct adprof_stack *st;
	const struct adprof_sample *r;
	size_t off = 0, len;
	bool bad = false;

	s[0].flags = ADPROF_SAMPLE_F_COMM;		/* 32 bytes */
	s[1].flags = ADPROF_SAMPLE_F_STACK;		/* 32 + 8 + 3 * 8 */
	s[1].pc = 0x1000;
	st = (void *)&s[2];
	st->nr_kernel = 1;
	st->nr_user = 2;
	s = (void *)((char *)buf + 32 + 64);
	s->flags = ADPROF_SAMPLE_F_KERNEL;		/* 32 bytes */
	s->pc = 0x2000;
	len = 32 + 64 + 32;

	r = rec_next(buf, len, &off, &bad);
	check(r == (void *)buf && off == 32 && !bad, "records: a fixed one");
	r = rec_next(buf, len, &off, &bad);
	check(r && r->pc == 0x1000 && off == 96 && adprof_record_len(r) == 64,
	      "records: one with a stack of 3 addresses, 64 bytes");
	r = rec_next(buf, len, &off, &bad);
	check(r && r->pc == 0x2000 && off == len, "records: the one after it");
	check(!rec_next(buf, len, &off, &bad) && !bad, "records: the end");

	off = 32;
	check(!rec_next(buf, 32 + 60, &off, &bad) && bad && off == 32,
	      "records: a stack cut short is bad, not read");
	bad = false;
	off = 0;
	check(!rec_next(buf, 20, &off, &bad) && bad,
	      "records: less than a record is bad");
	bad = false;
	off = 32;
	check(!rec_next(buf, 32 + 36, &off, &bad) && bad,
	      "records: a stack header cut short is bad");
	bad = false;
	st->nr_kernel = 65535;
	st->nr_user = 65535;
	off = 32;
	check(!rec_next(buf, sizeof(buf), &off, &bad) && bad,
	      "records: counts past the array are bad");
}

static char *escaped(const char *s)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	json_escape(f, s);
	fclose(f);
	return buf;
}

static void check_escape(const char *s, const char *want, const char *desc)
{
	char *got = escaped(s);

	check(got && !strcmp(got, want), "json escape %s", desc);
	free(got);
}

static void test_json(void)
{
	char *buf = NULL;
	struct json j;
	size_t len;
	FILE *f;

	check_escape("abc", "\"abc\"", "plain");
	check_escape("", "\"\"", "empty");
	check_escape("a\"b\\c", "\"a\\\"b\\\\c\"", "quote and backslash");
	check_escape("a\nb\tc\r", "\"a\\nb\\tc\\r\"", "newline, tab, return");
	check_escape("\b\f", "\"\\b\\f\"", "backspace, form feed");
	check_escape("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"", "control bytes");
	check_escape("caf\xc3\xa9/", "\"caf\xc3\xa9/\"", "UTF-8 and slash kept");

	f = open_memstream(&buf, &len);
	if (f) {
		json_init(&j, f);
		json_open(&j, NULL, '{');
		json_u64(&j, "a", 1);
		json_open(&j, "b", '[');
		json_str(&j, NULL, "x");
		json_bool(&j, NULL, true);
		json_open(&j, NULL, '{');
		json_close(&j, '}');
		json_close(&j, ']');
		json_str(&j, "k\"", "v");
		json_u64(&j, "max", ~0ULL);
		json_close(&j, '}');
		json_open(&j, NULL, '[');
		json_close(&j, ']');
		fclose(f);
	}
	check(f && !strcmp(buf, "{\"a\":1,\"b\":[\"x\",true,{}],\"k\\\"\":\"v\","
			   "\"max\":18446744073709551615}\n[]\n"),
	      "json writer commas, nesting, keys, one value per line");
	free(buf);
}

/* A message of @len bytes in all, its payload filled with @fill. */
static struct nlmsghdr *test_msg(uint32_t len, uint16_t flags, char fill)
{
	struct nlmsghdr *h = calloc(1, len);

	if (!h)
		exit(EXIT_FAILURE);
	h->nlmsg_len = len;
	h->nlmsg_flags = flags;
	memset(h + 1, fill, len - sizeof(*h));
	return h;
}

static void test_dump(void)
{
	struct nlmsghdr *a = test_msg(40, NLM_F_MULTI, 'a');
	struct nlmsghdr *b = test_msg(100, NLM_F_MULTI, 'b');
	struct nlmsghdr *intr = test_msg(20, NLM_F_MULTI | NLM_F_DUMP_INTR, 'c');
	struct nlmsghdr *done = test_msg(20, NLM_F_MULTI | NLM_F_DUMP_INTR, 0);
	struct dump_buf d = {};
	bool ok = true;
	size_t i;

	check(!dump_add(&d, a) && !dump_add(&d, b), "dump: keep two messages");
	check(d.n == 2 && !d.intr, "dump: two messages, not interrupted");
	check(d.msgs[0] != a && !memcmp(d.msgs[0], a, 40) &&
	      !memcmp(d.msgs[1], b, 100), "dump: copies, byte for byte, in order");
	check(!dump_add(&d, intr) && d.intr && d.n == 3,
	      "dump: a part with NLM_F_DUMP_INTR marks the dump interrupted");
	dump_free(&d);
	check(!d.n && !d.msgs && !d.intr, "dump: freed, empty and whole again");
	dump_note_flags(&d, a);
	check(!d.intr, "dump: NLMSG_DONE without the flag leaves it whole");
	dump_note_flags(&d, done);
	check(d.intr && !d.n, "dump: NLMSG_DONE with the flag marks it, keeps nothing");
	dump_free(&d);
	for (i = 0; i < 1000 && ok; i++)
		ok = !dump_add(&d, b);
	check(ok && d.n == 1000 && !memcmp(d.msgs[999], b, 100),
	      "dump: 1000 messages kept");
	dump_free(&d);
	free(a);
	free(b);
	free(intr);
	free(done);

	check(dump_tries(NULL) == 5, "dump tries: default 5");
	check(dump_tries("1") == 1, "dump tries: 1");
	check(dump_tries("100") == 100, "dump tries: 100");
	check(dump_tries("0") == 5, "dump tries: 0 is refused, default");
	check(dump_tries("101") == 5, "dump tries: 101 is refused, default");
	check(dump_tries("x") == 5, "dump tries: not a number, default");
}

int main(void)
{
	test_pci();
	test_numbers();
	test_cpulist();
	test_irq();
	test_duration();
	test_fmt_ns();
	test_size();
	test_records();
	test_json();
	test_dump();
	return tap_done();
}
