// SPDX-License-Identifier: GPL-2.0
/* adprofctl profiler commands: info, start, stop, stat, clear. */
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <linux/adprof.h>
#include <netlink/attr.h>

#include "cmd.h"
#include "parse.h"
#include "prof.h"

static const struct nla_policy backend_policy[ADPROF_BACKEND_A_MAX + 1] = {
	[ADPROF_BACKEND_A_NAME]		= { .type = NLA_STRING },
	[ADPROF_BACKEND_A_AVAILABLE]	= { .type = NLA_U8 },
};

static const struct nla_policy stat_policy[ADPROF_STAT_A_MAX + 1] = {
	[ADPROF_STAT_A_SAMPLE ... ADPROF_STAT_A_SUMMARY_DROP] = { .type = NLA_U64 },
};

/* Printed in this order; the first six are tprof's names. */
static const struct {
	int attr;
	const char *name;
} stat_names[] = {
	{ ADPROF_STAT_A_SAMPLE,			"sample" },
	{ ADPROF_STAT_A_OVERFLOW,		"overflow" },
	{ ADPROF_STAT_A_BUF,			"buf" },
	{ ADPROF_STAT_A_EMPTYBUF,		"emptybuf" },
	{ ADPROF_STAT_A_DROPBUF,		"dropbuf" },
	{ ADPROF_STAT_A_DROPBUF_SAMPLE,		"dropbuf_sample" },
	{ ADPROF_STAT_A_STREAM_MSGS,		"stream_msgs" },
	{ ADPROF_STAT_A_STREAM_SAMPLES,		"stream_samples" },
	{ ADPROF_STAT_A_STREAM_ERRORS,		"stream_errors" },
	{ ADPROF_STAT_A_STREAM_ERROR_SAMPLES,	"stream_error_samples" },
	{ ADPROF_STAT_A_ONLIST_BUF,		"onlist_buf" },
	{ ADPROF_STAT_A_ONLIST_SAMPLE,		"onlist_sample" },
	{ ADPROF_STAT_A_SUMMARY_SAMPLE,		"summary_sample" },
	{ ADPROF_STAT_A_SUMMARY_RECORD,		"summary_record" },
	{ ADPROF_STAT_A_SUMMARY_EVICT,		"summary_evict" },
	{ ADPROF_STAT_A_SUMMARY_MISS,		"summary_miss" },
	{ ADPROF_STAT_A_SUMMARY_DROP,		"summary_drop" },
};

/* A command with no argument or attribute; @fn prints the reply, if any. */
static int bare_cmd(struct adp_ctx *ctx, int argc, uint8_t cmd,
		    adp_reply_fn fn)
{
	struct nl_msg *msg;

	if (argc != 1)
		return usage_error(ctx);
	msg = adp_msg_new(cmd, 0);
	if (!msg)
		return build_failed(ctx, NULL);
	return run(ctx, msg, fn, ctx);
}

int cmd_stop(struct adp_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	return bare_cmd(ctx, argc, ADPROF_CMD_PROF_STOP, NULL);
}

int cmd_clear(struct adp_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	return bare_cmd(ctx, argc, ADPROF_CMD_PROF_CLEAR, NULL);
}

/* Text: "backends NAME NAME(unavailable) ..."; JSON: "backends":[...]. */
static int print_backends(struct adp_ctx *ctx, struct nlattr *nest)
{
	struct nlattr *tb[ADPROF_BACKEND_A_MAX + 1], *pos;
	struct json *j = ctx->json;
	const char *name;
	int rem, ret = 0;
	bool avail;

	if (j)
		json_open(j, "backends", '[');
	else
		fputs("backends", stdout);
	nla_for_each_nested(pos, nest, rem) {
		if (nla_type(pos) != ADPROF_A_BACKEND_ENTRY)
			continue;
		if (nla_parse_nested(tb, ADPROF_BACKEND_A_MAX, pos, backend_policy) ||
		    !tb[ADPROF_BACKEND_A_NAME]) {
			ret = malformed(ctx, "backend");
			break;
		}
		name = nla_get_string(tb[ADPROF_BACKEND_A_NAME]);
		avail = tb[ADPROF_BACKEND_A_AVAILABLE] &&
			nla_get_u8(tb[ADPROF_BACKEND_A_AVAILABLE]);
		if (!j) {
			printf(" %s%s", name, avail ? "" : "(unavailable)");
			continue;
		}
		json_open(j, NULL, '{');
		json_str(j, "name", name);
		json_bool(j, "available", avail);
		json_close(j, '}');
	}
	if (j)
		json_close(j, ']');
	else
		putchar('\n');
	return ret;
}

