// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of adprof's device assignment rules: IRQ types, the MSI-X
 * routing table and INTx mask/ack bookkeeping.
 */
#include <kunit/test.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/pci_regs.h>
#include <linux/slab.h>

#include "intx.h"
#include "irq_type.h"
#include "msix.h"

#define H_INTX	ADPROF_IRQ_HOST_INTX
#define H_MSI	ADPROF_IRQ_HOST_MSI
#define H_MSIX	ADPROF_IRQ_HOST_MSIX
#define G_INTX	ADPROF_IRQ_GUEST_INTX
#define G_MSI	ADPROF_IRQ_GUEST_MSI
#define G_MSIX	ADPROF_IRQ_GUEST_MSIX

/* PCI's largest MSI-X table, for tests not about the device's size. */
#define BIG_DEV	2048

struct irq_type_case {
	u32 flags;
	int err;
};

/*
 * Every combination of the six type bits, asked of a device with nothing
 * assigned. Expected by hand: -EINVAL when a side has two or three types
 * or when both sides are empty, else 0.
 */
static const struct irq_type_case irq_type_cases[] = {
	{ 0,							-EINVAL },
	{ H_INTX,						0 },
	{ H_MSI,						0 },
	{ H_INTX | H_MSI,					-EINVAL },
	{ H_MSIX,						0 },
	{ H_INTX | H_MSIX,					-EINVAL },
	{ H_MSI | H_MSIX,					-EINVAL },
	{ H_INTX | H_MSI | H_MSIX,				-EINVAL },
	{ G_INTX,						0 },
	{ H_INTX | G_INTX,					0 },
	{ H_MSI | G_INTX,					0 },
	{ H_INTX | H_MSI | G_INTX,				-EINVAL },
	{ H_MSIX | G_INTX,					0 },
	{ H_INTX | H_MSIX | G_INTX,				-EINVAL },
	{ H_MSI | H_MSIX | G_INTX,				-EINVAL },
	{ H_INTX | H_MSI | H_MSIX | G_INTX,			-EINVAL },
	{ G_MSI,						0 },
	{ H_INTX | G_MSI,					0 },
	{ H_MSI | G_MSI,					0 },
	{ H_INTX | H_MSI | G_MSI,				-EINVAL },
	{ H_MSIX | G_MSI,					0 },
	{ H_INTX | H_MSIX | G_MSI,				-EINVAL },
	{ H_MSI | H_MSIX | G_MSI,				-EINVAL },
	{ H_INTX | H_MSI | H_MSIX | G_MSI,			-EINVAL },
	{ G_INTX | G_MSI,					-EINVAL },
	{ H_INTX | G_INTX | G_MSI,				-EINVAL },
	{ H_MSI | G_INTX | G_MSI,				-EINVAL },
	{ H_INTX | H_MSI | G_INTX | G_MSI,			-EINVAL },
	{ H_MSIX | G_INTX | G_MSI,				-EINVAL },
	{ H_INTX | H_MSIX | G_INTX | G_MSI,			-EINVAL },
	{ H_MSI | H_MSIX | G_INTX | G_MSI,			-EINVAL },
	{ H_INTX | H_MSI | H_MSIX | G_INTX | G_MSI,		-EINVAL },
	{ G_MSIX,						0 },
	{ H_INTX | G_MSIX,					0 },
	{ H_MSI | G_MSIX,					0 },
	{ H_INTX | H_MSI | G_MSIX,				-EINVAL },
	{ H_MSIX | G_MSIX,					0 },
	{ H_INTX | H_MSIX | G_MSIX,				-EINVAL },
	{ H_MSI | H_MSIX | G_MSIX,				-EINVAL },
	{ H_INTX | H_MSI | H_MSIX | G_MSIX,			-EINVAL },
	{ G_INTX | G_MSIX,					-EINVAL },
	{ H_INTX | G_INTX | G_MSIX,				-EINVAL },
	{ H_MSI | G_INTX | G_MSIX,				-EINVAL },
	{ H_INTX | H_MSI | G_INTX | G_MSIX,			-EINVAL },
	{ H_MSIX | G_INTX | G_MSIX,				-EINVAL },
	{ H_INTX | H_MSIX | G_INTX | G_MSIX,			-EINVAL },
	{ H_MSI | H_MSIX | G_INTX | G_MSIX,			-EINVAL },
	{ H_INTX | H_MSI | H_MSIX | G_INTX | G_MSIX,		-EINVAL },
	{ G_MSI | G_MSIX,					-EINVAL },
	{ H_INTX | G_MSI | G_MSIX,				-EINVAL },
	{ H_MSI | G_MSI | G_MSIX,				-EINVAL },
	{ H_INTX | H_MSI | G_MSI | G_MSIX,			-EINVAL },
	{ H_MSIX | G_MSI | G_MSIX,				-EINVAL },
	{ H_INTX | H_MSIX | G_MSI | G_MSIX,			-EINVAL },
	{ H_MSI | H_MSIX | G_MSI | G_MSIX,			-EINVAL },
	{ H_INTX | H_MSI | H_MSIX | G_MSI | G_MSIX,		-EINVAL },
	{ G_INTX | G_MSI | G_MSIX,				-EINVAL },
	{ H_INTX | G_INTX | G_MSI | G_MSIX,			-EINVAL },
	{ H_MSI | G_INTX | G_MSI | G_MSIX,			-EINVAL },
	{ H_INTX | H_MSI | G_INTX | G_MSI | G_MSIX,		-EINVAL },
	{ H_MSIX | G_INTX | G_MSI | G_MSIX,			-EINVAL },
	{ H_INTX | H_MSIX | G_INTX | G_MSI | G_MSIX,		-EINVAL },
	{ H_MSI | H_MSIX | G_INTX | G_MSI | G_MSIX,		-EINVAL },
	{ H_INTX | H_MSI | H_MSIX | G_INTX | G_MSI | G_MSIX,	-EINVAL },
};

