// SPDX-License-Identifier: GPL-2.0
/*
 * adprofctl: command line client of the adprof generic netlink family.
 * This file holds the command table, option handling and the helpers the
 * handlers in cmd_*.c share.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <linux/adprof.h>

#include "cmd.h"
#include "parse.h"

static int cmd_help(struct adp_ctx *ctx, int argc, char **argv);

static const struct adp_cmd cmds[] = {
	{ "assign", cmd_assign, "ID PCIADDR [--iommu]",
	  "Take a PCI device from the host and register it as ID.\n"
	  "PCIADDR is [DDDD:]BB:DD.F in hex; ID is a number >= 1.\n"
	  "  --iommu   a private IOMMU domain for the device's DMA (DEV_F_IOMMU):\n"
	  "            it reaches only what dma-map maps" },
	{ "deassign", cmd_deassign, "ID",
	  "Release device ID and give it back to the host as it was found." },
	{ "list", cmd_list, "[ID]",
	  "Show assigned devices, all or ID.\n"
	  "Address, vendor:device, IRQ routing, guest irq, INTx mask state,\n"
	  "MSI-X table and interrupt counts per host vector." },
	{ "irq", cmd_irq,
	  "ID [--deassign] host=intx|msi|msix guest=intx|msi|msix [--guest-irq N]",
	  "Route a device's host interrupts to a guest vector type.\n"
	  "With --deassign, release the sides named. Words may also be\n"
	  "comma-joined; a number is sent as raw ADPROF_IRQ_* flags." },
	{ "msix", cmd_msix, "ID nr N\nID entry E gsi G [entry E gsi G]...",
	  "Set up MSI-X routing.\n"
	  "nr sizes the table (N 1..255, once per assignment); entry routes\n"
	  "device MSI-X entry E to guest vector G. Several entries are sent\n"
	  "in order, one request each, up to the first one refused." },
	{ "ack", cmd_ack, "ID",
	  "End of interrupt for host INTx: unmask the line." },
	{ "watch-irq", cmd_watch_irq, "[-c COUNT] [-t SECONDS] [--latency]",
	  "Print IRQ events and DMA faults until COUNT events, SECONDS or a\n"
	  "signal, then a summary; --latency adds a histogram and p50/p99 of\n"
	  "the delay from the hard IRQ (or the fault report) to here." },
	{ "dma-map", cmd_dma_map,
	  "ID IOVA SIZE [--file PATH] [--read-only|--write-only] [-- COMMAND [ARGS]]",
	  "Map SIZE bytes of memory at IOVA in device ID's IOMMU domain.\n"
	  "The memory is PATH (a shared file, created or grown to SIZE, e.g.\n"
	  "under /dev/shm) or anonymous. The mapping lives as long as adprofctl:\n"
	  "until COMMAND exits, or SIGINT/SIGTERM/SIGHUP without one; COMMAND\n"
	  "gets ADPROF_DMA_IOVA and ADPROF_DMA_SIZE. SIZE takes K, M, G.\n"
	  "  --read-only   the device may only read the memory\n"
	  "  --write-only  the device may only write it (default: both)" },
	{ "dma-unmap", cmd_dma_unmap, "ID IOVA SIZE",
	  "Unmap the whole mappings between IOVA and IOVA + SIZE, whoever made them." },
	{ "dma-list", cmd_dma_list, "[ID]",
	  "Show the DMA mappings of all devices, or of ID: IOVA, size, the\n"
	  "owner's address, access, and the netlink port of the owner." },
	{ "info", cmd_info, "",
	  "Show profiler version, backends, state, backend in use and owner." },
	{ "start", cmd_start,
	  "[-b BACKEND] [-F HZ] [-C CPULIST] [-g] [--depth N] [--summary]\n"
	  "[--summary-entries N] [--buf-samples N] [--max-bufs N] [--detach]",
	  "Start sampling.\n"
	  "The session belongs to this process: it runs until SIGINT, SIGTERM\n"
	  "or SIGHUP, unless --detach leaves it running.\n"
	  "  -b BACKEND       " ADPROF_BACKEND_DEFAULT " (default), or cycles where a PMU exists\n"
	  "  -F HZ            samples per second per CPU, 1..100000 (default 1000)\n"
	  "  -C CPULIST       CPUs to sample, e.g. 0-3,5 or 0x2f (default all)\n"
	  "  -g, --call-graph each sample with its call stack: kernel (unwinder)\n"
	  "                   and user (frame pointers)\n"
	  "  --depth N        most return addresses a stack keeps, 1..127 (default\n"
	  "                   127); implies -g\n"
	  "  --summary        count samples in the kernel by pid and pc (and\n"
	  "                   stack); send counts each tick, not samples\n"
	  "  --summary-entries N  slots of each CPU's table, 16..65536;\n"
	  "                   implies --summary\n"
	  "  --buf-samples N  records per per-CPU buffer, 16..65536\n"
	  "  --max-bufs N     buffers the global list may hold, 1..1024 (default 100)\n"
	  "  --detach         the session outlives adprofctl; end it with stop" },
	{ "stop", cmd_stop, "", "Stop sampling (idempotent)." },
	{ "stat", cmd_stat, "", "Show profiler statistics, one 'name value' per line." },
	{ "clear", cmd_clear, "", "Drop unread buffers and zero the statistics." },
	{ "record", cmd_record,
	  "[-F HZ] [-d SECONDS] [-o FILE] [-b BACKEND] [-C CPULIST] [-g] [--depth N]\n"
	  "[--summary] [--summary-entries N] [--buf-samples N] [--max-bufs N]\n"
	  "[--irq] [-- COMMAND [ARGS]]",
	  "Record samples to a file (default adprof.data).\n"
	  "Starts a session owned by adprofctl and writes the samples group's\n"
	  "batches until -d SECONDS pass, COMMAND exits or SIGINT/SIGTERM/SIGHUP;\n"
	  "then stops, prints samples, loss and sequence gaps on stderr.\n"
	  "  -d SECONDS   how long (also 500ms, 2m)\n"
	  "  -o FILE      output file\n"
	  "  --irq        also the irq group's events, for report --timeline\n"
	  "               (needs CAP_NET_ADMIN)\n"
	  "  other options as for start" },
	{ "report", cmd_report,
	  "[--format text|json|folded|perf-data|pprof] [-o FILE] [--top N]\n"
	  "[--kallsyms FILE] [--no-children] [--callers FUNC] [--callees FUNC]\n"
	  "[--timeline [INTERVAL]] [FILE]",
	  "Summarize a recording (default adprof.data).\n"
	  "Totals, user/kernel split, top processes and functions; kernel\n"
	  "addresses named with /proc/kallsyms, user ones with the processes'\n"
	  "ELF symbols. With call stacks, functions show children (samples\n"
	  "with the function in their stack) and self, as perf report\n"
	  "--children. folded prints 'comm;function count' for flamegraph.pl,\n"
	  "or with call stacks 'comm;root;...;leaf count'. A count record\n"
	  "(--summary) weighs its count in every format. A truncated,\n"
	  "corrupted or foreign file is refused (exit 1).\n"
	  "  --top N          rows per table (default 10)\n"
	  "  --no-children    functions by self samples only\n"
	  "  --callers FUNC   who called FUNC, by samples\n"
	  "  --callees FUNC   what FUNC called, by samples\n"
	  "  --timeline [INTERVAL]  samples and interrupts per interval (1s)\n"
	  "  --format perf-data -o FILE  a perf.data file, for perf report -i\n"
	  "  --format pprof -o FILE      a gzipped profile.proto, for go tool pprof" },
	{ "help", cmd_help, "[COMMAND]", "Show the commands, or COMMAND's usage." },
};

static const struct adp_cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

static void print_usage(FILE *f, const struct adp_cmd *cmd)
{
	const char *prefix = "usage:", *u = cmd->usage, *end;

	do {
		end = u + strcspn(u, "\n");
		fprintf(f, "%s adprofctl %s%s%.*s\n", prefix, cmd->name,
			end == u ? "" : " ", (int)(end - u), u);
		prefix = "      ";
		u = end + 1;
	} while (*end);
}

static void print_cmd_help(const struct adp_cmd *cmd)
{
	print_usage(stdout, cmd);
	printf("\n%s\n", cmd->help);
}

static void print_synopsis(FILE *f)
{
	fputs("usage: adprofctl [-j] COMMAND [ARGS]\n"
	      "       adprofctl help COMMAND | adprofctl COMMAND --help\n", f);
}

static void print_global_help(void)
{
	size_t i;

	print_synopsis(stdout);
	fputs("  -j, --json   JSON output on stdout\n"
	      "  -h, --help   this help\n"
	      "commands:\n", stdout);
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		printf("  %-10s %.*s\n", cmds[i].name,
		       (int)strcspn(cmds[i].help, "\n"), cmds[i].help);
}

static int unknown_cmd(const char *name)
{
	fprintf(stderr, "adprofctl: unknown command '%s' (see adprofctl --help)\n",
		name);
	return EXIT_USAGE;
}

static int cmd_help(struct adp_ctx *ctx, int argc, char **argv)
{
	const struct adp_cmd *cmd;

	if (argc > 2)
		return usage_error(ctx);
	if (argc == 1) {
		print_global_help();
		return EXIT_SUCCESS;
	}
	cmd = find_cmd(argv[1]);
	if (!cmd)
		return unknown_cmd(argv[1]);
	print_cmd_help(cmd);
	return EXIT_SUCCESS;
}

/** usage_error() - print the subcommand's usage on stderr. Return: EXIT_USAGE */
int usage_error(struct adp_ctx *ctx)
{
	print_usage(stderr, ctx->cmd);
	return EXIT_USAGE;
}

