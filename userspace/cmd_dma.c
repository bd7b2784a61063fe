// SPDX-License-Identifier: GPL-2.0
/*
 * adprofctl DMA commands: dma-map, dma-unmap, dma-list.
 *
 * A mapping belongs to the netlink socket that made it and goes when the
 * socket closes, so dma-map keeps its socket, and the mapping, for as
 * long as it runs: until COMMAND exits, or until a signal without one.
 * The memory is a file mapped shared (e.g. under /dev/shm, so that other
 * programs see what the device wrote), or anonymous memory of its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/adprof.h>
#include <netlink/attr.h>
#include <netlink/netlink.h>

#include "cmd.h"
#include "parse.h"

static int arg_u64(struct adp_ctx *ctx, const char *what, const char *arg,
		   uint64_t *out)
{
	int err = parse_size(arg, out);

	return err ? arg_error(ctx, what, arg, err) : 0;
}

static const char *access_name(uint32_t flags)
{
	switch (flags & ADPROF_DMA_F_ALL) {
	case ADPROF_DMA_F_READ:
		return "read";
	case ADPROF_DMA_F_WRITE:
		return "write";
	default:
		return "read,write";
	}
}

/* The memory to map: @path mapped shared, grown to @size, or anonymous. */
static void *dma_memory(struct adp_ctx *ctx, const char *path, uint64_t size,
			int *fdp)
{
	struct stat st;
	void *p;
	int fd;

	*fdp = -1;
	if (size > SIZE_MAX) {
		fprintf(stderr, "adprofctl: %s: size too large\n", ctx->cmd->name);
		return NULL;
	}
	if (!path) {
		p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED)
			return p;
		fprintf(stderr, "adprofctl: %s: mmap: %s\n", ctx->cmd->name,
			strerror(errno));
		return NULL;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || fstat(fd, &st) ||
	    ((uint64_t)st.st_size < size && ftruncate(fd, size))) {
		fprintf(stderr, "adprofctl: %s: %s: %s\n", ctx->cmd->name, path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "adprofctl: %s: mmap %s: %s\n", ctx->cmd->name,
			path, strerror(errno));
		close(fd);
		return NULL;
	}
	*fdp = fd;
	return p;
}

static void print_mapping(struct adp_ctx *ctx, uint32_t id, uint64_t iova,
			  uint64_t size, uint64_t vaddr, uint32_t flags,
			  const uint32_t *owner)
{
	struct json *j = ctx->json;

	if (j) {
		json_open(j, NULL, '{');
		json_u64(j, "dev_id", id);
		json_u64(j, "iova", iova);
		json_u64(j, "size", size);
		json_u64(j, "vaddr", vaddr);
		json_bool(j, "read", flags & ADPROF_DMA_F_READ);
		json_bool(j, "write", flags & ADPROF_DMA_F_WRITE);
		if (owner)
			json_u64(j, "owner", *owner);
		json_close(j, '}');
		return;
	}
	printf("%" PRIu32 " iova 0x%" PRIx64 " size %" PRIu64 " vaddr 0x%" PRIx64
	       " access %s", id, iova, size, vaddr, access_name(flags));
	if (owner)
		printf(" owner %" PRIu32, *owner);
	putchar('\n');
}

