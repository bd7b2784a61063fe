// SPDX-License-Identifier: GPL-2.0
/*
 * failnth: systematic fault injection into one adprof command, as
 * syzkaller does with /proc/thread-self/fail-nth
 * (Documentation/fault-injection/fault-injection.rst): for N = 1, 2, ...
 * the Nth fault-injection point (slab or page allocation) of the command's
 * sendmsg fails, until the command succeeds without the fault having been
 * consumed. The socket is opened and the family resolved first, and the
 * counter is armed right before the command's sendmsg (genl's doit runs
 * in the sender's context) and read back and disarmed right after it, so
 * that nothing else of this process takes a count. A dump keeps it armed
 * over the recvmsg calls that fill its later parts.
 *
 * usage: failnth [options] -- CMD [ATTR=TYPE:VALUE ...] [--dump]
 *   --label TEXT     the name the summary gives the command
 *   --pre REQ        a request sent once before, which must succeed
 *   --undo REQ       sent after each success, which must succeed; several
 *                    run in order
 *   --post REQ       sent once at the end
 *   --undo-changes   the undo does not restore every counter (PROF_STOP
 *                    leaves the session's statistics): take the state
 *                    again after it instead of comparing
 *   --state REQ      a request (a dump, usually) whose replies are part of
 *                    the state that a failed call must leave as it was
 *   --file PATH      a file (a symlink: its target; a directory: its
 *                    names) that is part of that state; "absent" if none
 *   --dir PATH       a directory's entries, none if it is absent (msi_irqs,
 *                    which the PCI core keeps, empty, once made)
 *   --irqs           the /proc/interrupts lines naming adprof, counts left
 *                    out
 *   --vmpin          this process's VmPin (pages it has pinned)
 *   --max N          give up after N points (default 5000)
 *   --clean          no fault injection (a kernel without fail-nth): the
 *                    clean call, its undo and the state checks only
 * REQ is one argument: "CMD ATTR=TYPE:VALUE ... [--dump]" (commas may stand
 * for the spaces), TYPE one of u8
 * u16 u32 u64 str flag; VALUE "@buf" is the address of a page-aligned
 * 64 KiB buffer of this process (for DMA_MAP's VADDR).
 *
 * A fault may hit the netlink core instead of adprof: the request's skb
 * (sendmsg fails), genl's attribute array (ENOMEM before any handler),
 * a dump's skb (ENOBUFS) or the ack's skb (the ack is lost: recvmsg says
 * ENOBUFS). The first two are told apart from adprof's own failures by a
 * probe: the same request with an attribute the policy refuses, faulted
 * the same way, shows which points come before the family's code (give
 * or take a slab refill: CORE_SLACK).
 * Every other failure must come with an extended ack message.
 *
 * Checks, for each N: a failed call leaves the state as it was; a call
 * the fault did not fail succeeds, and its undo works (and restores the
 * state); the clean call at the end succeeds. Prints one line
 *   failnth: LABEL points=P adprof=A core=C absorbed=S
 * (P fault points survived, A of them failing in adprof with a message, C
 * in the netlink core, S absorbed: the call succeeded regardless) and a
 * "problem:" line for each failed check. Exit 0 with no problem, 1 with
 * one, 2 on a local error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <linux/adprof.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "adprof_names.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif
#define X_ERR_MSG 1	/* NLMSGERR_ATTR_MSG */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MSG_MAX 4096
#define RCV_MAX (256 * 1024)
#define MAX_REQS 8

struct req {
	unsigned char b[MSG_MAX];
	size_t len;
	bool dump;
	const char *text;
};

enum outcome {
	RES_OK,		/* ack (or dump done) without error */
	RES_REFUSED,		/* the kernel refused: errno, maybe a message */
	RES_SEND,		/* sendmsg itself failed */
	RES_ACKLOST,	/* recvmsg: ENOBUFS, the ack skb could not be allocated */
};

struct result {
	enum outcome kind;
	int err;
	char msg[256];
	bool consumed;	/* the armed fault was injected */
	bool dump_enobufs; /* a later dump part failed in the core */
};

static int fd, family, nth_fd = -1;
static uint32_t seq = 1;
static bool verbose;
static char dma_buf[65536] __attribute__((aligned(4096)));
static unsigned char rbuf[RCV_MAX];

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("failnth: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static int lookup(const char *s, const char *const *names, size_t n)
{
	char *end;
	unsigned long v;
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(s, names[i]))
			return i;
	v = strtoul(s, &end, 0);
	if (*s && !*end && v < 0x4000)
		return v;
	die("unknown name %s", s);
}

