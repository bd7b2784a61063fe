/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink plumbing for adprofctl: socket set-up, requests, dumps
 * and error reporting with the kernel's extended ack message.
 *
 * Functions that fail have already printed the cause on stderr as
 * "adprofctl: WHO: ..." and return a negative errno.
 */
#ifndef ADPROF_NL_H
#define ADPROF_NL_H

#include <stdint.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

struct adp_irq;

struct adp_nl {
	struct nl_sock *sk;
	int family;
	const char *who;	/* subcommand named in error messages */
};

/*
 * Called for each reply with its attributes parsed against the family's
 * policy (tb[ADPROF_A_MAX + 1]); returns 0, or a negative errno after
 * printing why, which ends the request with that error.
 */
typedef int (*adp_reply_fn)(struct nlattr **tb, void *arg);

int adp_nl_open(struct adp_nl *nl, const char *who);
void adp_nl_close(struct adp_nl *nl);
int adp_nl_join(struct adp_nl *nl, const char *group);
struct nl_msg *adp_msg_new(uint8_t cmd, int flags);
int adp_request(struct adp_nl *nl, struct nl_msg *msg, adp_reply_fn fn,
		void *arg);
int adp_transact(const char *who, struct nl_msg *msg, adp_reply_fn fn,
		 void *arg);
int adp_dump(const char *who, uint8_t cmd, uint32_t dev_id, adp_reply_fn fn,
	     void *arg);
int adp_irq_parse(struct nlmsghdr *nlh, struct adp_irq *e);

/*
 * Called once each dump request of adp_dump() is sent, before its replies
 * are read (the kernel has built the first part only). A no-op here; a
 * test (tests/tools/dumprace.c) defines its own to change the objects at
 * that moment, so that the later parts carry NLM_F_DUMP_INTR.
 */
void adp_dump_sent(unsigned int attempt);

#endif /* ADPROF_NL_H */