/* Run @argv with the mapping in its environment; its exit code. */
static int run_command(struct adp_ctx *ctx, char **argv, const sigset_t *set,
		       uint64_t iova, uint64_t size)
{
	char buf[32];
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "adprofctl: %s: fork: %s\n", ctx->cmd->name,
			strerror(errno));
		return EXIT_FAILURE;
	}
	if (!pid) {
		sigprocmask(SIG_UNBLOCK, set, NULL);
		snprintf(buf, sizeof(buf), "0x%" PRIx64, iova);
		setenv("ADPROF_DMA_IOVA", buf, 1);
		snprintf(buf, sizeof(buf), "%" PRIu64, size);
		setenv("ADPROF_DMA_SIZE", buf, 1);
		execvp(argv[0], argv);
		fprintf(stderr, "adprofctl: %s: %s: %s\n", ctx->cmd->name,
			argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return EXIT_FAILURE;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

static int dma_range_msg(struct nl_msg **msgp, uint8_t cmd, uint32_t id,
			 uint64_t iova, uint64_t size)
{
	struct nl_msg *msg = adp_msg_new(cmd, 0);

	*msgp = msg;
	if (!msg)
		return -ENOMEM;
	NLA_PUT_U32(msg, ADPROF_A_DEV_ID, id);
	NLA_PUT_U64(msg, ADPROF_A_IOVA, iova);
	NLA_PUT_U64(msg, ADPROF_A_SIZE, size);
	return 0;

nla_put_failure:
	return -EMSGSIZE;
}

int cmd_dma_map(struct adp_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "read-only", no_argument, NULL, 'r' },
		{ "write-only", no_argument, NULL, 'w' },
		{}
	};
	uint32_t id, flags = ADPROF_DMA_F_ALL;
	uint64_t iova, size;
	const char *path = NULL;
	struct nl_msg *msg;
	struct adp_nl nl;
	struct pollfd pfd;
	sigset_t set;
	int c, dd, fd, sfd, ret, ret2;
	void *mem;

	/* Options anywhere before "--"; what follows it is COMMAND's. */
	for (dd = 1; dd < argc && strcmp(argv[dd], "--"); dd++)
		;
	while ((c = getopt_long(dd, argv, ":f:", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			path = optarg;
			break;
		case 'r':
			flags = ADPROF_DMA_F_READ;
			break;
		case 'w':
			flags = ADPROF_DMA_F_WRITE;
			break;
		default:
			return opt_error(ctx, c, argv);
		}
	}
	if (dd - optind != 3 || (dd < argc && dd + 1 == argc))
		return usage_error(ctx);
	ret = arg_dev_id(ctx, argv[optind], &id);
	if (!ret)
		ret = arg_u64(ctx, "IOVA", argv[optind + 1], &iova);
	if (!ret)
		ret = arg_u64(ctx, "size", argv[optind + 2], &size);
	if (ret)
		return ret;
	if (!size)
		return arg_error(ctx, "size", argv[optind + 2], -ERANGE);
	optind = dd + 1;	/* COMMAND, if any */

	mem = dma_memory(ctx, path, size, &fd);
	if (!mem)
		return EXIT_FAILURE;
	ret = EXIT_FAILURE;
	sfd = stop_signalfd(ctx, &set);
	if (sfd < 0)
		goto out_unmap_mem;
	if (adp_nl_open(&nl, ctx->cmd->name))
		goto out_close_sfd;
	/* COMMAND must not keep the socket, nor so the mapping, open. */
	fcntl(nl_socket_get_fd(nl.sk), F_SETFD, FD_CLOEXEC);

	if (dma_range_msg(&msg, ADPROF_CMD_DMA_MAP, id, iova, size) ||
	    nla_put_u64(msg, ADPROF_A_VADDR, (uintptr_t)mem) ||
	    nla_put_u32(msg, ADPROF_A_DMA_FLAGS, flags)) {
		build_failed(ctx, msg);
		goto out_close_nl;
	}
	if (adp_request(&nl, msg, NULL, NULL))
		goto out_close_nl;
	print_mapping(ctx, id, iova, size, (uintptr_t)mem, flags, NULL);
	fflush(stdout);

	if (optind < argc) {
		ret = run_command(ctx, argv + optind, &set, iova, size);
	} else {
		pfd.fd = sfd;
		pfd.events = POLLIN;
		while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
			;
		ret = EXIT_SUCCESS;
	}

	/* Closing the socket would unmap it too; say if unmapping fails. */
	if (dma_range_msg(&msg, ADPROF_CMD_DMA_UNMAP, id, iova, size)) {
		ret2 = build_failed(ctx, msg);
	} else {
		ret2 = adp_request(&nl, msg, NULL, NULL) ? EXIT_FAILURE : 0;
	}
	if (!ret)
		ret = ret2;
out_close_nl:
	adp_nl_close(&nl);
out_close_sfd:
	close(sfd);
out_unmap_mem:
	munmap(mem, size);
	if (fd >= 0)
		close(fd);
	return ret;
}

int cmd_dma_unmap(struct adp_ctx *ctx, int argc, char **argv)
{
	struct nl_msg *msg;
	uint64_t iova, size;
	uint32_t id;
	int ret;

	if (argc != 4)
		return usage_error(ctx);
	ret = arg_dev_id(ctx, argv[1], &id);
	if (!ret)
		ret = arg_u64(ctx, "IOVA", argv[2], &iova);
	if (!ret)
		ret = arg_u64(ctx, "size", argv[3], &size);
	if (ret)
		return ret;
	if (dma_range_msg(&msg, ADPROF_CMD_DMA_UNMAP, id, iova, size))
		return build_failed(ctx, msg);
	return run(ctx, msg, NULL, NULL);
}

struct dma_list_state {
	struct adp_ctx *ctx;
	unsigned int maps;
};

static int dma_list_reply(struct nlattr **tb, void *arg)
{
	struct dma_list_state *ls = arg;
	uint32_t owner;

	if (!tb[ADPROF_A_DEV_ID] || !tb[ADPROF_A_IOVA] || !tb[ADPROF_A_SIZE] ||
	    !tb[ADPROF_A_VADDR] || !tb[ADPROF_A_DMA_FLAGS] || !tb[ADPROF_A_OWNER])
		return malformed(ls->ctx, "mapping without its range, access or owner");
	list_item(ls->ctx, &ls->maps);
	owner = nla_get_u32(tb[ADPROF_A_OWNER]);
	print_mapping(ls->ctx, nla_get_u32(tb[ADPROF_A_DEV_ID]),
		      nla_get_u64(tb[ADPROF_A_IOVA]), nla_get_u64(tb[ADPROF_A_SIZE]),
		      nla_get_u64(tb[ADPROF_A_VADDR]),
		      nla_get_u32(tb[ADPROF_A_DMA_FLAGS]), &owner);
	return 0;
}

int cmd_dma_list(struct adp_ctx *ctx, int argc, char **argv)
{
	struct dma_list_state ls = { .ctx = ctx };
	uint32_t id = 0;
	int ret;

	if (argc > 2)
		return usage_error(ctx);
	if (argc == 2) {
		ret = arg_dev_id(ctx, argv[1], &id);
		if (ret)
			return ret;
	}
	ret = run_dump(ctx, ADPROF_CMD_DMA_GET, id, dma_list_reply, &ls);
	return list_end(ctx, ls.maps, ret);
}
