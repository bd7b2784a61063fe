/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ADPROF_PROFILE_H
#define _ADPROF_PROFILE_H

#include <net/genetlink.h>

int adprof_prof_init(void);
void adprof_prof_exit(void);
void adprof_prof_release(struct net *net, u32 portid);

int adprof_nl_prof_get_info(struct sk_buff *skb, struct genl_info *info);
int adprof_nl_prof_start(struct sk_buff *skb, struct genl_info *info);
int adprof_nl_prof_stop(struct sk_buff *skb, struct genl_info *info);
int adprof_nl_prof_get_stat(struct sk_buff *skb, struct genl_info *info);
int adprof_nl_prof_clear(struct sk_buff *skb, struct genl_info *info);

#endif /* _ADPROF_PROFILE_H */
