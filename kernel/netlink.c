// SPDX-License-Identifier: GPL-2.0
/*
 * The adprof generic netlink family: policies, the op table, multicast
 * groups, and tracking of closing sockets for the subsystems.
 */
#include <linux/adprof.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <net/genetlink.h>

#include "compat.h"
#include "netlink.h"

static int adprof_nl_prof_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &adprof_family, 0,
				ADPROF_CMD_PROF_GET_INFO);
	if (!hdr)
		goto err_free;
	if (nla_put_u32(msg, ADPROF_A_VERSION, ADPROF_GENL_VERSION) ||
	    nla_put_u8(msg, ADPROF_A_RUNNING, 0))
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static const struct nla_policy adprof_empty_policy[ADPROF_A_MAX + 1] = {
};

static const struct genl_ops adprof_ops[] = {
	{
		.cmd = ADPROF_CMD_PROF_GET_INFO,
		.doit = adprof_nl_prof_get_info,
		.policy = adprof_empty_policy,
		.maxattr = ADPROF_A_MAX,
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

struct genl_family adprof_family __ro_after_init = {
	.name = ADPROF_GENL_NAME,
	.version = ADPROF_GENL_VERSION,
	.maxattr = ADPROF_A_MAX,
	.netnsok = false,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = adprof_ops,
	.n_ops = ARRAY_SIZE(adprof_ops),
	.resv_start_op = ADPROF_CMD_DEV_ASSIGN,
	.mcgrps = adprof_mcgrps,
	.n_mcgrps = ARRAY_SIZE(adprof_mcgrps),
};

/**
 * adprof_nl_init() - register the generic netlink family
 *
 * Return: 0 or a negative errno.
 */
int adprof_nl_init(void)
{
	return genl_register_family(&adprof_family);
}

/**
 * adprof_nl_exit() - unregister the family; waits for running handlers
 */
void adprof_nl_exit(void)
{
	genl_unregister_family(&adprof_family);
}