static const char * const irq_type_names[] = { "intx", "msi", "msix" };

static int side_desc(char *buf, size_t len, u32 types)
{
	unsigned int i;
	int n = 0;

	if (!types)
		return scnprintf(buf, len, "none");
	for (i = 0; i < ARRAY_SIZE(irq_type_names); i++)
		if (types & BIT(i))
			n += scnprintf(buf + n, len - n, "%s%s", n ? "+" : "",
				       irq_type_names[i]);
	return n;
}

static void irq_type_case_desc(const struct irq_type_case *c, char *desc)
{
	const size_t len = KUNIT_PARAM_DESC_SIZE;
	int n;

	n = scnprintf(desc, len, "host=");
	n += side_desc(desc + n, len - n, c->flags & 0x7);
	n += scnprintf(desc + n, len - n, " guest=");
	n += side_desc(desc + n, len - n, (c->flags >> 8) & 0x7);
	scnprintf(desc + n, len - n, " -> %s", c->err ? "EINVAL" : "ok");
}

KUNIT_ARRAY_PARAM(irq_type, irq_type_cases, irq_type_case_desc);

static void irq_type_check_from_none(struct kunit *test)
{
	const struct irq_type_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, adprof_irq_type_check(0, c->flags), c->err);
}

static void irq_type_table_has_every_combination(struct kunit *test)
{
	u64 seen = 0;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, ARRAY_SIZE(irq_type_cases), 64);
	for (i = 0; i < ARRAY_SIZE(irq_type_cases); i++) {
		u32 f = irq_type_cases[i].flags;

		KUNIT_ASSERT_EQ(test, f & ~ADPROF_IRQ_ALL, 0);
		seen |= BIT_ULL((f & 0x7) | (((f >> 8) & 0x7) << 3));
	}
	KUNIT_EXPECT_EQ(test, seen, U64_MAX);
}

static void irq_type_host_again_is_eexist(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_type_check(H_INTX, H_MSI), -EEXIST);
}

static void irq_type_same_host_again_is_eexist(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_type_check(H_MSIX, H_MSIX), -EEXIST);
}

static void irq_type_guest_again_is_eexist(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_type_check(G_INTX, G_MSIX), -EEXIST);
}

static void irq_type_guest_after_host_ok(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_type_check(H_INTX, G_MSI), 0);
}

static void irq_type_host_after_guest_ok(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_type_check(G_MSIX, H_MSIX), 0);
}

static void irq_type_both_when_host_assigned_is_eexist(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_type_check(H_MSI, H_MSI | G_MSI),
			-EEXIST);
}

static void irq_type_both_when_guest_assigned_is_eexist(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_type_check(G_INTX, H_INTX | G_INTX),
			-EEXIST);
}

