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

int adprof_nl_multicast(struct sk_buff *skb, enum adprof_mcgrp group);
int adprof_nl_init(void);
void adprof_nl_exit(void);

#endif /* _ADPROF_NETLINK_H */