/**
 * opt_error() - report what getopt_long() refused, with an optstring
 *		 starting with ':'
 * @ctx: context
 * @c: getopt_long()'s return, '?' or ':'
 * @argv: the handler's argv
 *
 * Return: EXIT_USAGE
 */
int opt_error(struct adp_ctx *ctx, int c, char **argv)
{
	if (c == ':')
		fprintf(stderr, "adprofctl: %s: option '%s' needs a value\n",
			ctx->cmd->name, argv[optind - 1]);
	else if (optopt)
		fprintf(stderr, "adprofctl: %s: unknown option '-%c'\n",
			ctx->cmd->name, optopt);
	else
		fprintf(stderr, "adprofctl: %s: unknown option '%s'\n",
			ctx->cmd->name, argv[optind - 1]);
	return usage_error(ctx);
}

/**
 * arg_error() - report an argument a parser refused
 * @ctx: context
 * @what: what the argument is, e.g. "PCI address"
 * @arg: the argument
 * @err: the parser's -EINVAL or -ERANGE
 *
 * Return: EXIT_USAGE
 */
int arg_error(struct adp_ctx *ctx, const char *what, const char *arg, int err)
{
	fprintf(stderr, "adprofctl: %s: bad %s '%s': %s\n", ctx->cmd->name,
		what, arg, err == -ERANGE ? "out of range" : "malformed");
	return EXIT_USAGE;
}

