// SPDX-License-Identifier: GPL-2.0
/*
 * nlraw: send one hand-made request to the adprof family, for tests that
 * need what adprofctl never sends (wrong types and lengths, unknown or
 * missing attributes) or a process with fewer capabilities.
 *
 * usage: nlraw [--drop-caps[=CAP,...]] [--caps] [--join GROUP]
 *              [CMD [ATTR=TYPE[:VALUE] ...] [--dump]]
 *
 * CMD is a command name (DEV_GET, dev-get, ADPROF_CMD_DEV_GET) or number;
 * ATTR a top-level attribute name (DEV_ID, dev-id, ADPROF_A_DEV_ID) or
 * number; TYPE one of u8 u16 u32 u64 str (NUL-terminated) strn (no NUL)
 * bin (VALUE in hex) flag nest (empty, NLA_F_NESTED). The value is sent
 * as given, whatever the attribute's real type.
 *
 * --drop-caps drops every capability but the listed ones (CAP_NET_ADMIN,
 * CAP_PERFMON, CAP_SYS_ADMIN, ... or numbers) from the effective,
 * permitted, inheritable, ambient and bounding sets, staying uid 0, before
 * the socket is opened. --caps prints the sets that result. --join tries
 * NETLINK_ADD_MEMBERSHIP for the group and reports the errno. --family NAME
 * talks to another family (numbers for CMD and ATTR then), to test nlraw
 * itself on a host without adprof.
 *
 * Output, one line per request: "ok" plus the reply messages, each as
 * "reply CMD ATTR=VALUE ...", or
 * errno=NAME (N) extack="MSG" [miss-attr=ATTR] [bad-attr=ATTR] [policy:...]
 * Exit status: 0 ack or reply, 1 the kernel refused, 2 local error.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <linux/adprof.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "adprof_names.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED 0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif
/* enum nlmsgerr_attrs and enum netlink_policy_type_attr, as in 6.1 */
#define X_ERR_MSG		1
#define X_ERR_OFFS		2
#define X_ERR_POLICY		4
#define X_ERR_MISS_TYPE		5
#define X_ERR_MAX		6
#define X_POL_TYPE		1
#define X_POL_MIN_S		2
#define X_POL_MAX_S		3
#define X_POL_MIN_U		4
#define X_POL_MAX_U		5
#define X_POL_MIN_LEN		6
#define X_POL_MAX_LEN		7
#define X_POL_MASK		12
#define X_POL_MAX		13

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define N(x) [ADPROF_MSIX_A_##x] = #x
static const char *const msix_names[] = { N(UNSPEC), N(ENTRY), N(GSI) };
#undef N
#define N(x) [ADPROF_VEC_A_##x] = #x
static const char *const vec_names[] = {
	N(UNSPEC), N(PAD), N(INDEX), N(IRQ), N(COUNT), N(COALESCED),
};
#undef N
#define N(x) [ADPROF_BACKEND_A_##x] = #x
static const char *const backend_names[] = { N(UNSPEC), N(NAME), N(AVAILABLE) };
#undef N
#define N(x) [ADPROF_STAT_A_##x] = #x
static const char *const stat_names[] = {
	N(UNSPEC), N(PAD), N(SAMPLE), N(OVERFLOW), N(BUF), N(EMPTYBUF),
	N(DROPBUF), N(DROPBUF_SAMPLE), N(STREAM_MSGS), N(STREAM_SAMPLES),
	N(STREAM_ERRORS), N(STREAM_ERROR_SAMPLES), N(ONLIST_BUF),
	N(ONLIST_SAMPLE), N(SUMMARY_SAMPLE), N(SUMMARY_RECORD), N(SUMMARY_EVICT),
	N(SUMMARY_MISS), N(SUMMARY_DROP),
};
#undef N

struct name_set {
	const char *const *names;
	size_t n;
};

#define SET(a) { a, ARRAY_SIZE(a) }
static const struct name_set main_set = SET(attr_names);
static const struct name_set msix_set = SET(msix_names);
static const struct name_set vec_set = SET(vec_names);
static const struct name_set backend_set = SET(backend_names);
static const struct name_set stat_set = SET(stat_names);

static const struct {
	const char *name;
	int err;
} errnos[] = {
#define E(x) { #x, x }
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(EBADF), E(EAGAIN), E(ENOMEM), E(EACCES), E(EFAULT), E(EBUSY),
	E(EEXIST), E(ENODEV), E(ENOTDIR), E(EINVAL), E(ENFILE), E(EMFILE),
	E(ENOSPC), E(ERANGE), E(ENOSYS), E(ENODATA), E(EPROTO), E(EBADMSG),
	E(EOVERFLOW), E(EMSGSIZE), E(EPROTONOSUPPORT), E(EOPNOTSUPP),
	E(EADDRINUSE), E(ENOBUFS), E(ENOTCONN), E(ETIMEDOUT), E(ECONNREFUSED),
	E(EALREADY), E(EINPROGRESS), E(ECANCELED), E(ENOLINK),
#undef E
	{ "ENOTSUPP", 524 },	/* kernel-internal, should never leak */
};

static const char *errno_name(int err)
{
	static char buf[16];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errnos); i++)
		if (errnos[i].err == err)
			return errnos[i].name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