static void irq_type_any_when_both_assigned_is_eexist(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_type_check(H_INTX | G_INTX, G_MSI),
			-EEXIST);
}

static void irq_type_bad_combination_before_eexist(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_type_check(H_INTX, H_INTX | H_MSI),
			-EINVAL);
}

static void irq_type_unknown_host_byte_bit(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_type_check(0, BIT(3)), -EINVAL);
}

static void irq_type_unknown_guest_byte_bit(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_type_check(0, G_MSI | BIT(11)),
			-EINVAL);
}

static void irq_type_unknown_high_bit(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_type_check(0, H_INTX | BIT(31)),
			-EINVAL);
}

static void irq_type_unknown_bit_before_eexist(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_type_check(H_INTX, H_INTX | BIT(16)),
			-EINVAL);
}

static void irq_type_host_cap(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_host_cap(H_INTX | G_INTX), 0);
	KUNIT_EXPECT_EQ(test, adprof_irq_host_cap(H_MSI | G_INTX),
			PCI_CAP_ID_MSI);
	KUNIT_EXPECT_EQ(test, adprof_irq_host_cap(H_MSIX | G_MSIX),
			PCI_CAP_ID_MSIX);
	KUNIT_EXPECT_EQ(test, adprof_irq_host_cap(G_MSI), 0);
}

static void deassign_nothing_assigned_is_enxio(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_deassign_check(0, H_INTX | G_INTX),
			-ENXIO);
}

static void deassign_no_sides_nothing_assigned_is_enxio(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_deassign_check(0, 0), -ENXIO);
}

static void deassign_unknown_bit_is_einval(struct kunit *test)
{
	u32 flags = H_INTX | BIT(4);

	KUNIT_EXPECT_EQ(test, adprof_irq_deassign_check(H_INTX, flags),
			-EINVAL);
}

static void deassign_unknown_bit_before_enxio(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_deassign_check(0, BIT(12)), -EINVAL);
}

static void deassign_assigned_side_ok(struct kunit *test)
{
	u32 assigned = H_MSI | G_MSI;

	KUNIT_EXPECT_EQ(test, adprof_irq_deassign_check(assigned, H_MSI), 0);
}

static void deassign_host_releases_host_only(struct kunit *test)
{
	u32 assigned = H_MSI | G_INTX;

	KUNIT_EXPECT_EQ(test, adprof_irq_deassign_sides(assigned, H_MSI),
			H_MSI);
}

static void deassign_guest_releases_guest_only(struct kunit *test)
{
	u32 assigned = H_MSIX | G_MSIX;

	KUNIT_EXPECT_EQ(test, adprof_irq_deassign_sides(assigned, G_MSIX),
			G_MSIX);
}

static void deassign_both_releases_both(struct kunit *test)
{
	u32 assigned = H_INTX | G_MSI;
	u32 flags = H_INTX | G_MSI;

	KUNIT_EXPECT_EQ(test, adprof_irq_deassign_sides(assigned, flags),
			assigned);
}

static void deassign_other_host_type_releases_host(struct kunit *test)
{
	u32 assigned = H_MSIX | G_INTX;

	KUNIT_EXPECT_EQ(test, adprof_irq_deassign_sides(assigned, H_INTX),
			H_MSIX);
}

static void deassign_unassigned_side_ok(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_deassign_check(H_INTX, G_MSI), 0);
}

static void deassign_unassigned_side_releases_nothing(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_deassign_sides(H_INTX, G_MSI), 0);
}

static void deassign_no_sides_releases_nothing(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_irq_deassign_sides(H_INTX | G_INTX, 0), 0);
}

static void msix_nr_zero_is_einval(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_EXPECT_EQ(test, adprof_msix_set_nr(t, 0, BIG_DEV), -EINVAL);
	KUNIT_EXPECT_EQ(test, t->nr, 0);
	KUNIT_EXPECT_NULL(test, t->slots);
}

static void msix_nr_one_ok(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_EXPECT_EQ(test, adprof_msix_set_nr(t, 1, BIG_DEV), 0);
	KUNIT_EXPECT_EQ(test, t->nr, 1);
	KUNIT_EXPECT_EQ(test, t->count, 0);
	KUNIT_EXPECT_NOT_NULL(test, t->slots);
}

static void msix_nr_max_ok(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_EXPECT_EQ(test, adprof_msix_set_nr(t, 255, BIG_DEV), 0);
	KUNIT_EXPECT_EQ(test, t->nr, 255);
}