static void *put(struct req *r, size_t n)
{
	void *p;

	if (r->len + NLMSG_ALIGN(n) > MSG_MAX)
		die("request too long");
	p = r->b + r->len;
	memset(p, 0, NLMSG_ALIGN(n));
	r->len += NLMSG_ALIGN(n);
	return p;
}

static void put_attr(struct req *r, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = put(r, NLA_HDRLEN + len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
}

static void req_begin(struct req *r, int fam, int cmd, uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	r->len = 0;
	nlh = put(r, NLMSG_HDRLEN);
	nlh->nlmsg_type = fam;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	g = put(r, GENL_HDRLEN);
	g->cmd = cmd;
	g->version = ADPROF_GENL_VERSION;
}

/* "CMD ATTR=TYPE:VALUE ... [--dump]", words apart by spaces or commas */
static void req_parse(struct req *r, const char *text)
{
	char *s = strdup(text), *tok, *save = NULL;
	int cmd = -1;

	r->text = text;
	r->dump = false;
	for (tok = strtok_r(s, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
		char *eq, *colon, *val;
		uint64_t v;
		int type;

		if (cmd < 0) {
			cmd = lookup(tok, cmd_names, ARRAY_SIZE(cmd_names));
			req_begin(r, family, cmd, 0);
			continue;
		}
		if (!strcmp(tok, "--dump")) {
			r->dump = true;
			continue;
		}
		eq = strchr(tok, '=');
		colon = eq ? strchr(eq, ':') : NULL;
		if (!eq)
			die("bad attribute %s", tok);
		*eq = 0;
		type = lookup(tok, attr_names, ARRAY_SIZE(attr_names));
		val = colon ? colon + 1 : (char *)"";
		if (colon)
			*colon = 0;
		v = !strcmp(val, "@buf") ? (uintptr_t)dma_buf : strtoull(val, NULL, 0);
		if (!strcmp(eq + 1, "u8")) {
			uint8_t x = v;

			put_attr(r, type, &x, 1);
		} else if (!strcmp(eq + 1, "u16")) {
			uint16_t x = v;

			put_attr(r, type, &x, 2);
		} else if (!strcmp(eq + 1, "u32")) {
			uint32_t x = v;

			put_attr(r, type, &x, 4);
		} else if (!strcmp(eq + 1, "u64")) {
			put_attr(r, type, &v, 8);
		} else if (!strcmp(eq + 1, "str")) {
			put_attr(r, type, val, strlen(val) + 1);
		} else if (!strcmp(eq + 1, "flag")) {
			put_attr(r, type, NULL, 0);
		} else {
			die("bad type %s", eq + 1);
		}
	}
	if (cmd < 0)
		die("empty request");
	if (r->dump)
		((struct nlmsghdr *)r->b)->nlmsg_flags |= NLM_F_DUMP;
	free(s);
}

/* ---- fail-nth -------------------------------------------------------- */

static void nth_set(unsigned int n)
{
	char b[16];
	int len = snprintf(b, sizeof(b), "%u", n);

	if (pwrite(nth_fd, b, len, 0) != len)
		die("writing fail-nth: %s", strerror(errno));
}

static unsigned int nth_get(void)
{
	char b[16] = "";

	if (pread(nth_fd, b, sizeof(b) - 1, 0) <= 0)
		die("reading fail-nth: %s", strerror(errno));
	return strtoul(b, NULL, 10);
}

/* ---- one request ----------------------------------------------------- */

/* The extended ack's message: after struct nlmsgerr, or a DONE's errno. */
static void ext_msg(const struct nlmsghdr *nlh, struct result *res)
{
	size_t off = NLMSG_HDRLEN + (nlh->nlmsg_type == NLMSG_ERROR ?
				     sizeof(struct nlmsgerr) : sizeof(int));
	const struct nlattr *a;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	/* NETLINK_CAP_ACK: the request is not echoed back. */
	while (off + NLA_HDRLEN <= nlh->nlmsg_len) {
		a = (const void *)((const char *)nlh + off);
		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > nlh->nlmsg_len)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == X_ERR_MSG)
			snprintf(res->msg, sizeof(res->msg), "%.*s",
				 (int)(a->nla_len - NLA_HDRLEN), (const char *)(a + 1));
		off += NLA_ALIGN(a->nla_len);
	}
}