static const struct {
	const char *name;
	int cap;
} caps[] = {
#define C(x) { #x, x }
	C(CAP_CHOWN), C(CAP_DAC_OVERRIDE), C(CAP_DAC_READ_SEARCH), C(CAP_FOWNER),
	C(CAP_KILL), C(CAP_SETGID), C(CAP_SETUID), C(CAP_SETPCAP),
	C(CAP_NET_BIND_SERVICE), C(CAP_NET_RAW), C(CAP_NET_ADMIN),
	C(CAP_IPC_LOCK), C(CAP_SYS_MODULE), C(CAP_SYS_RAWIO), C(CAP_SYS_PTRACE),
	C(CAP_SYS_ADMIN), C(CAP_SYS_RESOURCE), C(CAP_SYSLOG), C(CAP_PERFMON),
	C(CAP_BPF),
#undef C
};

static void usage(void)
{
	fputs("usage: nlraw [--drop-caps[=CAP,...]] [--caps] [--join GROUP]\n"
	      "             [CMD [ATTR=TYPE[:VALUE] ...] [--dump]]\n"
	      "  TYPE: u8 u16 u32 u64 str strn bin(hex) flag nest(empty)\n",
	      stderr);
	exit(2);
}

static void die(const char *fmt, const char *arg)
{
	fputs("nlraw: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

/* NAME, name-with-dashes, PREFIX_NAME or a number below limit. */
static int lookup(const char *s, const char *const *names, size_t n,
		  const char *prefix, unsigned long limit)
{
	char want[64], *end;
	unsigned long v;
	size_t i, plen = strlen(prefix);

	if (isdigit((unsigned char)*s)) {
		errno = 0;
		v = strtoul(s, &end, 0);
		if (errno || *end || v >= limit)
			return -1;
		return (int)v;
	}
	if (!strncasecmp(s, prefix, plen))
		s += plen;
	if (strlen(s) >= sizeof(want))
		return -1;
	for (i = 0; s[i]; i++)
		want[i] = s[i] == '-' ? '_' : (char)toupper((unsigned char)s[i]);
	want[i] = '\0';
	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], want))
			return (int)i;
	return -1;
}

static uint64_t cap_mask_of(const char *list)
{
	uint64_t keep = 0;
	char *copy, *tok, *save = NULL;
	size_t i;

	if (!list)
		return 0;
	copy = strdup(list);
	if (!copy)
		die("%s", "out of memory");
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *end;
		long v = -1;

		for (i = 0; i < ARRAY_SIZE(caps); i++)
			if (!strcasecmp(tok, caps[i].name) ||
			    !strcasecmp(tok, caps[i].name + 4))
				v = caps[i].cap;
		if (v < 0 && isdigit((unsigned char)*tok)) {
			v = strtol(tok, &end, 10);
			if (*end || v > 63)
				v = -1;
		}
		if (v < 0)
			die("unknown capability %s", tok);
		keep |= 1ULL << v;
	}
	free(copy);
	return keep;
}