static void msix_nr_above_max_is_einval(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_EXPECT_EQ(test, adprof_msix_set_nr(t, 256, BIG_DEV), -EINVAL);
	KUNIT_EXPECT_EQ(test, t->nr, 0);
}

static void msix_nr_huge_is_einval(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_EXPECT_EQ(test, adprof_msix_set_nr(t, U32_MAX, U32_MAX),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t->nr, 0);
}

static void msix_nr_equal_to_dev_size_ok(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_EXPECT_EQ(test, adprof_msix_set_nr(t, 4, 4), 0);
}

static void msix_nr_above_dev_size_is_einval(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_EXPECT_EQ(test, adprof_msix_set_nr(t, 5, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, t->nr, 0);
}

static void msix_nr_no_msix_dev_is_einval(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_EXPECT_EQ(test, adprof_msix_set_nr(t, 1, 0), -EINVAL);
}

static void msix_nr_twice_is_einval(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_ASSERT_EQ(test, adprof_msix_set_nr(t, 2, BIG_DEV), 0);
	KUNIT_EXPECT_EQ(test, adprof_msix_set_nr(t, 3, BIG_DEV), -EINVAL);
	KUNIT_EXPECT_EQ(test, t->nr, 2);
}

static void msix_nr_after_refused_nr_ok(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_ASSERT_EQ(test, adprof_msix_set_nr(t, 256, BIG_DEV), -EINVAL);
	KUNIT_EXPECT_EQ(test, adprof_msix_set_nr(t, 8, BIG_DEV), 0);
}

static void msix_entry_before_nr_is_einval(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_EXPECT_EQ(test, adprof_msix_set_entry(t, 0, 40), -EINVAL);
	KUNIT_EXPECT_EQ(test, t->count, 0);
}

static void msix_entry_above_dev_size_is_einval(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_ASSERT_EQ(test, adprof_msix_set_nr(t, 2, 4), 0);
	KUNIT_EXPECT_EQ(test, adprof_msix_set_entry(t, 4, 40), -EINVAL);
	KUNIT_EXPECT_EQ(test, t->count, 0);
}

static void msix_entry_last_of_dev_ok(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_ASSERT_EQ(test, adprof_msix_set_nr(t, 2, 4), 0);
	KUNIT_EXPECT_EQ(test, adprof_msix_set_entry(t, 3, 40), 0);
}

static void msix_entry_fills_in_order(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_ASSERT_EQ(test, adprof_msix_set_nr(t, 3, BIG_DEV), 0);
	KUNIT_ASSERT_EQ(test, adprof_msix_set_entry(t, 7, 70), 0);
	KUNIT_ASSERT_EQ(test, adprof_msix_set_entry(t, 2, 20), 0);
	KUNIT_EXPECT_EQ(test, t->count, 2);
	KUNIT_EXPECT_EQ(test, t->slots[0].entry, 7);
	KUNIT_EXPECT_EQ(test, t->slots[0].gsi, 70);
	KUNIT_EXPECT_EQ(test, t->slots[1].entry, 2);
	KUNIT_EXPECT_EQ(test, t->slots[1].gsi, 20);
}

static void msix_entry_same_entry_updates(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_ASSERT_EQ(test, adprof_msix_set_nr(t, 3, BIG_DEV), 0);
	KUNIT_ASSERT_EQ(test, adprof_msix_set_entry(t, 1, 10), 0);
	KUNIT_ASSERT_EQ(test, adprof_msix_set_entry(t, 5, 50), 0);
	KUNIT_EXPECT_EQ(test, adprof_msix_set_entry(t, 5, 55), 0);
	KUNIT_EXPECT_EQ(test, t->count, 2);
	KUNIT_EXPECT_EQ(test, t->slots[1].entry, 5);
	KUNIT_EXPECT_EQ(test, t->slots[1].gsi, 55);
}

static void msix_entry_full_is_enospc(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_ASSERT_EQ(test, adprof_msix_set_nr(t, 2, BIG_DEV), 0);
	KUNIT_ASSERT_EQ(test, adprof_msix_set_entry(t, 0, 10), 0);
	KUNIT_ASSERT_EQ(test, adprof_msix_set_entry(t, 1, 11), 0);
	KUNIT_EXPECT_EQ(test, adprof_msix_set_entry(t, 2, 12), -ENOSPC);
	KUNIT_EXPECT_EQ(test, t->count, 2);
}

static void msix_entry_full_update_ok(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_ASSERT_EQ(test, adprof_msix_set_nr(t, 2, BIG_DEV), 0);
	KUNIT_ASSERT_EQ(test, adprof_msix_set_entry(t, 0, 10), 0);
	KUNIT_ASSERT_EQ(test, adprof_msix_set_entry(t, 1, 11), 0);
	KUNIT_EXPECT_EQ(test, adprof_msix_set_entry(t, 0, 99), 0);
	KUNIT_EXPECT_EQ(test, t->slots[0].gsi, 99);
}

static void msix_entry_gsi_zero_fills_slot(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_ASSERT_EQ(test, adprof_msix_set_nr(t, 2, BIG_DEV), 0);
	KUNIT_ASSERT_EQ(test, adprof_msix_set_entry(t, 0, 0), 0);
	KUNIT_ASSERT_EQ(test, adprof_msix_set_entry(t, 1, 11), 0);
	KUNIT_EXPECT_EQ(test, t->count, 2);
	KUNIT_EXPECT_EQ(test, t->slots[0].entry, 0);
	KUNIT_EXPECT_EQ(test, t->slots[0].gsi, 0);
}

static void msix_entry_fill_max_table(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;
	u32 i;

	KUNIT_ASSERT_EQ(test, adprof_msix_set_nr(t, 255, BIG_DEV), 0);
	for (i = 0; i < 255; i++)
		KUNIT_ASSERT_EQ(test, adprof_msix_set_entry(t, 2 * i, i), 0);
	KUNIT_EXPECT_EQ(test, t->count, 255);
	KUNIT_EXPECT_EQ(test, adprof_msix_set_entry(t, 1, 1), -ENOSPC);
}

static void msix_gsi_by_index(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;
	u32 gsi = 0;

	KUNIT_ASSERT_EQ(test, adprof_msix_set_nr(t, 2, BIG_DEV), 0);
	KUNIT_ASSERT_EQ(test, adprof_msix_set_entry(t, 9, 90), 0);
	KUNIT_ASSERT_EQ(test, adprof_msix_set_entry(t, 4, 40), 0);
	KUNIT_EXPECT_EQ(test, adprof_msix_gsi(t, 1, &gsi), 0);
	KUNIT_EXPECT_EQ(test, gsi, 40);
}

static void msix_gsi_unfilled_index_is_enoent(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;
	u32 gsi = 1234;

	KUNIT_ASSERT_EQ(test, adprof_msix_set_nr(t, 2, BIG_DEV), 0);
	KUNIT_ASSERT_EQ(test, adprof_msix_set_entry(t, 9, 90), 0);
	KUNIT_EXPECT_EQ(test, adprof_msix_gsi(t, 1, &gsi), -ENOENT);
	KUNIT_EXPECT_EQ(test, gsi, 1234);
}

static void msix_gsi_unset_table_is_enoent(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;
	u32 gsi;

	KUNIT_EXPECT_EQ(test, adprof_msix_gsi(t, 0, &gsi), -ENOENT);
}

static void msix_complete_only_when_full(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_EXPECT_FALSE(test, adprof_msix_complete(t));
	KUNIT_ASSERT_EQ(test, adprof_msix_set_nr(t, 2, BIG_DEV), 0);
	KUNIT_EXPECT_FALSE(test, adprof_msix_complete(t));
	KUNIT_ASSERT_EQ(test, adprof_msix_set_entry(t, 0, 10), 0);
	KUNIT_EXPECT_FALSE(test, adprof_msix_complete(t));
	KUNIT_ASSERT_EQ(test, adprof_msix_set_entry(t, 1, 11), 0);
	KUNIT_EXPECT_TRUE(test, adprof_msix_complete(t));
}

static void msix_release_allows_set_nr_again(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	KUNIT_ASSERT_EQ(test, adprof_msix_set_nr(t, 2, BIG_DEV), 0);
	KUNIT_ASSERT_EQ(test, adprof_msix_set_entry(t, 0, 10), 0);
	adprof_msix_release(t);
	KUNIT_EXPECT_EQ(test, t->nr, 0);
	KUNIT_EXPECT_EQ(test, t->count, 0);
	KUNIT_EXPECT_NULL(test, t->slots);
	KUNIT_EXPECT_EQ(test, adprof_msix_set_nr(t, 3, BIG_DEV), 0);
}

static void msix_release_unset_table_is_noop(struct kunit *test)
{
	struct adprof_msix_table *t = test->priv;

	adprof_msix_release(t);
	adprof_msix_release(t);
	KUNIT_EXPECT_EQ(test, t->nr, 0);
	KUNIT_EXPECT_NULL(test, t->slots);
}

static struct adprof_intx *new_intx(struct kunit *test)
{
	struct adprof_intx *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, x);
	adprof_intx_init(x);
	return x;
}

