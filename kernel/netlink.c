// SPDX-License-Identifier: GPL-2.0
/*
 * The adprof generic netlink family: per-command policies, privileges, the
 * op table, multicast groups, and tracking of closing sockets.
 *
 * Validation lives in the policies (types, ranges, masks, unknown
 * attributes refused by strict parsing); handlers only check presence
 * (adprof_nl_require) and the rules a policy cannot express.
 */
#include <linux/adprof.h>
#include <linux/capability.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <net/genetlink.h>

#include "assign.h"
#include "compat.h"
#include "netlink.h"
#include "profile.h"

/* genl_ops.internal_flags: who may run the command. */
#define ADPROF_NL_F_ADMIN	BIT(0)	/* CAP_SYS_ADMIN */
#define ADPROF_NL_F_PERFMON	BIT(1)	/* CAP_PERFMON or CAP_SYS_ADMIN */
/* On one assigned device: looked up, under adprof_lock (assign_nl.c). */
#define ADPROF_NL_F_DEV		BIT(2)
/* The same, with a reference to the device rather than adprof_lock. */
#define ADPROF_NL_F_DEV_REF	BIT(3)

/* Not const: 6.1 NLA_POLICY_FULL_RANGE() takes a mutable pointer. */
static struct netlink_range_validation adprof_freq_range __ro_after_init = {
	.min = ADPROF_FREQ_MIN,
	.max = ADPROF_FREQ_MAX,
};

static struct netlink_range_validation adprof_buf_samples_range __ro_after_init = {
	.min = ADPROF_BUF_SAMPLES_MIN,
	.max = ADPROF_BUF_SAMPLES_MAX,
};

static struct netlink_range_validation adprof_summary_entries_range __ro_after_init = {
	.min = ADPROF_SUMMARY_ENTRIES_MIN,
	.max = ADPROF_SUMMARY_ENTRIES_MAX,
};

#define ADPROF_POLICY_DEV_ID NLA_POLICY_MIN(NLA_U32, 1)

static const struct nla_policy adprof_dev_assign_policy[ADPROF_A_MAX + 1] = {
	[ADPROF_A_DEV_ID] = ADPROF_POLICY_DEV_ID,
	[ADPROF_A_PCI_SEGMENT] = { .type = NLA_U16 },
	[ADPROF_A_PCI_BUS] = { .type = NLA_U8 },
	[ADPROF_A_PCI_DEVFN] = { .type = NLA_U8 },
	[ADPROF_A_DEV_FLAGS] = NLA_POLICY_MASK(NLA_U32, ADPROF_DEV_F_ALL),
};

/* DEV_DEASSIGN, DEV_GET, IRQ_ACK */
static const struct nla_policy adprof_dev_id_policy[ADPROF_A_MAX + 1] = {
	[ADPROF_A_DEV_ID] = ADPROF_POLICY_DEV_ID,
};

static const struct nla_policy adprof_irq_assign_policy[ADPROF_A_MAX + 1] = {
	[ADPROF_A_DEV_ID] = ADPROF_POLICY_DEV_ID,
	[ADPROF_A_IRQ_FLAGS] = NLA_POLICY_MASK(NLA_U32, ADPROF_IRQ_ALL),
	[ADPROF_A_GUEST_IRQ] = { .type = NLA_U32 },
};

static const struct nla_policy adprof_irq_deassign_policy[ADPROF_A_MAX + 1] = {
	[ADPROF_A_DEV_ID] = ADPROF_POLICY_DEV_ID,
	[ADPROF_A_IRQ_FLAGS] = NLA_POLICY_MASK(NLA_U32, ADPROF_IRQ_ALL),
};

static const struct nla_policy adprof_msix_nr_policy[ADPROF_A_MAX + 1] = {
	[ADPROF_A_DEV_ID] = ADPROF_POLICY_DEV_ID,
	[ADPROF_A_MSIX_NR] = NLA_POLICY_RANGE(NLA_U32, 1, ADPROF_MSIX_MAX),
};