/* Keep only @keep, in every set; uid stays 0. */
static void drop_caps(uint64_t keep)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = {};
	int cap;

	/* The bounding set first: dropping it needs CAP_SETPCAP. */
	for (cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++) {
		if (keep & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0))
			die("PR_CAPBSET_DROP: %s", strerror(errno));
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) &&
	    errno != EINVAL)
		die("PR_CAP_AMBIENT_CLEAR_ALL: %s", strerror(errno));
	data[0].effective = data[0].permitted = data[0].inheritable =
		(uint32_t)keep;
	data[1].effective = data[1].permitted = data[1].inheritable =
		(uint32_t)(keep >> 32);
	if (syscall(SYS_capset, &hdr, data))
		die("capset: %s", strerror(errno));
}

static void print_caps(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];

	if (!f)
		die("/proc/self/status: %s", strerror(errno));
	fputs("caps", stdout);
	while (fgets(line, sizeof(line), f)) {
		char *v = strchr(line, ':');

		if (strncmp(line, "Cap", 3) || !v)
			continue;
		*v++ = '\0';
		v += strspn(v, " \t");
		v[strcspn(v, "\n")] = '\0';
		printf(" %s=%s", line + 3, v);
	}
	putchar('\n');
	fclose(f);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* ATTR=TYPE[:VALUE] -> one attribute of @msg, sent as given. */
static void put_attr(struct nl_msg *msg, const char *arg)
{
	char *spec, *eq, *type, *val;
	unsigned long long v = 0;
	int attr, err = 0;
	char *end;

	spec = strdup(arg);
	if (!spec)
		die("%s", "out of memory");
	eq = strchr(spec, '=');
	if (!eq)
		die("expected ATTR=TYPE[:VALUE], got %s", arg);
	*eq = '\0';
	type = eq + 1;
	val = strchr(type, ':');
	if (val)
		*val++ = '\0';
	attr = lookup(spec, attr_names, ARRAY_SIZE(attr_names), "ADPROF_A_",
		      1UL << 14);
	if (attr < 0)
		die("unknown attribute %s", spec);

	if (!strcmp(type, "u8") || !strcmp(type, "u16") ||
	    !strcmp(type, "u32") || !strcmp(type, "u64")) {
		unsigned int bits = (unsigned int)strtoul(type + 1, NULL, 10);

		if (!val || !*val)
			die("%s needs a value", arg);
		errno = 0;
		v = strtoull(val, &end, 0);
		if (errno || *end || (bits < 64 && v >> bits))
			die("bad value in %s", arg);
		switch (bits) {
		case 8:
			err = nla_put_u8(msg, attr, (uint8_t)v);
			break;
		case 16:
			err = nla_put_u16(msg, attr, (uint16_t)v);
			break;
		case 32:
			err = nla_put_u32(msg, attr, (uint32_t)v);
			break;
		default:
			err = nla_put_u64(msg, attr, v);
			break;
		}
	} else if (!strcmp(type, "str")) {
		err = nla_put_string(msg, attr, val ? val : "");
	} else if (!strcmp(type, "strn")) {
		err = nla_put(msg, attr, val ? (int)strlen(val) : 0, val);
	} else if (!strcmp(type, "bin")) {
		unsigned char buf[4096];
		size_t i, n = val ? strlen(val) : 0;

		if (n % 2 || n / 2 > sizeof(buf))
			die("bad hex in %s", arg);
		for (i = 0; i < n / 2; i++) {
			int hi = hexval(val[2 * i]), lo = hexval(val[2 * i + 1]);

			if (hi < 0 || lo < 0)
				die("bad hex in %s", arg);
			buf[i] = (unsigned char)(hi << 4 | lo);
		}
		err = nla_put(msg, attr, (int)(n / 2), buf);
	} else if (!strcmp(type, "flag")) {
		err = nla_put_flag(msg, attr);
	} else if (!strcmp(type, "nest")) {
		err = nla_put(msg, attr | NLA_F_NESTED, 0, NULL);
	} else {
		die("unknown type in %s", arg);
	}
	if (err)
		die("cannot add %s", arg);
	free(spec);
}