static void intx_init_unmasked(struct kunit *test)
{
	struct adprof_intx *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, x);
	x->masked = true;
	x->nr_masked = 5;
	adprof_intx_init(x);
	KUNIT_EXPECT_FALSE(test, x->masked);
	KUNIT_EXPECT_EQ(test, x->nr_masked, 0);
}

static void intx_irq_masks(struct kunit *test)
{
	struct adprof_intx *x = new_intx(test);

	KUNIT_EXPECT_TRUE(test, adprof_intx_irq(x));
	KUNIT_EXPECT_TRUE(test, x->masked);
	KUNIT_EXPECT_EQ(test, x->nr_masked, 1);
}

static void intx_irq_while_masked_does_not_nest(struct kunit *test)
{
	struct adprof_intx *x = new_intx(test);

	KUNIT_ASSERT_TRUE(test, adprof_intx_irq(x));
	KUNIT_EXPECT_FALSE(test, adprof_intx_irq(x));
	KUNIT_EXPECT_TRUE(test, x->masked);
	KUNIT_EXPECT_EQ(test, x->nr_masked, 1);
	KUNIT_EXPECT_EQ(test, x->nr_while_masked, 1);
}

static void intx_ack_unmasks(struct kunit *test)
{
	struct adprof_intx *x = new_intx(test);

	KUNIT_ASSERT_TRUE(test, adprof_intx_irq(x));
	KUNIT_EXPECT_TRUE(test, adprof_intx_ack(x));
	KUNIT_EXPECT_FALSE(test, x->masked);
	KUNIT_EXPECT_EQ(test, x->nr_unmasked, 1);
}