static const struct nla_policy adprof_msix_entry_policy[ADPROF_A_MAX + 1] = {
	[ADPROF_A_DEV_ID] = ADPROF_POLICY_DEV_ID,
	/* PCI allows 2048 MSI-X entries; the device's own size is checked later */
	[ADPROF_A_MSIX_ENTRY] = NLA_POLICY_MAX(NLA_U32, 2047),
	[ADPROF_A_GSI] = { .type = NLA_U32 },
};

static const struct nla_policy adprof_prof_start_policy[ADPROF_A_MAX + 1] = {
	[ADPROF_A_BACKEND] = { .type = NLA_NUL_STRING,
			       .len = ADPROF_BACKEND_NAME_MAX - 1 },
	[ADPROF_A_FREQ] = NLA_POLICY_FULL_RANGE(NLA_U32, &adprof_freq_range),
	[ADPROF_A_CPUMASK] = { .type = NLA_BINARY,
			       .len = ADPROF_CPUMASK_MAX_BYTES },
	[ADPROF_A_BUF_SAMPLES] = NLA_POLICY_FULL_RANGE(NLA_U32,
						       &adprof_buf_samples_range),
	[ADPROF_A_MAX_BUFS] = NLA_POLICY_RANGE(NLA_U32, ADPROF_MAX_BUFS_MIN,
					       ADPROF_MAX_BUFS_MAX),
	[ADPROF_A_PROF_FLAGS] = NLA_POLICY_MASK(NLA_U32, ADPROF_PROF_F_ALL),
	[ADPROF_A_STACK_DEPTH] = NLA_POLICY_RANGE(NLA_U32, 1,
						  ADPROF_STACK_DEPTH_MAX),
	[ADPROF_A_SUMMARY_ENTRIES] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &adprof_summary_entries_range),
};

static const struct nla_policy adprof_dma_map_policy[ADPROF_A_MAX + 1] = {
	[ADPROF_A_DEV_ID] = ADPROF_POLICY_DEV_ID,
	[ADPROF_A_VADDR] = { .type = NLA_U64 },
	[ADPROF_A_IOVA] = { .type = NLA_U64 },
	[ADPROF_A_SIZE] = { .type = NLA_U64 },
	[ADPROF_A_DMA_FLAGS] = NLA_POLICY_MASK(NLA_U32, ADPROF_DMA_F_ALL),
};

static const struct nla_policy adprof_dma_unmap_policy[ADPROF_A_MAX + 1] = {
	[ADPROF_A_DEV_ID] = ADPROF_POLICY_DEV_ID,
	[ADPROF_A_IOVA] = { .type = NLA_U64 },
	[ADPROF_A_SIZE] = { .type = NLA_U64 },
};

/* do: DEV_ID and IOVA; dump: DEV_ID optional, to one device's mappings. */
static const struct nla_policy adprof_dma_get_policy[ADPROF_A_MAX + 1] = {
	[ADPROF_A_DEV_ID] = ADPROF_POLICY_DEV_ID,
	[ADPROF_A_IOVA] = { .type = NLA_U64 },
};

/* Commands without attributes: anything sent is refused as unknown. */
static const struct nla_policy adprof_none_policy[ADPROF_A_MAX + 1] = {
};

/*
 * pre_doit does not run for dumps, so a dump checks itself. Not in
 * .start: on 6.1 a start callback has no extack to explain the refusal.
 */
static int adprof_nl_dump_admin(struct netlink_callback *cb)
{
	if (netlink_capable(cb->skb, CAP_SYS_ADMIN))
		return 0;
	NL_SET_ERR_MSG(cb->extack, "device assignment needs CAP_SYS_ADMIN");
	return -EPERM;
}

static int adprof_nl_dev_get_dumpit_admin(struct sk_buff *skb,
					  struct netlink_callback *cb)
{
	return adprof_nl_dump_admin(cb) ?: adprof_nl_dev_get_dumpit(skb, cb);
}