/* --------------------------------------------------------------- replies */

static const struct name_set *nested_set(const struct name_set *set, int type)
{
	if (set != &main_set)
		return NULL;
	switch (type) {
	case ADPROF_A_MSIX_TABLE:
	case ADPROF_A_VECTORS:
	case ADPROF_A_BACKENDS:
		return &main_set;
	case ADPROF_A_MSIX_SLOT:
		return &msix_set;
	case ADPROF_A_VECTOR:
		return &vec_set;
	case ADPROF_A_BACKEND_ENTRY:
		return &backend_set;
	case ADPROF_A_STATS:
		return &stat_set;
	}
	return NULL;
}

static void print_attrs(struct nlattr *head, int len,
			const struct name_set *set)
{
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, head, len, rem) {
		int type = nla_type(a), n = nla_len(a);
		const struct name_set *sub = nested_set(set, type);
		const unsigned char *p = nla_data(a);

		if ((size_t)type < set->n && set->names[type])
			printf(" %s", set->names[type]);
		else
			printf(" %d", type);
		if (sub) {
			putchar('{');
			print_attrs(nla_data(a), n, sub);
			fputs(" }", stdout);
		} else if (set == &main_set && type == ADPROF_A_SAMPLES) {
			printf("=<%d bytes>", n);
		} else if (n == 1) {
			printf("=%u", *p);
		} else if (n == 2) {
			printf("=%u", nla_get_u16(a));
		} else if (n == 4) {
			printf("=%" PRIu32, nla_get_u32(a));
		} else if (n == 8) {
			printf("=%" PRIu64, nla_get_u64(a));
		} else if (n > 0 && !p[n - 1] && strlen((const char *)p) ==
			   (size_t)n - 1) {
			printf("=\"%s\"", (const char *)p);
		} else {
			int i;

			putchar('=');
			for (i = 0; i < n && i < 32; i++)
				printf("%02x", p[i]);
			if (n > 32)
				fputs("...", stdout);
		}
	}
}

struct state {
	struct nl_msg *req;
	bool done;
	int err;		/* negative errno from the kernel, or 0 */
	int replies;
};

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct state *st = arg;

	st->replies++;
	if (gh->cmd < ARRAY_SIZE(cmd_names))
		printf("reply %s", cmd_names[gh->cmd]);
	else
		printf("reply %u", gh->cmd);
	print_attrs(genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), &main_set);
	putchar('\n');
	return NL_OK;
}

/* The attribute of our request at byte @off of it, by name. */
static void print_attr_at(const char *what, struct nl_msg *req, uint32_t off)
{
	struct nlmsghdr *nlh = nlmsg_hdr(req);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0),
			  rem) {
		if ((uint32_t)((char *)a - (char *)nlh) == off) {
			int type = nla_type(a);

			if ((size_t)type < ARRAY_SIZE(attr_names))
				printf(" %s=%s", what, attr_names[type]);
			else
				printf(" %s=%d", what, type);
			return;
		}
	}
	printf(" %s=@%" PRIu32, what, off);
}