/**
 * arg_u32() - parse a number argument within bounds, reporting a refusal
 * @ctx: context
 * @what: what the argument is
 * @arg: the argument
 * @min: lowest accepted value
 * @max: highest accepted value
 * @out: result
 *
 * Return: 0 or EXIT_USAGE.
 */
int arg_u32(struct adp_ctx *ctx, const char *what, const char *arg,
	    uint32_t min, uint32_t max, uint32_t *out)
{
	int err = parse_u32(arg, min, max, out);

	if (err == -ERANGE) {
		fprintf(stderr, "adprofctl: %s: %s '%s' out of range %" PRIu32
			"..%" PRIu32 "\n", ctx->cmd->name, what, arg, min, max);
		return EXIT_USAGE;
	}
	return err ? arg_error(ctx, what, arg, err) : 0;
}

/** malformed() - report a reply missing @what. Return: -EPROTO */
int malformed(struct adp_ctx *ctx, const char *what)
{
	fprintf(stderr, "adprofctl: %s: malformed reply: %s\n", ctx->cmd->name,
		what);
	return -EPROTO;
}

/** build_failed() - free a request that could not be built. Return: EXIT_FAILURE */
int build_failed(struct adp_ctx *ctx, struct nl_msg *msg)
{
	if (msg)
		nlmsg_free(msg);
	fprintf(stderr, "adprofctl: %s: cannot build request: out of memory\n",
		ctx->cmd->name);
	return EXIT_FAILURE;
}