static void intx_ack_unmasked_is_noop(struct kunit *test)
{
	struct adprof_intx *x = new_intx(test);

	KUNIT_EXPECT_FALSE(test, adprof_intx_ack(x));
	KUNIT_EXPECT_FALSE(test, x->masked);
	KUNIT_EXPECT_EQ(test, x->nr_unmasked, 0);
	KUNIT_EXPECT_EQ(test, x->nr_idle_acks, 1);
}

static void intx_second_ack_is_noop(struct kunit *test)
{
	struct adprof_intx *x = new_intx(test);

	KUNIT_ASSERT_TRUE(test, adprof_intx_irq(x));
	KUNIT_ASSERT_TRUE(test, adprof_intx_ack(x));
	KUNIT_EXPECT_FALSE(test, adprof_intx_ack(x));
	KUNIT_EXPECT_EQ(test, x->nr_unmasked, 1);
	KUNIT_EXPECT_EQ(test, x->nr_idle_acks, 1);
}

static void intx_irq_ack_cycles_balance(struct kunit *test)
{
	struct adprof_intx *x = new_intx(test);
	int disables = 0;
	int i;

	for (i = 0; i < 3; i++) {
		if (adprof_intx_irq(x))
			disables++;
		if (adprof_intx_irq(x))
			disables++;
		if (adprof_intx_ack(x))
			disables--;
		KUNIT_EXPECT_EQ(test, disables, 0);
	}
	KUNIT_EXPECT_EQ(test, x->nr_masked, 3);
	KUNIT_EXPECT_EQ(test, x->nr_while_masked, 3);
	KUNIT_EXPECT_EQ(test, x->nr_unmasked, 3);
}

static int adprof_irq_test_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(struct adprof_msix_table),
				   GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

static void adprof_irq_test_exit(struct kunit *test)
{
	/* Frees what adprof_msix_set_nr() allocated, even after an ASSERT. */
	if (test->priv)
		adprof_msix_release(test->priv);
}