static void print_policy(struct nlattr *pol)
{
	struct nlattr *tb[X_POL_MAX + 1];

	if (nla_parse_nested(tb, X_POL_MAX, pol, NULL))
		return;
	fputs(" policy:", stdout);
	if (tb[X_POL_MIN_U])
		printf(" min=%" PRIu64, nla_get_u64(tb[X_POL_MIN_U]));
	if (tb[X_POL_MAX_U])
		printf(" max=%" PRIu64, nla_get_u64(tb[X_POL_MAX_U]));
	if (tb[X_POL_MIN_S])
		printf(" min=%" PRId64, (int64_t)nla_get_u64(tb[X_POL_MIN_S]));
	if (tb[X_POL_MAX_S])
		printf(" max=%" PRId64, (int64_t)nla_get_u64(tb[X_POL_MAX_S]));
	if (tb[X_POL_MIN_LEN])
		printf(" min-len=%" PRIu32, nla_get_u32(tb[X_POL_MIN_LEN]));
	if (tb[X_POL_MAX_LEN])
		printf(" max-len=%" PRIu32, nla_get_u32(tb[X_POL_MAX_LEN]));
	if (tb[X_POL_MASK])
		printf(" mask=%#" PRIx64, nla_get_u64(tb[X_POL_MASK]));
	if (tb[X_POL_TYPE])
		printf(" type=%" PRIu32, nla_get_u32(tb[X_POL_TYPE]));
}

/* The error line, with the extended ack as iw reads it. */
static void report_error(struct nlmsgerr *e, struct state *st,
			 const struct nlmsghdr *nlh, int len)
{
	struct nlattr *tb[X_ERR_MAX + 1] = {};
	int ack_len = NLMSG_HDRLEN + (int)sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		ack_len += (int)e->msg.nlmsg_len - NLMSG_HDRLEN;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && len > ack_len)
		nla_parse(tb, X_ERR_MAX, (struct nlattr *)((char *)nlh + ack_len),
			  len - ack_len, NULL);

	if (!e->error)
		fputs("ok", stdout);
	else
		printf("errno=%s (%d)", errno_name(-e->error), -e->error);
	if (tb[X_ERR_MSG] || e->error)
		printf(" extack=\"%s\"",
		       tb[X_ERR_MSG] ? nla_get_string(tb[X_ERR_MSG]) : "");
	if (tb[X_ERR_MISS_TYPE]) {
		uint32_t t = nla_get_u32(tb[X_ERR_MISS_TYPE]);

		if (t < ARRAY_SIZE(attr_names))
			printf(" miss-attr=%s", attr_names[t]);
		else
			printf(" miss-attr=%" PRIu32, t);
	}
	if (tb[X_ERR_OFFS])
		print_attr_at("bad-attr", st->req, nla_get_u32(tb[X_ERR_OFFS]));
	if (tb[X_ERR_POLICY])
		print_policy(tb[X_ERR_POLICY]);
	putchar('\n');
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct state *st = arg;

	(void)nla;
	st->err = e->error;
	st->done = true;
	report_error(e, st, nlh, (int)nlh->nlmsg_len);
	return NL_STOP;
}

/* A do-request's ack arrives as an error message with error 0. */
static int on_ack(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct state *st = arg;

	st->done = true;
	report_error(nlmsg_data(nlh), st, nlh, (int)nlh->nlmsg_len);
	return NL_STOP;
}

/*
 * End of a dump: its payload is the dump's error code, followed by the
 * extended ack (6.1: only what the dumpit itself set) when ACK_TLVS is set.
 */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[X_ERR_MAX + 1] = {};
	struct state *st = arg;
	int err = 0, len = nlmsg_datalen(nlh);

	if (len >= (int)sizeof(int))
		memcpy(&err, nlmsg_data(nlh), sizeof(int));
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && len > (int)sizeof(int))
		nla_parse(tb, X_ERR_MAX,
			  (struct nlattr *)((char *)nlmsg_data(nlh) + sizeof(int)),
			  len - (int)sizeof(int), NULL);
	st->done = true;
	st->err = err;
	if (err)
		printf("errno=%s (%d)", errno_name(-err), -err);
	else
		printf("ok");
	if (tb[X_ERR_MSG] || err)
		printf(" extack=\"%s\"",
		       tb[X_ERR_MSG] ? nla_get_string(tb[X_ERR_MSG]) : "");
	printf(" (dump, %d messages)\n", st->replies);
	return NL_STOP;
}