/*
 * Send @r with the Nth fault point armed (0: none); replies go to @out
 * (each message's genl payload, one hex line a message) if not NULL.
 */
static void transact(const struct req *r, unsigned int n, struct result *res,
		     FILE *out)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)r->b;
	bool done = false;
	ssize_t len;

	memset(res, 0, sizeof(*res));
	nlh->nlmsg_len = r->len;
	nlh->nlmsg_seq = ++seq;
	if (n)
		nth_set(n);
	len = send(fd, r->b, r->len, 0);
	if (n && !r->dump) {
		res->consumed = nth_get() == 0;
		nth_set(0);
	}
	if (len < 0) {
		res->kind = RES_SEND;
		res->err = errno;
		goto out;
	}
	while (!done) {
		len = recv(fd, rbuf, sizeof(rbuf), 0);
		if (len < 0) {
			if (errno == ENOBUFS && r->dump) {
				/* A later part's skb; the next recv goes on. */
				res->dump_enobufs = true;
				continue;
			}
			/* No ack, or a dump's end lost after ENOBUFS. */
			if (errno == ENOBUFS || (errno == EAGAIN && res->dump_enobufs)) {
				res->kind = RES_ACKLOST;
				res->err = errno;
				goto out;
			}
			die("recv: %s (after %s)", strerror(errno), r->text);
		}
		for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, (size_t)len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR || nlh->nlmsg_type == NLMSG_DONE) {
				int err;

				if (nlh->nlmsg_type == NLMSG_ERROR)
					err = ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
				else
					err = *(int *)NLMSG_DATA(nlh);
				if (err) {
					res->kind = RES_REFUSED;
					res->err = -err;
					ext_msg(nlh, res);
				}
				/* A dump's DONE is followed by no ack. */
				done = true;
				break;
			}
			if (out) {
				const unsigned char *p = NLMSG_DATA(nlh);
				size_t i;

				for (i = 0; i < nlh->nlmsg_len - NLMSG_HDRLEN; i++)
					fprintf(out, "%02x", p[i]);
				fputc('\n', out);
			}
		}
	}
out:
	if (n && r->dump) {
		res->consumed = nth_get() == 0;
		nth_set(0);
	}
}

static const char *describe(const struct result *res)
{
	static char b[400];

	switch (res->kind) {
	case RES_OK:
		snprintf(b, sizeof(b), "ok");
		break;
	case RES_REFUSED:
		snprintf(b, sizeof(b), "%s, message \"%s\"", strerror(res->err), res->msg);
		break;
	case RES_SEND:
		snprintf(b, sizeof(b), "sendmsg: %s", strerror(res->err));
		break;
	case RES_ACKLOST:
		snprintf(b, sizeof(b), "ack lost (recvmsg: %s)", strerror(res->err));
		break;
	}
	return b;
}

/* ---- state ----------------------------------------------------------- */

static struct req state_reqs[MAX_REQS];
static int n_state_reqs;
static const char *state_files[32];
static int n_state_files;
static const char *state_dirs[8];
static int n_state_dirs;
static bool state_irqs, state_vmpin;

static void snap_file(FILE *out, const char *path)
{
	char buf[4096];
	struct stat st;
	ssize_t n;
	FILE *f;

	fprintf(out, "== %s\n", path);
	if (lstat(path, &st)) {
		fprintf(out, "absent\n");
	} else if (S_ISLNK(st.st_mode)) {
		n = readlink(path, buf, sizeof(buf) - 1);
		buf[n < 0 ? 0 : n] = 0;
		fprintf(out, "-> %s\n", buf);
	} else if (S_ISDIR(st.st_mode)) {
		struct dirent *d;
		DIR *dir = opendir(path);

		while (dir && (d = readdir(dir)))
			if (d->d_name[0] != '.')
				fprintf(out, "%s\n", d->d_name);
		if (dir)
			closedir(dir);
	} else if ((f = fopen(path, "r"))) {
		size_t m;

		while ((m = fread(buf, 1, sizeof(buf), f)) > 0) {
			size_t i;

			for (i = 0; i < m; i++) {
				/* binary files (config space) as hex */
				if ((buf[i] < 32 && buf[i] != '\n' && buf[i] != '\t') ||
				    (unsigned char)buf[i] > 126)
					fprintf(out, "\\x%02x", (unsigned char)buf[i]);
				else
					fputc(buf[i], out);
			}
		}
		fclose(f);
		fputc('\n', out);
	} else {
		fprintf(out, "unreadable\n");
	}
}