static int info_reply(struct nlattr **tb, void *arg)
{
	struct adp_ctx *ctx = arg;
	struct json *j = ctx->json;
	uint32_t owner;
	bool running;
	int ret = 0;

	if (!tb[ADPROF_A_VERSION] || !tb[ADPROF_A_RUNNING])
		return malformed(ctx, "no version or running state");
	running = nla_get_u8(tb[ADPROF_A_RUNNING]);
	if (j) {
		json_open(j, NULL, '{');
		json_u64(j, "version", nla_get_u32(tb[ADPROF_A_VERSION]));
		json_bool(j, "running", running);
	} else {
		printf("version %" PRIu32 "\nrunning %s\n",
		       nla_get_u32(tb[ADPROF_A_VERSION]), running ? "yes" : "no");
	}
	if (tb[ADPROF_A_BACKEND]) {
		if (j)
			json_str(j, "backend", nla_get_string(tb[ADPROF_A_BACKEND]));
		else
			printf("backend %s\n", nla_get_string(tb[ADPROF_A_BACKEND]));
	}
	if (tb[ADPROF_A_FREQ]) {
		if (j)
			json_u64(j, "freq", nla_get_u32(tb[ADPROF_A_FREQ]));
		else
			printf("freq %" PRIu32 "\n", nla_get_u32(tb[ADPROF_A_FREQ]));
	}
	if (tb[ADPROF_A_OWNER]) {
		owner = nla_get_u32(tb[ADPROF_A_OWNER]);
		if (j)
			json_u64(j, "owner", owner);
		else if (owner)
			printf("owner %" PRIu32 "\n", owner);
		else
			puts("owner detached");
	}
	if (tb[ADPROF_A_STACK_DEPTH]) {
		if (j)
			json_u64(j, "stack_depth", nla_get_u32(tb[ADPROF_A_STACK_DEPTH]));
		else
			printf("stack_depth %" PRIu32 "\n",
			       nla_get_u32(tb[ADPROF_A_STACK_DEPTH]));
	}
	if (tb[ADPROF_A_SUMMARY_ENTRIES]) {
		if (j)
			json_u64(j, "summary_entries",
				 nla_get_u32(tb[ADPROF_A_SUMMARY_ENTRIES]));
		else
			printf("summary_entries %" PRIu32 "\n",
			       nla_get_u32(tb[ADPROF_A_SUMMARY_ENTRIES]));
	}
	if (tb[ADPROF_A_BACKENDS])
		ret = print_backends(ctx, tb[ADPROF_A_BACKENDS]);
	if (j)
		json_close(j, '}');
	return ret;
}

int cmd_info(struct adp_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	return bare_cmd(ctx, argc, ADPROF_CMD_PROF_GET_INFO, info_reply);
}

static int stat_reply(struct nlattr **tb, void *arg)
{
	struct nlattr *st[ADPROF_STAT_A_MAX + 1];
	struct adp_ctx *ctx = arg;
	struct json *j = ctx->json;
	size_t i;

	if (!tb[ADPROF_A_STATS] ||
	    nla_parse_nested(st, ADPROF_STAT_A_MAX, tb[ADPROF_A_STATS], stat_policy))
		return malformed(ctx, "no statistics");
	if (j)
		json_open(j, NULL, '{');
	for (i = 0; i < ARRAY_SIZE(stat_names); i++) {
		struct nlattr *a = st[stat_names[i].attr];

		if (!a)
			continue;
		if (j)
			json_u64(j, stat_names[i].name, nla_get_u64(a));
		else
			printf("%s %" PRIu64 "\n", stat_names[i].name, nla_get_u64(a));
	}
	if (j)
		json_close(j, '}');
	return 0;
}

int cmd_stat(struct adp_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	return bare_cmd(ctx, argc, ADPROF_CMD_PROF_GET_STAT, stat_reply);
}

/**
 * start_opt() - take one PROF_START option returned by getopt_long()
 * @ctx: context
 * @c: the option (START_SHORT_OPTS and START_LONG_OPTS)
 * @a: where the values go
 *
 * Return: 0, EXIT_USAGE after printing why, or -1 if @c is not one of them.
 */
