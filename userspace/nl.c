// SPDX-License-Identifier: GPL-2.0
/* Generic netlink plumbing for adprofctl; see nl.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/adprof.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "dump.h"
#include "nl.h"
#include "recfile.h"

/* Attributes of every reply and notification; nests are checked by users. */
static const struct nla_policy adp_policy[ADPROF_A_MAX + 1] = {
	[ADPROF_A_DEV_ID]	= { .type = NLA_U32 },
	[ADPROF_A_PCI_SEGMENT]	= { .type = NLA_U16 },
	[ADPROF_A_PCI_BUS]	= { .type = NLA_U8 },
	[ADPROF_A_PCI_DEVFN]	= { .type = NLA_U8 },
	[ADPROF_A_DEV_FLAGS]	= { .type = NLA_U32 },
	[ADPROF_A_VENDOR]	= { .type = NLA_U16 },
	[ADPROF_A_DEVICE]	= { .type = NLA_U16 },
	[ADPROF_A_IRQ_FLAGS]	= { .type = NLA_U32 },
	[ADPROF_A_GUEST_IRQ]	= { .type = NLA_U32 },
	[ADPROF_A_MSIX_NR]	= { .type = NLA_U32 },
	[ADPROF_A_MSIX_ENTRY]	= { .type = NLA_U32 },
	[ADPROF_A_GSI]		= { .type = NLA_U32 },
	[ADPROF_A_MSIX_TABLE]	= { .type = NLA_NESTED },
	[ADPROF_A_MSIX_SLOT]	= { .type = NLA_NESTED },
	[ADPROF_A_VECTORS]	= { .type = NLA_NESTED },
	[ADPROF_A_VECTOR]	= { .type = NLA_NESTED },
	[ADPROF_A_INTX_MASKED]	= { .type = NLA_U8 },
	[ADPROF_A_HOST_VECTOR]	= { .type = NLA_U32 },
	[ADPROF_A_TIMESTAMP]	= { .type = NLA_U64 },
	[ADPROF_A_COUNT]	= { .type = NLA_U32 },
	[ADPROF_A_VERSION]	= { .type = NLA_U32 },
	[ADPROF_A_BACKENDS]	= { .type = NLA_NESTED },
	[ADPROF_A_BACKEND_ENTRY] = { .type = NLA_NESTED },
	[ADPROF_A_RUNNING]	= { .type = NLA_U8 },
	[ADPROF_A_BACKEND]	= { .type = NLA_STRING },
	[ADPROF_A_OWNER]	= { .type = NLA_U32 },
	[ADPROF_A_FREQ]		= { .type = NLA_U32 },
	[ADPROF_A_CPUMASK]	= { .maxlen = ADPROF_CPUMASK_MAX_BYTES },
	[ADPROF_A_BUF_SAMPLES]	= { .type = NLA_U32 },
	[ADPROF_A_MAX_BUFS]	= { .type = NLA_U32 },
	[ADPROF_A_PROF_FLAGS]	= { .type = NLA_U32 },
	[ADPROF_A_STATS]	= { .type = NLA_NESTED },
	[ADPROF_A_CPU]		= { .type = NLA_U32 },
	[ADPROF_A_SEQ]		= { .type = NLA_U32 },
	[ADPROF_A_LOST]		= { .type = NLA_U64 },
	[ADPROF_A_SAMPLES]	= { .minlen = sizeof(struct adprof_sample) },
	[ADPROF_A_IOMMU_GROUP]	= { .type = NLA_U32 },
	[ADPROF_A_VADDR]	= { .type = NLA_U64 },
	[ADPROF_A_IOVA]		= { .type = NLA_U64 },
	[ADPROF_A_SIZE]		= { .type = NLA_U64 },
	[ADPROF_A_DMA_FLAGS]	= { .type = NLA_U32 },
	[ADPROF_A_DMA_MAPPINGS]	= { .type = NLA_U32 },
	[ADPROF_A_DMA_BYTES]	= { .type = NLA_U64 },
	[ADPROF_A_DMA_FAULTS]	= { .type = NLA_U64 },
	[ADPROF_A_DMA_FAULT_REPORTING] = { .type = NLA_U8 },
	[ADPROF_A_STACK_DEPTH]	= { .type = NLA_U32 },
	[ADPROF_A_RECORD_VERSION] = { .type = NLA_U32 },
	[ADPROF_A_SUMMARY_ENTRIES] = { .type = NLA_U32 },
};

struct req_state {
	const char *who;
	adp_reply_fn fn;
	void *arg;
	int err;		/* 1 while waiting, then 0 or -errno */
	struct dump_buf *dump;	/* a dump's replies kept here, not passed on */
};