/* The state a failed call must leave as it was, as text. */
static char *snapshot(void)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	struct result res;
	int i;

	for (i = 0; i < n_state_reqs; i++) {
		fprintf(out, "== %s\n", state_reqs[i].text);
		transact(&state_reqs[i], 0, &res, out);
		if (res.kind != RES_OK)
			fprintf(out, "%s\n", describe(&res));
	}
	for (i = 0; i < n_state_files; i++)
		snap_file(out, state_files[i]);
	for (i = 0; i < n_state_dirs; i++) {
		DIR *dir = opendir(state_dirs[i]);
		struct dirent *d;

		fprintf(out, "== %s\n", state_dirs[i]);
		while (dir && (d = readdir(dir)))
			if (d->d_name[0] != '.')
				fprintf(out, "%s\n", d->d_name);
		if (dir)
			closedir(dir);
	}
	if (state_irqs) {
		char line[1024];
		FILE *f = fopen("/proc/interrupts", "r");

		fprintf(out, "== /proc/interrupts\n");
		while (f && fgets(line, sizeof(line), f)) {
			char *tok, *save = NULL;

			if (!strstr(line, "adprof"))
				continue;
			for (tok = strtok_r(line, " \n", &save); tok;
			     tok = strtok_r(NULL, " \n", &save))
				if (strspn(tok, "0123456789") != strlen(tok))
					fprintf(out, "%s ", tok);
			fputc('\n', out);
		}
		if (f)
			fclose(f);
	}
	if (state_vmpin) {
		char line[256];
		FILE *f = fopen("/proc/self/status", "r");

		while (f && fgets(line, sizeof(line), f))
			if (!strncmp(line, "VmPin:", 6))
				fputs(line, out);
		if (f)
			fclose(f);
	}
	fclose(out);
	return text;
}

static int problems;

static void __attribute__((format(printf, 1, 2))) problem(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("problem: ");
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	problems++;
}

/* The next "== NAME" section of a snapshot: its length. */
static size_t section(const char *p)
{
	const char *q = p;

	do {
		q = strchr(q, '\n');
		q = q ? q + 1 : p + strlen(p);
	} while (*q && strncmp(q, "== ", 3));
	return q - p;
}

/* Print the sections two snapshots differ in, shortened. */
static void state_diff(const char *a, const char *b)
{
	while (*a && *b) {
		size_t la = section(a), lb = section(b);

		if (la != lb || memcmp(a, b, la)) {
			size_t h = strcspn(a, "\n") + 1;

			printf("#   %.*s\n#   was: %.*s\n#   now: %.*s\n",
			       (int)h - 1, a,
			       (int)(la - h > 400 ? 400 : la - h), a + h,
			       (int)(lb - h > 400 ? 400 : lb - h), b + h);
		}
		a += la;
		b += lb;
	}
}

static bool state_same(const char *before, const char *what, unsigned int n)
{
	char *now = snapshot();
	bool same = !strcmp(before, now);

	if (!same) {
		problem("N=%u: %s changed the state", n, what);
		state_diff(before, now);
	}
	free(now);
	return same;
}

/* ---- main ------------------------------------------------------------ */

static int resolve(const char *name)
{
	struct req r;
	struct nlmsghdr *nlh;
	ssize_t len;
	int id = -1;

	req_begin(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1);
	((struct genlmsghdr *)(r.b + NLMSG_HDRLEN))->version = 1;
	nlh = (struct nlmsghdr *)r.b;
	nlh->nlmsg_len = r.len;
	nlh->nlmsg_seq = ++seq;
	if (send(fd, r.b, r.len, 0) < 0)
		die("send: %s", strerror(errno));
	while (1) {
		len = recv(fd, rbuf, sizeof(rbuf), 0);
		if (len < 0)
			die("recv: %s", strerror(errno));
		for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, (size_t)len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				int err = ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;

				if (err)
					die("family %s: %s", name, strerror(-err));
				return id;
			}
			if (nlh->nlmsg_type == GENL_ID_CTRL) {
				size_t off = NLMSG_HDRLEN + GENL_HDRLEN;

				while (off + NLA_HDRLEN <= nlh->nlmsg_len) {
					struct nlattr *a = (void *)((char *)nlh + off);

					if (a->nla_len < NLA_HDRLEN)
						break;
					if (a->nla_type == CTRL_ATTR_FAMILY_ID)
						id = *(uint16_t *)(a + 1);
					off += NLA_ALIGN(a->nla_len);
				}
			}
		}
	}
}

