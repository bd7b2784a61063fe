/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ADPROF_ASSIGN_H
#define _ADPROF_ASSIGN_H

#include <net/genetlink.h>

/* dev.c */
int adprof_assign_init(void);
void adprof_assign_exit(void);

/* dma.c */
int adprof_nl_dma_map(struct sk_buff *skb, struct genl_info *info);
int adprof_nl_dma_unmap(struct sk_buff *skb, struct genl_info *info);
int adprof_nl_dma_get_doit(struct sk_buff *skb, struct genl_info *info);
int adprof_nl_dma_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
void adprof_dma_release(struct net *net, u32 portid);

/* assign_nl.c */
int adprof_nl_dev_pre_doit(u8 cmd, struct genl_info *info, bool ref);
void adprof_nl_dev_post_doit(struct genl_info *info, bool ref);

int adprof_nl_dev_assign(struct sk_buff *skb, struct genl_info *info);
int adprof_nl_dev_deassign(struct sk_buff *skb, struct genl_info *info);
int adprof_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int adprof_nl_dev_get_start(struct netlink_callback *cb);
int adprof_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int adprof_nl_irq_assign(struct sk_buff *skb, struct genl_info *info);
int adprof_nl_irq_deassign(struct sk_buff *skb, struct genl_info *info);
int adprof_nl_msix_set_nr(struct sk_buff *skb, struct genl_info *info);
int adprof_nl_msix_set_entry(struct sk_buff *skb, struct genl_info *info);
int adprof_nl_irq_ack(struct sk_buff *skb, struct genl_info *info);

#endif /* _ADPROF_ASSIGN_H */