/**
 * adp_nl_open() - connect a generic netlink socket and resolve adprof
 * @nl: socket state to fill
 * @who: subcommand named in error messages
 *
 * Return: 0, -ENOENT when the module is not loaded, or another -errno.
 */
int adp_nl_open(struct adp_nl *nl, const char *who)
{
	int one = 1, err;

	nl->who = who;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		fprintf(stderr, "adprofctl: %s: cannot allocate netlink socket\n",
			who);
		return -ENOMEM;
	}
	err = genl_connect(nl->sk);
	if (err < 0) {
		fprintf(stderr, "adprofctl: %s: cannot connect to generic netlink: %s\n",
			who, nl_geterror(err));
		err = -EIO;
		goto err_free;
	}
	/* Kernels before 4.12 lack these; errors then come without a message. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));

	nl->family = genl_ctrl_resolve(nl->sk, ADPROF_GENL_NAME);
	if (nl->family == -NLE_OBJ_NOTFOUND) {
		fprintf(stderr, "adprofctl: adprof module not loaded\n");
		err = -ENOENT;
		goto err_free;
	}
	if (nl->family < 0) {
		fprintf(stderr, "adprofctl: %s: cannot resolve family %s: %s\n",
			who, ADPROF_GENL_NAME, nl_geterror(nl->family));
		err = -EIO;
		goto err_free;
	}
	return 0;

err_free:
	nl_socket_free(nl->sk);
	return err;
}

void adp_nl_close(struct adp_nl *nl)
{
	nl_socket_free(nl->sk);
}

/**
 * adp_nl_join() - subscribe the socket to an adprof multicast group
 * @nl: open socket
 * @group: ADPROF_MCGRP_IRQ or ADPROF_MCGRP_SAMPLES
 *
 * Return: 0 or -errno.
 */
int adp_nl_join(struct adp_nl *nl, const char *group)
{
	int grp, err;

	grp = genl_ctrl_resolve_grp(nl->sk, ADPROF_GENL_NAME, group);
	if (grp < 0) {
		fprintf(stderr, "adprofctl: %s: no multicast group %s: %s\n",
			nl->who, group, nl_geterror(grp));
		return -ENOENT;
	}
	err = nl_socket_add_membership(nl->sk, grp);
	if (err < 0) {
		fprintf(stderr, "adprofctl: %s: cannot join group %s: %s\n",
			nl->who, group, nl_geterror(err));
		return -EPERM;
	}
	return 0;
}

/**
 * adp_msg_new() - start a request for an adprof command
 * @cmd: ADPROF_CMD_*
 * @flags: extra netlink flags, e.g. NLM_F_DUMP
 *
 * The family id is filled in when the message is sent, so arguments can be
 * turned into attributes before any socket exists.
 *
 * Return: the message, or NULL when out of memory.
 */
struct nl_msg *adp_msg_new(uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0, 0, flags,
				cmd, ADPROF_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

/* Print "adprofctl: WHO: MSG (STRERROR)" using the extack TLVs, if any. */
static void report(const char *who, int error, void *tlvs, int len)
{
	static const struct nla_policy policy[NLMSGERR_ATTR_MAX + 1] = {
		[NLMSGERR_ATTR_MSG] = { .type = NLA_STRING },
	};
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];

	if (len > 0 && !nla_parse(tb, NLMSGERR_ATTR_MAX, tlvs, len, policy) &&
	    tb[NLMSGERR_ATTR_MSG])
		fprintf(stderr, "adprofctl: %s: %s (%s)\n", who,
			nla_get_string(tb[NLMSGERR_ATTR_MSG]), strerror(-error));
	else
		fprintf(stderr, "adprofctl: %s: %s\n", who, strerror(-error));
}

static int error_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)e - 1;
	size_t off = NLMSG_HDRLEN + sizeof(*e), len = nlh->nlmsg_len;
	struct req_state *st = arg;

	(void)nla;
	/* The original request follows unless NETLINK_CAP_ACK capped it. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len > sizeof(e->msg))
		off += NLMSG_ALIGN(e->msg.nlmsg_len - sizeof(e->msg));
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off > len)
		off = len;
	report(st->who, e->error, (char *)nlh + off, len - off);
	st->err = e->error;
	return NL_STOP;
}

/* End of a dump; a failed dump carries its errno and extack here. */
static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int len = nlmsg_datalen(nlh), off = NLMSG_ALIGN(sizeof(int));
	struct req_state *st = arg;
	int error = 0;

	if (st->dump)
		dump_note_flags(st->dump, nlh);
	if (len >= (int)sizeof(int))
		memcpy(&error, nlmsg_data(nlh), sizeof(int));
	if (error < 0) {
		if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= len)
			off = len;
		report(st->who, error, (char *)nlmsg_data(nlh) + off, len - off);
	}
	st->err = error < 0 ? error : 0;
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct req_state *st = arg;

	(void)msg;
	st->err = 0;
	return NL_STOP;
}

