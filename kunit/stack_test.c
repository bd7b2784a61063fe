// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the user stack walk by frame pointers (kernel/stack.c),
 * over a fake address space: a well-formed chain, its end, the depth
 * bound, and every kind of bad frame pointer a program without frame
 * pointers leaves in rbp.
 */
#include <kunit/test.h>
#include <linux/adprof.h>
#include <linux/string.h>

#include "stack.h"

#define BASE	0x7ffd00000000UL	/* the fake stack's lowest address */
#define WORDS	1024			/* 8 KiB of it */

struct fake_mem {
	unsigned long w[WORDS];
};

static int fake_read(void *ctx, void *dst, unsigned long addr, size_t len)
{
	struct fake_mem *m = ctx;

	if (addr < BASE || addr + len > BASE + sizeof(m->w) || addr + len < addr)
		return -EFAULT;
	memcpy(dst, (char *)m->w + (addr - BASE), len);
	return 0;
}

/* A frame at word @i: caller's frame pointer @next, return address @ret. */
static unsigned long frame(struct fake_mem *m, unsigned int i,
			   unsigned long next, unsigned long ret)
{
	m->w[i] = next;
	m->w[i + 1] = ret;
	return BASE + i * sizeof(long);
}

static struct fake_mem *mem(struct kunit *test)
{
	struct fake_mem *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	return m;
}

/* main -> level1 -> level2 -> leaf: leaf's frame first. */
static void stack_test_chain(struct kunit *test)
{
	struct fake_mem *m = mem(test);
	unsigned long f3 = frame(m, 300, 0, 0x401000);		/* in main's caller */
	unsigned long f2 = frame(m, 200, f3, 0x401100);		/* in main */
	unsigned long f1 = frame(m, 100, f2, 0x401200);		/* in level1 */
	unsigned long f0 = frame(m, 10, f1, 0x401300);		/* in level2 */
	u64 pcs[8];
	u16 flags = 0;

	KUNIT_ASSERT_EQ(test, adprof_fp_walk(f0, BASE, fake_read, m, pcs, 8,
					     &flags), 4U);
	KUNIT_EXPECT_EQ(test, pcs[0], 0x401300ULL);
	KUNIT_EXPECT_EQ(test, pcs[1], 0x401200ULL);
	KUNIT_EXPECT_EQ(test, pcs[2], 0x401100ULL);
	KUNIT_EXPECT_EQ(test, pcs[3], 0x401000ULL);
	KUNIT_EXPECT_EQ(test, flags, 0);
}

static void stack_test_empty(struct kunit *test)
{
	struct fake_mem *m = mem(test);
	u64 pcs[4];
	u16 flags = 0;

	KUNIT_EXPECT_EQ(test, adprof_fp_walk(0, BASE, fake_read, m, pcs, 4,
					     &flags), 0U);
	KUNIT_EXPECT_EQ(test, flags, 0);
	/* A frame whose return address is 0 ends the chain too. */
	KUNIT_EXPECT_EQ(test, adprof_fp_walk(frame(m, 50, 0, 0), BASE, fake_read,
					     m, pcs, 4, &flags), 0U);
	KUNIT_EXPECT_EQ(test, flags, 0);
	/* No room: nothing written, marked cut. */
	KUNIT_EXPECT_EQ(test, adprof_fp_walk(frame(m, 60, 0, 0x400000), BASE,
					     fake_read, m, pcs, 0, &flags), 0U);
	KUNIT_EXPECT_EQ(test, flags, ADPROF_STACK_F_USER_TRUNC);
}

/* Recursion deeper than the depth: cut at max, and said so. */
static void stack_test_depth(struct kunit *test)
{
	struct fake_mem *m = mem(test);
	unsigned long fp = 0;
	u64 pcs[100];
	u16 flags = 0;
	int i;

	for (i = 99; i >= 0; i--)
		fp = frame(m, 4 + i * 4, fp, 0x402000 + i);
	KUNIT_EXPECT_EQ(test, adprof_fp_walk(fp, BASE, fake_read, m, pcs, 16,
					     &flags), 16U);
	KUNIT_EXPECT_EQ(test, flags, ADPROF_STACK_F_USER_TRUNC);
	KUNIT_EXPECT_EQ(test, pcs[15], 0x402000ULL + 15);
	flags = 0;
	KUNIT_EXPECT_EQ(test, adprof_fp_walk(fp, BASE, fake_read, m, pcs, 100,
					     &flags), 100U);
	KUNIT_EXPECT_EQ(test, flags, 0);
}

