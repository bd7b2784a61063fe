/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the subcommand handlers share: the command table entry, the run
 * context, argument helpers and the handlers themselves.
 *
 * Handlers return the exit code: EXIT_SUCCESS, EXIT_FAILURE (the kernel or
 * the system refused) or EXIT_USAGE (bad command line).
 */
#ifndef ADPROF_CMD_H
#define ADPROF_CMD_H

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <netlink/msg.h>

#include "json.h"
#include "nl.h"

#define EXIT_USAGE	2

struct adp_ctx;

struct adp_cmd {
	const char *name;
	int (*handler)(struct adp_ctx *ctx, int argc, char **argv);
	const char *usage;	/* arguments; alternatives on separate lines */
	const char *help;	/* first line is the summary */
};

struct adp_ctx {
	const struct adp_cmd *cmd;
	struct json *json;	/* NULL for text output */
};

int usage_error(struct adp_ctx *ctx);
int opt_error(struct adp_ctx *ctx, int c, char **argv);
int arg_error(struct adp_ctx *ctx, const char *what, const char *arg, int err);
int arg_u32(struct adp_ctx *ctx, const char *what, const char *arg,
	    uint32_t min, uint32_t max, uint32_t *out);
int malformed(struct adp_ctx *ctx, const char *what);
int build_failed(struct adp_ctx *ctx, struct nl_msg *msg);
int run(struct adp_ctx *ctx, struct nl_msg *msg, adp_reply_fn fn, void *arg);
int run_dump(struct adp_ctx *ctx, uint8_t cmd, uint32_t dev_id,
	     adp_reply_fn fn, void *arg);
void list_item(struct adp_ctx *ctx, unsigned int *n);
int list_end(struct adp_ctx *ctx, unsigned int n, int ret);
void stop_signals(sigset_t *set);
int stop_signalfd(struct adp_ctx *ctx, sigset_t *set);

/* cmd_dev.c */
int cmd_assign(struct adp_ctx *ctx, int argc, char **argv);
int cmd_deassign(struct adp_ctx *ctx, int argc, char **argv);
int cmd_list(struct adp_ctx *ctx, int argc, char **argv);
int cmd_irq(struct adp_ctx *ctx, int argc, char **argv);
int cmd_msix(struct adp_ctx *ctx, int argc, char **argv);
int cmd_ack(struct adp_ctx *ctx, int argc, char **argv);
int cmd_watch_irq(struct adp_ctx *ctx, int argc, char **argv);
int arg_dev_id(struct adp_ctx *ctx, const char *arg, uint32_t *id);

/* cmd_dma.c */
int cmd_dma_map(struct adp_ctx *ctx, int argc, char **argv);
int cmd_dma_unmap(struct adp_ctx *ctx, int argc, char **argv);
int cmd_dma_list(struct adp_ctx *ctx, int argc, char **argv);

/* cmd_prof.c */
int cmd_info(struct adp_ctx *ctx, int argc, char **argv);
int cmd_start(struct adp_ctx *ctx, int argc, char **argv);
int cmd_stop(struct adp_ctx *ctx, int argc, char **argv);
int cmd_stat(struct adp_ctx *ctx, int argc, char **argv);
int cmd_clear(struct adp_ctx *ctx, int argc, char **argv);

/* record.c, report.c */
int cmd_record(struct adp_ctx *ctx, int argc, char **argv);
int cmd_report(struct adp_ctx *ctx, int argc, char **argv);

#endif /* ADPROF_CMD_H */