/* Parse one reply and hand it to @fn. Return: 0 or -errno */
static int reply(const char *who, struct nlmsghdr *nlh, adp_reply_fn fn,
		 void *arg)
{
	struct nlattr *tb[ADPROF_A_MAX + 1];
	int err;

	err = genlmsg_parse(nlh, 0, tb, ADPROF_A_MAX, adp_policy);
	if (err < 0) {
		fprintf(stderr, "adprofctl: %s: malformed reply: %s\n",
			who, nl_geterror(err));
		return -EPROTO;
	}
	return fn ? fn(tb, arg) : 0;
}

/**
 * adp_irq_parse() - decode an event of the "irq" group, as watch-irq shows
 *		     it and record writes it
 * @nlh: a message of the family
 * @e: filled but for @e->rx_ns, which is the caller's: @e->kind whenever
 *     the message is an event, every other field when it is well-formed
 *     (those of the other kind zero)
 *
 * An IRQ_EVENT needs DEV_ID, TIMESTAMP, COUNT, HOST_VECTOR and GUEST_IRQ;
 * a DMA_FAULT needs DEV_ID, TIMESTAMP, COUNT, IOVA and DMA_FLAGS.
 *
 * Return: 0, -ENOMSG if the message is another command, -EPROTO if it
 * fails the policy or lacks an attribute its kind needs.
 */
int adp_irq_parse(struct nlmsghdr *nlh, struct adp_irq *e)
{
	struct nlattr *tb[ADPROF_A_MAX + 1];
	uint8_t cmd = genlmsg_hdr(nlh)->cmd;
	bool fault = cmd == ADPROF_CMD_DMA_FAULT;

	if (cmd != ADPROF_CMD_IRQ_EVENT && !fault)
		return -ENOMSG;
	e->kind = fault ? ADP_IRQ_DMA_FAULT : ADP_IRQ_INTERRUPT;
	if (genlmsg_parse(nlh, 0, tb, ADPROF_A_MAX, adp_policy) ||
	    !tb[ADPROF_A_DEV_ID] || !tb[ADPROF_A_TIMESTAMP] || !tb[ADPROF_A_COUNT] ||
	    (!fault && (!tb[ADPROF_A_HOST_VECTOR] || !tb[ADPROF_A_GUEST_IRQ])) ||
	    (fault && (!tb[ADPROF_A_IOVA] || !tb[ADPROF_A_DMA_FLAGS])))
		return -EPROTO;
	e->dev_id = nla_get_u32(tb[ADPROF_A_DEV_ID]);
	e->count = nla_get_u32(tb[ADPROF_A_COUNT]);
	e->time_ns = nla_get_u64(tb[ADPROF_A_TIMESTAMP]);
	e->vector = fault ? 0 : nla_get_u32(tb[ADPROF_A_HOST_VECTOR]);
	e->guest_irq = fault ? 0 : nla_get_u32(tb[ADPROF_A_GUEST_IRQ]);
	e->iova = fault ? nla_get_u64(tb[ADPROF_A_IOVA]) : 0;
	e->dma_flags = fault ? nla_get_u32(tb[ADPROF_A_DMA_FLAGS]) : 0;
	return 0;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct req_state *st = arg;
	int err;

	if (st->dump) {
		err = dump_add(st->dump, nlmsg_hdr(msg));
		if (err)
			fprintf(stderr, "adprofctl: %s: out of memory\n", st->who);
	} else {
		err = reply(st->who, nlmsg_hdr(msg), st->fn, st->arg);
	}
	if (err < 0) {
		st->err = err;
		return NL_STOP;
	}
	return NL_OK;
}

/* Noted by the dump; the message itself goes on to valid_cb. */
static int intr_cb(struct nl_msg *msg, void *arg)
{
	struct req_state *st = arg;

	if (st->dump)
		dump_note_flags(st->dump, nlmsg_hdr(msg));
	return NL_OK;
}

/*
 * Send @msg, wait for its ack, reply or dump; replies go to @fn, or are
 * kept in @dump when it is given.
 */