struct bad_case {
	const char *desc;
	unsigned long fp;	/* 0: from the fake memory, see the test */
	unsigned long sp;
	int frames;		/* expected addresses before giving up */
};

static void stack_test_bad(struct kunit *test)
{
	struct fake_mem *m = mem(test);
	unsigned long loop, same, good;
	u64 pcs[8];
	u16 flags;
	const struct bad_case cases[] = {
		{ "unaligned", BASE + 12, BASE, 0 },
		{ "below the stack pointer", BASE + 64, BASE + 128, 0 },
		{ "beyond the stack span", BASE + ADPROF_USTACK_SPAN + 64, BASE, 0 },
		{ "unreadable", BASE + sizeof(m->w) + 64, BASE, 0 },
		{ "kernel address", 0xffffffff81000000UL, BASE, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		flags = 0;
		KUNIT_EXPECT_EQ_MSG(test, adprof_fp_walk(cases[i].fp, cases[i].sp,
							 fake_read, m, pcs, 8, &flags),
				    (u32)cases[i].frames, "%s", cases[i].desc);
		KUNIT_EXPECT_EQ_MSG(test, flags, ADPROF_STACK_F_USER_BAD, "%s",
				    cases[i].desc);
	}

	/* A frame pointing back at a lower one: one address, then stop. */
	good = frame(m, 400, 0, 0x403000);
	loop = frame(m, 500, good, 0x403100);
	frame(m, 400, loop, 0x403000);
	flags = 0;
	KUNIT_EXPECT_EQ(test, adprof_fp_walk(loop, BASE, fake_read, m, pcs, 8,
					     &flags), 1U);
	KUNIT_EXPECT_EQ(test, flags, ADPROF_STACK_F_USER_BAD);
	/* A frame pointing at itself. */
	same = frame(m, 600, 0, 0x403200);
	frame(m, 600, same, 0x403200);
	flags = 0;
	KUNIT_EXPECT_EQ(test, adprof_fp_walk(same, BASE, fake_read, m, pcs, 8,
					     &flags), 1U);
	KUNIT_EXPECT_EQ(test, flags, ADPROF_STACK_F_USER_BAD);
}

/* xorshift64: the same garbage every run. */
static u64 next_rand(u64 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Garbage in the stack and in rbp: the walk ends, within its bounds. */
static void stack_test_garbage(struct kunit *test)
{
	struct fake_mem *m = mem(test);
	u64 pcs[32], x = 0x9e3779b97f4a7c15ULL;
	u16 flags;
	u32 n;
	int round;

	for (round = 0; round < 200; round++) {
		unsigned int i;

		/* Odd rounds: any value; even: addresses inside the stack. */
		for (i = 0; i < WORDS; i++)
			m->w[i] = round % 2 ? next_rand(&x) :
				  BASE + next_rand(&x) % (WORDS * sizeof(long));
		flags = 0;
		n = adprof_fp_walk(BASE + next_rand(&x) % WORDS * sizeof(long),
				   BASE, fake_read, m, pcs, 32, &flags);
		KUNIT_ASSERT_LE(test, n, 32U);
	}
}

static struct kunit_case stack_test_cases[] = {
	KUNIT_CASE(stack_test_chain),
	KUNIT_CASE(stack_test_empty),
	KUNIT_CASE(stack_test_depth),
	KUNIT_CASE(stack_test_bad),
	KUNIT_CASE(stack_test_garbage),
	{}
};

static struct kunit_suite stack_test_suite = {
	.name = "adprof_stack",
	.test_cases = stack_test_cases,
};

kunit_test_suite(stack_test_suite);

MODULE_DESCRIPTION("KUnit tests of adprof's frame pointer walk");
MODULE_LICENSE("GPL");