int start_opt(struct adp_ctx *ctx, int c, struct start_args *a)
{
	int ret;

	switch (c) {
	case 'b':
		a->backend = optarg;
		return 0;
	case 'F':
		return arg_u32(ctx, "frequency", optarg, ADPROF_FREQ_MIN,
			       ADPROF_FREQ_MAX, &a->freq);
	case 'C':
		ret = parse_cpulist(optarg, a->cpumask, sizeof(a->cpumask),
				    &a->cpumask_len);
		return ret ? arg_error(ctx, "CPU list", optarg, ret) : 0;
	case OPT_BUF_SAMPLES:
		return arg_u32(ctx, "buffer size", optarg, ADPROF_BUF_SAMPLES_MIN,
			       ADPROF_BUF_SAMPLES_MAX, &a->buf_samples);
	case OPT_MAX_BUFS:
		return arg_u32(ctx, "buffer count", optarg, ADPROF_MAX_BUFS_MIN,
			       ADPROF_MAX_BUFS_MAX, &a->max_bufs);
	case 'g':
		a->flags |= ADPROF_PROF_F_STACK;
		return 0;
	case OPT_DEPTH:
		a->flags |= ADPROF_PROF_F_STACK;
		return arg_u32(ctx, "stack depth", optarg, 1,
			       ADPROF_STACK_DEPTH_MAX, &a->depth);
	case OPT_SUMMARY:
		a->flags |= ADPROF_PROF_F_SUMMARY;
		return 0;
	case OPT_SUMMARY_ENTRIES:
		a->flags |= ADPROF_PROF_F_SUMMARY;
		return arg_u32(ctx, "summary table size", optarg,
			       ADPROF_SUMMARY_ENTRIES_MIN,
			       ADPROF_SUMMARY_ENTRIES_MAX, &a->sum_entries);
	default:
		return -1;
	}
}

static int start_parse(struct adp_ctx *ctx, int argc, char **argv,
		       struct start_args *a)
{
	static const struct option opts[] = {
		START_LONG_OPTS,
		{ "detach", no_argument, NULL, OPT_DETACH },
		{}
	};
	int c, ret = 0;

	while (!ret && (c = getopt_long(argc, argv, ":" START_SHORT_OPTS, opts,
					NULL)) != -1) {
		if (c == OPT_DETACH) {
			a->flags |= ADPROF_PROF_F_DETACH;
			continue;
		}
		ret = start_opt(ctx, c, a);
		if (ret < 0)
			return opt_error(ctx, c, argv);
	}
	if (!ret && optind != argc)
		ret = usage_error(ctx);
	return ret;
}

/* Only what was given; the kernel applies its defaults to the rest. */
/**
 * start_msg() - PROF_START with the attributes given in @a
 * @a: the options
 *
 * Return: the request, or NULL when out of memory.
 */
struct nl_msg *start_msg(const struct start_args *a)
{
	struct nl_msg *msg = adp_msg_new(ADPROF_CMD_PROF_START, 0);

	if (!msg)
		return NULL;
	if (a->backend)
		NLA_PUT_STRING(msg, ADPROF_A_BACKEND, a->backend);
	if (a->freq)
		NLA_PUT_U32(msg, ADPROF_A_FREQ, a->freq);
	if (a->cpumask_len)
		NLA_PUT(msg, ADPROF_A_CPUMASK, a->cpumask_len, a->cpumask);
	if (a->buf_samples)
		NLA_PUT_U32(msg, ADPROF_A_BUF_SAMPLES, a->buf_samples);
	if (a->max_bufs)
		NLA_PUT_U32(msg, ADPROF_A_MAX_BUFS, a->max_bufs);
	if (a->depth)
		NLA_PUT_U32(msg, ADPROF_A_STACK_DEPTH, a->depth);
	if (a->sum_entries)
		NLA_PUT_U32(msg, ADPROF_A_SUMMARY_ENTRIES, a->sum_entries);
	NLA_PUT_U32(msg, ADPROF_A_PROF_FLAGS, a->flags);
	return msg;

nla_put_failure:
	nlmsg_free(msg);
	return NULL;
}

/*
 * The socket that starts profiling owns the session and the kernel ends
 * it when that socket closes, so stay until told to stop.
 */
static int start_owned(struct adp_ctx *ctx, struct nl_msg *msg)
{
	int sig, ret = EXIT_FAILURE;
	struct adp_nl nl;
	sigset_t set;

	/* Blocked before starting, so that an early signal is not lost. */
	stop_signals(&set);
	if (adp_nl_open(&nl, ctx->cmd->name)) {
		nlmsg_free(msg);
		return EXIT_FAILURE;
	}
	if (!adp_request(&nl, msg, NULL, NULL)) {
		sigwait(&set, &sig);
		ret = EXIT_SUCCESS;
	}
	adp_nl_close(&nl);
	return ret;
}

int cmd_start(struct adp_ctx *ctx, int argc, char **argv)
{
	struct start_args a = {};
	struct nl_msg *msg;
	int ret;

	ret = start_parse(ctx, argc, argv, &a);
	if (ret)
		return ret;
	msg = start_msg(&a);
	if (!msg)
		return build_failed(ctx, NULL);
	if (a.flags & ADPROF_PROF_F_DETACH)
		return run(ctx, msg, NULL, NULL);
	return start_owned(ctx, msg);
}