static int request(struct adp_nl *nl, struct nl_msg *msg, adp_reply_fn fn,
		   void *arg, struct dump_buf *dump, unsigned int attempt)
{
	struct req_state st = { .who = nl->who, .fn = fn, .arg = arg, .err = 1,
				.dump = dump };
	struct nl_cb *cb;
	int err;

	nlmsg_hdr(msg)->nlmsg_type = nl->family;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		fprintf(stderr, "adprofctl: %s: out of memory\n", nl->who);
		err = -ENOMEM;
		goto out_free_msg;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, error_cb, &st);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, &st);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &st);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &st);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, intr_cb, &st);

	err = nl_send_auto(nl->sk, msg);
	if (err < 0) {
		fprintf(stderr, "adprofctl: %s: send: %s\n", nl->who,
			nl_geterror(err));
		err = -EIO;
		goto out_put_cb;
	}
	if (dump)
		adp_dump_sent(attempt);
	while (st.err > 0) {
		err = nl_recvmsgs(nl->sk, cb);
		if (err < 0 && st.err > 0) {
			fprintf(stderr, "adprofctl: %s: receive: %s\n",
				nl->who, nl_geterror(err));
			st.err = -EIO;
		}
	}
	err = st.err;
out_put_cb:
	nl_cb_put(cb);
out_free_msg:
	nlmsg_free(msg);
	return err;
}

/**
 * adp_request() - send a request and wait for its ack or reply
 * @nl: open socket
 * @msg: from adp_msg_new(); always freed
 * @fn: called for each reply, may be NULL
 * @arg: passed to @fn
 *
 * Return: 0, or -errno: the kernel's (reported with its extack message),
 * from @fn, or from a local failure.
 */
int adp_request(struct adp_nl *nl, struct nl_msg *msg, adp_reply_fn fn,
		void *arg)
{
	return request(nl, msg, fn, arg, NULL, 0);
}

/**
 * adp_transact() - adp_request() on a socket of its own
 * @who: subcommand named in error messages
 * @msg: from adp_msg_new(); always freed
 * @fn: called for each reply, may be NULL
 * @arg: passed to @fn
 *
 * Return: as adp_request(), or adp_nl_open()'s error.
 */
int adp_transact(const char *who, struct nl_msg *msg, adp_reply_fn fn,
		 void *arg)
{
	struct adp_nl nl;
	int err;

	err = adp_nl_open(&nl, who);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	err = adp_request(&nl, msg, fn, arg);
	adp_nl_close(&nl);
	return err;
}

void __attribute__((weak)) adp_dump_sent(unsigned int attempt)
{
	(void)attempt;
}

/**
 * adp_dump() - dump all objects of a command, as one consistent list
 * @who: subcommand named in error messages
 * @cmd: ADPROF_CMD_* with a dump handler
 * @dev_id: with a DEV_ID attribute limiting the dump to it, 0 for none
 * @fn: called for each object, once the whole dump has arrived
 * @arg: passed to @fn
 *
 * The kernel marks a dump whose objects changed between its parts with
 * NLM_F_DUMP_INTR. Such a dump is thrown away and done again, up to
 * ADPROFCTL_DUMP_TRIES times (default 5); @fn sees only a whole one.
 *
 * Return: as adp_transact(), or -EAGAIN when every dump was interrupted.
 */
int adp_dump(const char *who, uint8_t cmd, uint32_t dev_id, adp_reply_fn fn,
	     void *arg)
{
	unsigned int i, tries = dump_tries(getenv("ADPROFCTL_DUMP_TRIES"));
	struct dump_buf d = {};
	struct nl_msg *msg;
	struct adp_nl nl;
	size_t j;
	int err;

	err = adp_nl_open(&nl, who);
	if (err)
		return err;
	for (i = 0; i < tries; i++) {
		dump_free(&d);
		msg = adp_msg_new(cmd, NLM_F_DUMP);
		if (msg && dev_id && nla_put_u32(msg, ADPROF_A_DEV_ID, dev_id)) {
			nlmsg_free(msg);
			msg = NULL;
		}
		if (!msg) {
			fprintf(stderr, "adprofctl: %s: out of memory\n", who);
			err = -ENOMEM;
			break;
		}
		err = request(&nl, msg, NULL, NULL, &d, i);
		if (err || !d.intr)
			break;
	}
	if (!err && d.intr) {
		fprintf(stderr, "adprofctl: %s: the list changed during each of %u dumps (NLM_F_DUMP_INTR): try again\n",
			who, tries);
		err = -EAGAIN;
	}
	for (j = 0; !err && j < d.n; j++)
		err = reply(who, d.msgs[j], fn, arg);
	dump_free(&d);
	adp_nl_close(&nl);
	return err;
}