static struct kunit_case adprof_irq_test_cases[] = {
	KUNIT_CASE_PARAM(irq_type_check_from_none, irq_type_gen_params),
	KUNIT_CASE(irq_type_table_has_every_combination),
	KUNIT_CASE(irq_type_host_again_is_eexist),
	KUNIT_CASE(irq_type_same_host_again_is_eexist),
	KUNIT_CASE(irq_type_guest_again_is_eexist),
	KUNIT_CASE(irq_type_guest_after_host_ok),
	KUNIT_CASE(irq_type_host_after_guest_ok),
	KUNIT_CASE(irq_type_both_when_host_assigned_is_eexist),
	KUNIT_CASE(irq_type_both_when_guest_assigned_is_eexist),
	KUNIT_CASE(irq_type_any_when_both_assigned_is_eexist),
	KUNIT_CASE(irq_type_bad_combination_before_eexist),
	KUNIT_CASE(irq_type_unknown_host_byte_bit),
	KUNIT_CASE(irq_type_unknown_guest_byte_bit),
	KUNIT_CASE(irq_type_unknown_high_bit),
	KUNIT_CASE(irq_type_unknown_bit_before_eexist),
	KUNIT_CASE(irq_type_host_cap),
	KUNIT_CASE(deassign_nothing_assigned_is_enxio),
	KUNIT_CASE(deassign_no_sides_nothing_assigned_is_enxio),
	KUNIT_CASE(deassign_unknown_bit_is_einval),
	KUNIT_CASE(deassign_unknown_bit_before_enxio),
	KUNIT_CASE(deassign_assigned_side_ok),
	KUNIT_CASE(deassign_host_releases_host_only),
	KUNIT_CASE(deassign_guest_releases_guest_only),
	KUNIT_CASE(deassign_both_releases_both),
	KUNIT_CASE(deassign_other_host_type_releases_host),
	KUNIT_CASE(deassign_unassigned_side_ok),
	KUNIT_CASE(deassign_unassigned_side_releases_nothing),
	KUNIT_CASE(deassign_no_sides_releases_nothing),
	KUNIT_CASE(msix_nr_zero_is_einval),
	KUNIT_CASE(msix_nr_one_ok),
	KUNIT_CASE(msix_nr_max_ok),
	KUNIT_CASE(msix_nr_above_max_is_einval),
	KUNIT_CASE(msix_nr_huge_is_einval),
	KUNIT_CASE(msix_nr_equal_to_dev_size_ok),
	KUNIT_CASE(msix_nr_above_dev_size_is_einval),
	KUNIT_CASE(msix_nr_no_msix_dev_is_einval),
	KUNIT_CASE(msix_nr_twice_is_einval),
	KUNIT_CASE(msix_nr_after_refused_nr_ok),
	KUNIT_CASE(msix_entry_before_nr_is_einval),
	KUNIT_CASE(msix_entry_above_dev_size_is_einval),
	KUNIT_CASE(msix_entry_last_of_dev_ok),
	KUNIT_CASE(msix_entry_fills_in_order),
	KUNIT_CASE(msix_entry_same_entry_updates),
	KUNIT_CASE(msix_entry_full_is_enospc),
	KUNIT_CASE(msix_entry_full_update_ok),
	KUNIT_CASE(msix_entry_gsi_zero_fills_slot),
	KUNIT_CASE(msix_entry_fill_max_table),
	KUNIT_CASE(msix_gsi_by_index),
	KUNIT_CASE(msix_gsi_unfilled_index_is_enoent),
	KUNIT_CASE(msix_gsi_unset_table_is_enoent),
	KUNIT_CASE(msix_complete_only_when_full),
	KUNIT_CASE(msix_release_allows_set_nr_again),
	KUNIT_CASE(msix_release_unset_table_is_noop),
	KUNIT_CASE(intx_init_unmasked),
	KUNIT_CASE(intx_irq_masks),
	KUNIT_CASE(intx_irq_while_masked_does_not_nest),
	KUNIT_CASE(intx_ack_unmasks),
	KUNIT_CASE(intx_ack_unmasked_is_noop),
	KUNIT_CASE(intx_second_ack_is_noop),
	KUNIT_CASE(intx_irq_ack_cycles_balance),
	{}
};

static struct kunit_suite adprof_irq_test_suite = {
	.name = "adprof_irq",
	.init = adprof_irq_test_init,
	.exit = adprof_irq_test_exit,
	.test_cases = adprof_irq_test_cases,
};

kunit_test_suite(adprof_irq_test_suite);

MODULE_DESCRIPTION("KUnit tests of adprof's IRQ assignment rules");
MODULE_LICENSE("GPL");