/**
 * list_item() - count an object of a listing about to be printed
 * @ctx: context
 * @n: objects printed so far, incremented
 *
 * In JSON a listing is one array, opened before its first object, so
 * that a listing refused before any prints nothing.
 */
void list_item(struct adp_ctx *ctx, unsigned int *n)
{
	if (ctx->json && !*n)
		json_open(ctx->json, NULL, '[');
	(*n)++;
}

/**
 * list_end() - end a listing of @n objects whose request ended with @ret
 * @ctx: context
 * @n: objects printed, each after list_item()
 * @ret: the request's exit code
 *
 * JSON: always an array, even empty, and closed if an error cut it.
 *
 * Return: @ret
 */
int list_end(struct adp_ctx *ctx, unsigned int n, int ret)
{
	if (ctx->json && (n || ret == EXIT_SUCCESS)) {
		if (!n)
			json_open(ctx->json, NULL, '[');
		json_close(ctx->json, ']');
	}
	return ret;
}

/**
 * stop_signals() - block the signals that end a command left running
 * @set: filled with them: SIGINT, SIGTERM and SIGHUP
 *
 * Blocked before the work starts, so that an early signal is not lost but
 * waits for sigwait() or a signalfd.
 */
void stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigprocmask(SIG_BLOCK, set, NULL);
}

/**
 * stop_signalfd() - block the stop signals and open a signalfd for them
 * @ctx: context
 * @set: filled with the signals, as by stop_signals()
 *
 * Return: the descriptor (close-on-exec), or -1 after saying why.
 */
int stop_signalfd(struct adp_ctx *ctx, sigset_t *set)
{
	int sfd;

	stop_signals(set);
	sfd = signalfd(-1, set, SFD_CLOEXEC);
	if (sfd < 0)
		fprintf(stderr, "adprofctl: %s: signalfd: %s\n", ctx->cmd->name,
			strerror(errno));
	return sfd;
}

/** run() - send @msg and wait for the answer. Return: the exit code */
int run(struct adp_ctx *ctx, struct nl_msg *msg, adp_reply_fn fn, void *arg)
{
	return adp_transact(ctx->cmd->name, msg, fn, arg) ?
	       EXIT_FAILURE : EXIT_SUCCESS;
}

/** run_dump() - dump all objects of @cmd (of @dev_id, unless 0). Return: the exit code */
int run_dump(struct adp_ctx *ctx, uint8_t cmd, uint32_t dev_id,
	     adp_reply_fn fn, void *arg)
{
	return adp_dump(ctx->cmd->name, cmd, dev_id, fn, arg) ?
	       EXIT_FAILURE : EXIT_SUCCESS;
}

static bool wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct adp_ctx ctx = {};
	struct json json;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json_init(&json, stdout);
			ctx.json = &json;
			break;
		case 'h':
			print_global_help();
			return EXIT_SUCCESS;
		default:
			if (optopt)
				fprintf(stderr, "adprofctl: unknown option '-%c'\n",
					optopt);
			else
				fprintf(stderr, "adprofctl: unknown option '%s'\n",
					argv[optind - 1]);
			print_synopsis(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (!argc) {
		print_synopsis(stderr);
		return EXIT_USAGE;
	}
	ctx.cmd = find_cmd(argv[0]);
	if (!ctx.cmd)
		return unknown_cmd(argv[0]);
	if (wants_help(argc, argv)) {
		print_cmd_help(ctx.cmd);
		return EXIT_SUCCESS;
	}
	optind = 0;	/* handlers getopt their own argv */
	return ctx.cmd->handler(&ctx, argc, argv);
}