static void must(const struct req *r, const char *why)
{
	struct result res;

	transact(r, 0, &res, NULL);
	if (res.kind != RES_OK)
		die("%s \"%s\": %s", why, r->text, describe(&res));
}

static void undo_all(struct req *undo, int n_undo, unsigned int n)
{
	struct result res;
	int i;

	for (i = 0; i < n_undo; i++) {
		transact(&undo[i], 0, &res, NULL);
		if (res.kind != RES_OK)
			problem("N=%u: undo \"%s\": %s", n, undo[i].text, describe(&res));
	}
}

/*
 * A slab refill's page allocation comes before one of the request's own
 * allocations now and then, so the points before adprof's code are not
 * always the same number: genl's attribute array may come up to this
 * many points after where the probe found it.
 */
#define CORE_SLACK 2

/*
 * The points before the family's code: the request with an attribute
 * beyond the family's maximum, which genl's parse refuses right after
 * allocating the attribute array. The highest N that fails it before that
 * refusal (sendmsg, or ENOMEM with no message) is the last point before
 * adprof's code.
 */
static unsigned int probe_core(const struct req *r, unsigned int max)
{
	struct req p = *r;
	struct result res;
	unsigned int n, last = 0;
	uint32_t zero = 0;

	put_attr(&p, ADPROF_A_MAX + 1, &zero, sizeof(zero));
	p.text = "probe";
	for (n = 1; n <= max; n++) {
		transact(&p, n, &res, NULL);
		if (res.kind == RES_SEND || (res.kind == RES_REFUSED && !res.msg[0]))
			last = n;
		if (!res.consumed)
			break;
	}
	if (res.kind != RES_REFUSED || !res.msg[0])
		die("the probe was not refused by the policy: %s", describe(&res));
	return last;
}

int main(int argc, char **argv)
{
	struct req cmd, pre[MAX_REQS], undo[MAX_REQS], post[MAX_REQS];
	int n_pre = 0, n_undo = 0, n_post = 0, i;
	unsigned int n, max = 5000, core_pre = 0;
	unsigned int n_adprof = 0, n_core = 0, n_absorbed = 0, points = 0;
	bool clean = false, undo_changes = false, finished = false;
	const char *label = NULL;
	const char *pre_t[MAX_REQS], *undo_t[MAX_REQS], *post_t[MAX_REQS];
	const char *state_t[MAX_REQS];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 30 };
	int one = 1, rcv = 1 << 20;
	char *before;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

#define NEXT() (i + 1 < argc ? argv[++i] : (die("%s needs a value", a), ""))
		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "--label")) {
			label = NEXT();
		} else if (!strcmp(a, "--pre") && n_pre < MAX_REQS) {
			pre_t[n_pre++] = NEXT();
		} else if (!strcmp(a, "--undo") && n_undo < MAX_REQS) {
			undo_t[n_undo++] = NEXT();
		} else if (!strcmp(a, "--post") && n_post < MAX_REQS) {
			post_t[n_post++] = NEXT();
		} else if (!strcmp(a, "--state") && n_state_reqs < MAX_REQS) {
			state_t[n_state_reqs++] = NEXT();
		} else if (!strcmp(a, "--file") && n_state_files < (int)ARRAY_SIZE(state_files)) {
			state_files[n_state_files++] = NEXT();
		} else if (!strcmp(a, "--dir") && n_state_dirs < (int)ARRAY_SIZE(state_dirs)) {
			state_dirs[n_state_dirs++] = NEXT();
		} else if (!strcmp(a, "--irqs")) {
			state_irqs = true;
		} else if (!strcmp(a, "--vmpin")) {
			state_vmpin = true;
		} else if (!strcmp(a, "--undo-changes")) {
			undo_changes = true;
		} else if (!strcmp(a, "--max")) {
			max = strtoul(NEXT(), NULL, 0);
		} else if (!strcmp(a, "--clean")) {
			clean = true;
		} else if (!strcmp(a, "-v")) {
			verbose = true;
		} else {
			die("unknown option %s (usage: see tests/tools/failnth.c)", a);
		}
