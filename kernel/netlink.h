/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ADPROF_NETLINK_H
#define _ADPROF_NETLINK_H

#include <net/genetlink.h>

/* Index into the family's multicast groups. */
enum adprof_mcgrp {
	ADPROF_MCGRP_IRQ_IDX,
	ADPROF_MCGRP_SAMPLES_IDX,
};

extern struct genl_family adprof_family;

/**
 * adprof_nl_require() - refuse a request that lacks a required attribute
 * @info: the request
 * @attr: the attribute it needs
 *
 * GENL_REQ_ATTR_CHECK() names the attribute (NLMSGERR_ATTR_MISS_TYPE)
 * but on 6.1 leaves the message empty; say in words what is wrong too.
 *
 * Return: true when @attr is missing and the request must fail (-EINVAL).
 */
static inline bool adprof_nl_require(struct genl_info *info, int attr)
{
	if (!GENL_REQ_ATTR_CHECK(info, attr))
		return false;
	GENL_SET_ERR_MSG(info, "missing required attribute");
	return true;
}

int adprof_nl_multicast(struct sk_buff *skb, enum adprof_mcgrp group,
			gfp_t gfp);
int adprof_nl_init(void);
void adprof_nl_exit(void);

#endif /* _ADPROF_NETLINK_H */