static int adprof_nl_dma_get_dumpit_admin(struct sk_buff *skb,
					  struct netlink_callback *cb)
{
	return adprof_nl_dump_admin(cb) ?: adprof_nl_dma_get_dumpit(skb, cb);
}

static const struct genl_ops adprof_ops[] = {
	{
		.cmd = ADPROF_CMD_DEV_ASSIGN,
		.doit = adprof_nl_dev_assign,
		.policy = adprof_dev_assign_policy,
		.maxattr = ADPROF_A_MAX,
		.internal_flags = ADPROF_NL_F_ADMIN,
	},
	{
		.cmd = ADPROF_CMD_DEV_DEASSIGN,
		.doit = adprof_nl_dev_deassign,
		.policy = adprof_dev_id_policy,
		.maxattr = ADPROF_A_MAX,
		.internal_flags = ADPROF_NL_F_ADMIN,
	},
	{
		.cmd = ADPROF_CMD_DEV_GET,
		.doit = adprof_nl_dev_get_doit,
		.start = adprof_nl_dev_get_start,
		.dumpit = adprof_nl_dev_get_dumpit_admin,
		.policy = adprof_dev_id_policy,
		.maxattr = ADPROF_A_MAX,
		.internal_flags = ADPROF_NL_F_ADMIN | ADPROF_NL_F_DEV,
	},
	{
		.cmd = ADPROF_CMD_IRQ_ASSIGN,
		.doit = adprof_nl_irq_assign,
		.policy = adprof_irq_assign_policy,
		.maxattr = ADPROF_A_MAX,
		.internal_flags = ADPROF_NL_F_ADMIN | ADPROF_NL_F_DEV,
	},
	{
		.cmd = ADPROF_CMD_IRQ_DEASSIGN,
		.doit = adprof_nl_irq_deassign,
		.policy = adprof_irq_deassign_policy,
		.maxattr = ADPROF_A_MAX,
		.internal_flags = ADPROF_NL_F_ADMIN | ADPROF_NL_F_DEV,
	},
	{
		.cmd = ADPROF_CMD_MSIX_SET_NR,
		.doit = adprof_nl_msix_set_nr,
		.policy = adprof_msix_nr_policy,
		.maxattr = ADPROF_A_MAX,
		.internal_flags = ADPROF_NL_F_ADMIN | ADPROF_NL_F_DEV,
	},
	{
		.cmd = ADPROF_CMD_MSIX_SET_ENTRY,
		.doit = adprof_nl_msix_set_entry,
		.policy = adprof_msix_entry_policy,
		.maxattr = ADPROF_A_MAX,
		.internal_flags = ADPROF_NL_F_ADMIN | ADPROF_NL_F_DEV,
	},
	{
		.cmd = ADPROF_CMD_IRQ_ACK,
		.doit = adprof_nl_irq_ack,
		.policy = adprof_dev_id_policy,
		.maxattr = ADPROF_A_MAX,
		.internal_flags = ADPROF_NL_F_ADMIN | ADPROF_NL_F_DEV,
	},
	{
		.cmd = ADPROF_CMD_DMA_MAP,
		.doit = adprof_nl_dma_map,
		.policy = adprof_dma_map_policy,
		.maxattr = ADPROF_A_MAX,
		.internal_flags = ADPROF_NL_F_ADMIN | ADPROF_NL_F_DEV_REF,
	},
	{
		.cmd = ADPROF_CMD_DMA_UNMAP,
		.doit = adprof_nl_dma_unmap,
		.policy = adprof_dma_unmap_policy,
		.maxattr = ADPROF_A_MAX,
		.internal_flags = ADPROF_NL_F_ADMIN | ADPROF_NL_F_DEV_REF,
	},
	{
		.cmd = ADPROF_CMD_DMA_GET,
		.doit = adprof_nl_dma_get_doit,
		.dumpit = adprof_nl_dma_get_dumpit_admin,
		.policy = adprof_dma_get_policy,
		.maxattr = ADPROF_A_MAX,
		.internal_flags = ADPROF_NL_F_ADMIN | ADPROF_NL_F_DEV_REF,
	},
	{
		.cmd = ADPROF_CMD_PROF_GET_INFO,
		.doit = adprof_nl_prof_get_info,
		.policy = adprof_none_policy,
		.maxattr = ADPROF_A_MAX,
	},
	{
		.cmd = ADPROF_CMD_PROF_START,
		.doit = adprof_nl_prof_start,
		.policy = adprof_prof_start_policy,
		.maxattr = ADPROF_A_MAX,
		.internal_flags = ADPROF_NL_F_PERFMON,
	},
	{
		.cmd = ADPROF_CMD_PROF_STOP,
		.doit = adprof_nl_prof_stop,
		.policy = adprof_none_policy,
		.maxattr = ADPROF_A_MAX,
		.internal_flags = ADPROF_NL_F_PERFMON,
	},
	{
		.cmd = ADPROF_CMD_PROF_GET_STAT,
		.doit = adprof_nl_prof_get_stat,
		.policy = adprof_none_policy,
		.maxattr = ADPROF_A_MAX,
	},
	{
		.cmd = ADPROF_CMD_PROF_CLEAR,
		.doit = adprof_nl_prof_clear,
		.policy = adprof_none_policy,
		.maxattr = ADPROF_A_MAX,
		.internal_flags = ADPROF_NL_F_PERFMON,
	},
};