static int join(struct nl_sock *sk, const char *family, const char *group)
{
	int grp, one;

	grp = genl_ctrl_resolve_grp(sk, family, group);
	if (grp < 0) {
		printf("join %s: group not found (%s)\n", group, nl_geterror(grp));
		return 2;
	}
	one = grp;
	if (setsockopt(nl_socket_get_fd(sk), SOL_NETLINK,
		       NETLINK_ADD_MEMBERSHIP, &one, sizeof(one))) {
		int err = errno;

		printf("join %s: errno=%s (%d)\n", group, errno_name(err), err);
		return 1;
	}
	printf("join %s: ok\n", group);
	return 0;
}

int main(int argc, char **argv)
{
	const char *group = NULL, *keep = NULL, *family_name = ADPROF_GENL_NAME;
	bool drop = false, show_caps = false, dump = false;
	struct state st = {};
	struct nl_sock *sk;
	struct nl_cb *cb;
	int i, family, cmd = -1, one = 1, ret = 0, err;

	for (i = 1; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--drop-caps")) {
			drop = true;
		} else if (!strncmp(argv[i], "--drop-caps=", 12)) {
			drop = true;
			keep = argv[i] + 12;
		} else if (!strcmp(argv[i], "--caps")) {
			show_caps = true;
		} else if (!strcmp(argv[i], "--join") && i + 1 < argc) {
			group = argv[++i];
		} else if (!strcmp(argv[i], "--dump")) {
			dump = true;
		} else if (!strcmp(argv[i], "--family") && i + 1 < argc) {
			family_name = argv[++i];
		} else {
			usage();
		}
	}
	if (i < argc) {
		cmd = lookup(argv[i], cmd_names, ARRAY_SIZE(cmd_names),
			     "ADPROF_CMD_", 256);
		if (cmd < 0)
			die("unknown command %s", argv[i]);
		i++;
	} else if (!group && !show_caps) {
		usage();
	}

	/* Before the socket exists: netlink_capable() asks its opener too. */
	if (drop)
		drop_caps(cap_mask_of(keep));
	if (show_caps)
		print_caps();
	if (cmd < 0 && !group)
		return 0;

	/* The request first, so that bad arguments fail without a kernel. */
	if (cmd >= 0) {
		st.req = nlmsg_alloc_size(16384);
		if (!st.req ||
		    !genlmsg_put(st.req, NL_AUTO_PORT, NL_AUTO_SEQ, 0, 0,
				 dump ? NLM_F_DUMP : 0, (uint8_t)cmd,
				 ADPROF_GENL_VERSION))
			die("%s", "out of memory");
		for (; i < argc; i++) {
			if (!strcmp(argv[i], "--dump"))
				nlmsg_hdr(st.req)->nlmsg_flags |= NLM_F_DUMP;
			else
				put_attr(st.req, argv[i]);
		}
	}

	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk))
		die("%s", "cannot open a generic netlink socket");
	if (setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK,
		       &one, sizeof(one)))
		die("NETLINK_EXT_ACK: %s", strerror(errno));
	family = genl_ctrl_resolve(sk, family_name);
	if (family < 0) {
		fprintf(stderr, "nlraw: family %s not found (module not loaded?)\n",
			family_name);
		nl_socket_free(sk);
		return 2;
	}
	if (group)
		ret = join(sk, family_name, group);
	if (cmd < 0)
		goto out;
	nlmsg_hdr(st.req)->nlmsg_type = (uint16_t)family;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		die("%s", "out of memory");
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &st);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &st);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &st);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &st);
	err = nl_send_auto(sk, st.req);
	if (err < 0)
		die("send: %s", nl_geterror(err));
	while (!st.done) {
		err = nl_recvmsgs(sk, cb);
		if (err < 0 && !st.done) {
			fprintf(stderr, "nlraw: receive: %s\n", nl_geterror(err));
			ret = 2;
			break;
		}
	}
	if (st.done && ret != 2 && st.err)
		ret = 1;
	nl_cb_put(cb);
	nlmsg_free(st.req);
out:
	nl_socket_free(sk);
	return ret;
}