#undef NEXT
	}
	if (i >= argc)
		die("no command");

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("netlink socket: %s", strerror(errno));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	family = resolve(ADPROF_GENL_NAME);
	if (family < 0)
		die("no family %s", ADPROF_GENL_NAME);

	/* The command: the rest of the arguments, one word each. */
	{
		size_t len = 0;
		char *text;
		int j;

		for (j = i; j < argc; j++)
			len += strlen(argv[j]) + 1;
		text = calloc(1, len + 1);
		for (j = i; j < argc; j++) {
			strcat(text, argv[j]);
			if (j + 1 < argc)
				strcat(text, " ");
		}
		req_parse(&cmd, text);
	}
	if (!label)
		label = cmd.text;
	for (i = 0; i < n_pre; i++)
		req_parse(&pre[i], pre_t[i]);
	for (i = 0; i < n_undo; i++)
		req_parse(&undo[i], undo_t[i]);
	for (i = 0; i < n_post; i++)
		req_parse(&post[i], post_t[i]);
	for (i = 0; i < n_state_reqs; i++)
		req_parse(&state_reqs[i], state_t[i]);

	if (!clean) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/thread-self/fail-nth");
		nth_fd = open(path, O_RDWR | O_CLOEXEC);
		if (nth_fd < 0)
			die("%s: %s (a kernel without CONFIG_FAULT_INJECTION_DEBUG_FS: --clean)",
			    path, strerror(errno));
	}

	for (i = 0; i < n_pre; i++)
		must(&pre[i], "--pre");
	before = snapshot();
	/* A dump's start is genl's and netlink's: no probe (see below). */
	if (!clean && !cmd.dump)
		core_pre = probe_core(&cmd, max);
	if (verbose)
		printf("# points before adprof's code: %u\n", core_pre);

	for (n = clean ? 0 : 1; n <= max; n++) {
		struct result res;

		transact(&cmd, n, &res, NULL);
		if (verbose)
			printf("# N=%u: %s%s\n", n, describe(&res),
			       res.consumed ? "" : " (not injected)");
		if (!clean && !res.consumed) {
			/* The clean call: past the command's last point. */
			if (res.kind != RES_OK) {
				problem("N=%u: the call with no fault injected: %s", n,
					describe(&res));
				break;
			}
			finished = true;
			points = n - 1;
			break;
		}
		if (clean) {
			if (res.kind != RES_OK) {
				problem("the clean call: %s", describe(&res));
				break;
			}
			finished = true;
			break;
		}
		switch (res.kind) {
		case RES_OK:
			/*
			 * The fault hit something that copes: kmemleak's own
			 * metadata, a dump part retried by the next recvmsg.
			 */
			if (res.dump_enobufs)
				n_core++;
			else
				n_absorbed++;
			undo_all(undo, n_undo, n);
			if (undo_changes) {
				free(before);
				before = snapshot();
			} else if (!state_same(before, "the call and its undo", n)) {
				goto out;
			}
			break;
		case RES_SEND:
			n_core++;
			if (!state_same(before, "a request that never reached the kernel", n))
				goto out;
			break;
		case RES_ACKLOST:
			/* Done or not: as it was, or as a success would leave it. */
			n_core++;
			{
				char *now = snapshot();

				if (strcmp(now, before)) {
					undo_all(undo, n_undo, n);
					if (undo_changes) {
						free(before);
						before = snapshot();
					} else if (!state_same(before, "a call whose ack was lost, undone,", n)) {
						free(now);
						goto out;
					}
				}
				free(now);
			}
			break;
		case RES_REFUSED:
			if (!res.msg[0] && res.err == ENOMEM && n <= core_pre + CORE_SLACK) {
				n_core++;	/* genl's attribute array */
			} else if (!res.msg[0] && (res.err == ENOBUFS || res.err == ENOMEM) &&
				   cmd.dump) {
				/*
				 * genl_start()'s allocations, or the dump's
				 * skb; adprof's dumpit allocates nothing.
				 */
				n_core++;
			} else if (!res.msg[0]) {
				problem("N=%u: failed with no message: %s", n, describe(&res));
				n_adprof++;
			} else {
				n_adprof++;
			}
			if (!state_same(before, "a failed call", n))
				goto out;
			break;
		}
	}
	if (!finished && !problems)
		problem("still failing after %u points", max);
	if (finished) {
		undo_all(undo, n_undo, n);
		if (!undo_changes)
			state_same(before, "the clean call and its undo", n);
	}
out:
	for (i = 0; i < n_post; i++)
		must(&post[i], "--post");
	if (clean)
		printf("failnth: %s clean call, undo and state checked (no fault injection)\n", label);
	else
		printf("failnth: %s points=%u adprof=%u core=%u absorbed=%u\n", label,
		       points, n_adprof, n_core, n_absorbed);
	return problems ? 1 : 0;
}