static const struct genl_multicast_group adprof_mcgrps[] = {
	[ADPROF_MCGRP_IRQ_IDX] = {
		.name = ADPROF_MCGRP_IRQ,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
	/* Samples carry kernel addresses. */
	[ADPROF_MCGRP_SAMPLES_IDX] = {
		.name = ADPROF_MCGRP_SAMPLES,
		.flags = GENL_MCAST_CAP_SYS_ADMIN,
	},
};

/*
 * Capabilities are checked against the socket's opener and the caller,
 * as GENL_ADMIN_PERM does, but for the capability each role needs; then a
 * command on one device finds it (ADPROF_NL_F_DEV), under adprof_lock
 * until post_doit.
 */
static int adprof_nl_pre_doit(const struct adprof_genl_pre_ops *ops,
			      struct sk_buff *skb, struct genl_info *info)
{
	if ((ops->internal_flags & ADPROF_NL_F_ADMIN) &&
	    !netlink_capable(skb, CAP_SYS_ADMIN)) {
		GENL_SET_ERR_MSG(info, "device assignment needs CAP_SYS_ADMIN");
		return -EPERM;
	}
	if ((ops->internal_flags & ADPROF_NL_F_PERFMON) &&
	    !netlink_capable(skb, CAP_PERFMON) &&
	    !netlink_capable(skb, CAP_SYS_ADMIN)) {
		GENL_SET_ERR_MSG(info, "profiling needs CAP_PERFMON or CAP_SYS_ADMIN");
		return -EPERM;
	}
	if (ops->internal_flags & (ADPROF_NL_F_DEV | ADPROF_NL_F_DEV_REF))
		return adprof_nl_dev_pre_doit(ops->cmd, info,
					      ops->internal_flags & ADPROF_NL_F_DEV_REF);
	return 0;
}

static void adprof_nl_post_doit(const struct adprof_genl_pre_ops *ops,
				struct sk_buff *skb, struct genl_info *info)
{
	if (ops->internal_flags & (ADPROF_NL_F_DEV | ADPROF_NL_F_DEV_REF))
		adprof_nl_dev_post_doit(info,
					ops->internal_flags & ADPROF_NL_F_DEV_REF);
}

struct genl_family adprof_family __ro_after_init = {
	.name = ADPROF_GENL_NAME,
	.version = ADPROF_GENL_VERSION,
	.maxattr = ADPROF_A_MAX,
	.netnsok = false,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.pre_doit = adprof_nl_pre_doit,
	.post_doit = adprof_nl_post_doit,
	.ops = adprof_ops,
	.n_ops = ARRAY_SIZE(adprof_ops),
	.resv_start_op = ADPROF_CMD_DEV_ASSIGN,
	.mcgrps = adprof_mcgrps,
	.n_mcgrps = ARRAY_SIZE(adprof_mcgrps),
};

/*
 * Multicast group ids are freed when the family is unregistered and may go
 * to another family; events still being flushed by the subsystems must not
 * follow. adprof_nl_live says whether they may. Senders that may sleep
 * read it under adprof_nl_live_sem, those that may not (the IRQ events'
 * bottom halves) under rcu_read_lock(); the writer (module exit) clears it
 * under the semaphore, then waits for an RCU grace period, before
 * unregistering.
 */
static DECLARE_RWSEM(adprof_nl_live_sem);
static bool adprof_nl_live;

/**
 * adprof_nl_multicast() - send a notification to one of the family's groups
 * @skb: a complete message; consumed
 * @group: ADPROF_MCGRP_*_IDX
 * @gfp: GFP_KERNEL in process context, GFP_ATOMIC where it may not sleep
 *
 * Return: 0, -ESRCH when nobody listens, -ESHUTDOWN once the family is
 * going away, or another negative errno from the send.
 */
int adprof_nl_multicast(struct sk_buff *skb, enum adprof_mcgrp group,
			gfp_t gfp)
{
	int err = -ESHUTDOWN;

	if (!gfpflags_allow_blocking(gfp)) {
		rcu_read_lock();
		if (READ_ONCE(adprof_nl_live))
			err = genlmsg_multicast(&adprof_family, skb, 0, group,
						gfp);
		else
			nlmsg_free(skb);
		rcu_read_unlock();
		return err;
	}
	might_sleep();
	down_read(&adprof_nl_live_sem);
	if (adprof_nl_live)
		err = genlmsg_multicast(&adprof_family, skb, 0, group, gfp);
	else
		nlmsg_free(skb);
	up_read(&adprof_nl_live_sem);
	return err;
}

/*
 * A closing socket may own a profiling session and DMA mappings. Called
 * in the closing task's context from a blocking notifier chain, so the
 * owner may sleep.
 */
static int adprof_nl_notify(struct notifier_block *nb, unsigned long state,
			    void *ptr)
{
	struct netlink_notify *n = ptr;

	if (state != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	adprof_prof_release(n->net, n->portid);
	adprof_dma_release(n->net, n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block adprof_nl_notifier = {
	.notifier_call = adprof_nl_notify,
};

/**
 * adprof_nl_init() - watch socket closes, then register the family
 *
 * Return: 0 or a negative errno.
 */
int adprof_nl_init(void)
{
	int err;

	err = netlink_register_notifier(&adprof_nl_notifier);
	if (err)
		return err;
	err = genl_register_family(&adprof_family);
	if (err)
		goto err_notifier;
	down_write(&adprof_nl_live_sem);
	WRITE_ONCE(adprof_nl_live, true);
	up_write(&adprof_nl_live_sem);
	return 0;

err_notifier:
	netlink_unregister_notifier(&adprof_nl_notifier);
	return err;
}

/**
 * adprof_nl_exit() - unregister the family and stop watching sockets
 *
 * genl_unregister_family() waits for handlers still running, so no
 * request is in flight once it returns.
 */
void adprof_nl_exit(void)
{
	down_write(&adprof_nl_live_sem);
	WRITE_ONCE(adprof_nl_live, false);
	up_write(&adprof_nl_live_sem);
	synchronize_rcu();	/* the senders that may not sleep */
	genl_unregister_family(&adprof_family);
	netlink_unregister_notifier(&adprof_nl_notifier);
}
