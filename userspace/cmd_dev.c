// SPDX-License-Identifier: GPL-2.0
/* adprofctl device assignment commands: assign, deassign, list, irq, msix, ack. */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/adprof.h>
#include <netlink/attr.h>

#include "cmd.h"
#include "parse.h"

static const struct nla_policy slot_policy[ADPROF_MSIX_A_MAX + 1] = {
	[ADPROF_MSIX_A_ENTRY]	= { .type = NLA_U32 },
	[ADPROF_MSIX_A_GSI]	= { .type = NLA_U32 },
};

static const struct nla_policy vec_policy[ADPROF_VEC_A_MAX + 1] = {
	[ADPROF_VEC_A_INDEX]	= { .type = NLA_U32 },
	[ADPROF_VEC_A_IRQ]	= { .type = NLA_U32 },
	[ADPROF_VEC_A_COUNT]	= { .type = NLA_U64 },
	[ADPROF_VEC_A_COALESCED] = { .type = NLA_U64 },
};

static int arg_dev_id(struct adp_ctx *ctx, const char *arg, uint32_t *id)
{
	return arg_u32(ctx, "device id", arg, 1, UINT32_MAX, id);
}

int cmd_assign(struct adp_ctx *ctx, int argc, char **argv)
{
	struct nl_msg *msg;
	struct pci_addr addr;
	uint32_t id;
	int ret;

	if (argc != 3)
		return usage_error(ctx);
	ret = arg_dev_id(ctx, argv[1], &id);
	if (ret)
		return ret;
	ret = parse_pci_addr(argv[2], &addr);
	if (ret)
		return arg_error(ctx, "PCI address", argv[2], ret);

	msg = adp_msg_new(ADPROF_CMD_DEV_ASSIGN, 0);
	if (!msg)
		goto nla_put_failure;
	NLA_PUT_U32(msg, ADPROF_A_DEV_ID, id);
	NLA_PUT_U16(msg, ADPROF_A_PCI_SEGMENT, addr.segment);
	NLA_PUT_U8(msg, ADPROF_A_PCI_BUS, addr.bus);
	NLA_PUT_U8(msg, ADPROF_A_PCI_DEVFN, addr.devfn);
	NLA_PUT_U32(msg, ADPROF_A_DEV_FLAGS, 0);
	return run(ctx, msg, NULL, NULL);

nla_put_failure:
	return build_failed(ctx, msg);
}

/* A command whose only argument and attribute is the device id. */
static int dev_id_cmd(struct adp_ctx *ctx, int argc, char **argv, uint8_t cmd)
{
	struct nl_msg *msg;
	uint32_t id;
	int ret;

	if (argc != 2)
		return usage_error(ctx);
	ret = arg_dev_id(ctx, argv[1], &id);
	if (ret)
		return ret;

	msg = adp_msg_new(cmd, 0);
	if (!msg)
		goto nla_put_failure;
	NLA_PUT_U32(msg, ADPROF_A_DEV_ID, id);
	return run(ctx, msg, NULL, NULL);

nla_put_failure:
	return build_failed(ctx, msg);
}

int cmd_deassign(struct adp_ctx *ctx, int argc, char **argv)
{
	return dev_id_cmd(ctx, argc, argv, ADPROF_CMD_DEV_DEASSIGN);
}

int cmd_ack(struct adp_ctx *ctx, int argc, char **argv)
{
	return dev_id_cmd(ctx, argc, argv, ADPROF_CMD_IRQ_ACK);
}

/* Text: " E=G" per slot; JSON: [{"entry":E,"gsi":G}, ...]. */
static int print_msix_table(struct adp_ctx *ctx, struct nlattr *nest)
{
	struct nlattr *tb[ADPROF_MSIX_A_MAX + 1], *pos;
	struct json *j = ctx->json;
	int rem;

	nla_for_each_nested(pos, nest, rem) {
		if (nla_type(pos) != ADPROF_A_MSIX_SLOT)
			continue;
		if (nla_parse_nested(tb, ADPROF_MSIX_A_MAX, pos, slot_policy) ||
		    !tb[ADPROF_MSIX_A_ENTRY] || !tb[ADPROF_MSIX_A_GSI])
			return malformed(ctx, "MSI-X slot");
		if (!j) {
			printf(" %" PRIu32 "=%" PRIu32,
			       nla_get_u32(tb[ADPROF_MSIX_A_ENTRY]),
			       nla_get_u32(tb[ADPROF_MSIX_A_GSI]));
			continue;
		}
		json_open(j, NULL, '{');
		json_u64(j, "entry", nla_get_u32(tb[ADPROF_MSIX_A_ENTRY]));
		json_u64(j, "gsi", nla_get_u32(tb[ADPROF_MSIX_A_GSI]));
		json_close(j, '}');
	}
	return 0;
}

/* Text: "\tmsix nr N table E=G ...", only once sized. */
static int print_msix(struct adp_ctx *ctx, struct nlattr **tb)
{
	struct json *j = ctx->json;
	uint32_t nr;
	int ret = 0;

	nr = tb[ADPROF_A_MSIX_NR] ? nla_get_u32(tb[ADPROF_A_MSIX_NR]) : 0;
	if (j) {
		json_u64(j, "msix_nr", nr);
		json_open(j, "msix_table", '[');
	} else if (nr) {
		printf("\tmsix nr %" PRIu32 " table", nr);
	} else {
		return 0;
	}
	if (tb[ADPROF_A_MSIX_TABLE])
		ret = print_msix_table(ctx, tb[ADPROF_A_MSIX_TABLE]);
	if (j)
		json_close(j, ']');
	else
		putchar('\n');
	return ret;
}

/* Text: "\tvector I irq N count C coalesced K" per host vector. */
static int print_vectors(struct adp_ctx *ctx, struct nlattr *nest)
{
	struct nlattr *tb[ADPROF_VEC_A_MAX + 1], *pos;
	struct json *j = ctx->json;
	int rem, ret = 0;

	if (j)
		json_open(j, "vectors", '[');
	nla_for_each_nested(pos, nest, rem) {
		if (nla_type(pos) != ADPROF_A_VECTOR)
			continue;
		if (nla_parse_nested(tb, ADPROF_VEC_A_MAX, pos, vec_policy) ||
		    !tb[ADPROF_VEC_A_INDEX] || !tb[ADPROF_VEC_A_COUNT]) {
			ret = malformed(ctx, "vector");
			break;
		}
		if (j) {
			json_open(j, NULL, '{');
			json_u64(j, "index", nla_get_u32(tb[ADPROF_VEC_A_INDEX]));
			if (tb[ADPROF_VEC_A_IRQ])
				json_u64(j, "irq", nla_get_u32(tb[ADPROF_VEC_A_IRQ]));
			json_u64(j, "count", nla_get_u64(tb[ADPROF_VEC_A_COUNT]));
			if (tb[ADPROF_VEC_A_COALESCED])
				json_u64(j, "coalesced",
					 nla_get_u64(tb[ADPROF_VEC_A_COALESCED]));
			json_close(j, '}');
			continue;
		}
		printf("\tvector %" PRIu32, nla_get_u32(tb[ADPROF_VEC_A_INDEX]));
		if (tb[ADPROF_VEC_A_IRQ])
			printf(" irq %" PRIu32, nla_get_u32(tb[ADPROF_VEC_A_IRQ]));
		printf(" count %" PRIu64, nla_get_u64(tb[ADPROF_VEC_A_COUNT]));
		if (tb[ADPROF_VEC_A_COALESCED])
			printf(" coalesced %" PRIu64,
			       nla_get_u64(tb[ADPROF_VEC_A_COALESCED]));
		putchar('\n');
	}
	if (j)
		json_close(j, ']');
	return ret;
}

/* The members every device has, as JSON or as the text header line. */
static void print_dev_head(struct adp_ctx *ctx, struct nlattr **tb)
{
	uint8_t devfn = nla_get_u8(tb[ADPROF_A_PCI_DEVFN]);
	uint32_t flags = 0;
	struct json *j = ctx->json;
	char addr[16], vendor[8], device[8];

	if (tb[ADPROF_A_IRQ_FLAGS])
		flags = nla_get_u32(tb[ADPROF_A_IRQ_FLAGS]);
	snprintf(addr, sizeof(addr), "%04x:%02x:%02x.%x",
		 nla_get_u16(tb[ADPROF_A_PCI_SEGMENT]),
		 nla_get_u8(tb[ADPROF_A_PCI_BUS]), devfn >> 3, devfn & 7);
	snprintf(vendor, sizeof(vendor), "%04x", nla_get_u16(tb[ADPROF_A_VENDOR]));
	snprintf(device, sizeof(device), "%04x", nla_get_u16(tb[ADPROF_A_DEVICE]));

	if (!j) {
		printf("%" PRIu32 " %s %s:%s host=%s guest=%s",
		       nla_get_u32(tb[ADPROF_A_DEV_ID]), addr, vendor, device,
		       irq_type_name(flags, 0), irq_type_name(flags, 1));
		if (tb[ADPROF_A_GUEST_IRQ])
			printf(" guest_irq %" PRIu32,
			       nla_get_u32(tb[ADPROF_A_GUEST_IRQ]));
		if (tb[ADPROF_A_INTX_MASKED])
			printf(" intx_masked %u",
			       nla_get_u8(tb[ADPROF_A_INTX_MASKED]));
		putchar('\n');
		return;
	}
	json_u64(j, "id", nla_get_u32(tb[ADPROF_A_DEV_ID]));
	json_str(j, "address", addr);
	json_str(j, "vendor", vendor);
	json_str(j, "device", device);
	json_u64(j, "irq_flags", flags);
	json_str(j, "host_irq_type", irq_type_name(flags, 0));
	json_str(j, "guest_irq_type", irq_type_name(flags, 1));
	if (tb[ADPROF_A_GUEST_IRQ])
		json_u64(j, "guest_irq", nla_get_u32(tb[ADPROF_A_GUEST_IRQ]));
	if (tb[ADPROF_A_INTX_MASKED])
		json_bool(j, "intx_masked", nla_get_u8(tb[ADPROF_A_INTX_MASKED]));
}

struct list_state {
	struct adp_ctx *ctx;
	unsigned int devs;
};

static int list_reply(struct nlattr **tb, void *arg)
{
	static const int required[] = {
		ADPROF_A_DEV_ID, ADPROF_A_PCI_SEGMENT, ADPROF_A_PCI_BUS,
		ADPROF_A_PCI_DEVFN, ADPROF_A_VENDOR, ADPROF_A_DEVICE,
	};
	struct list_state *ls = arg;
	struct adp_ctx *ctx = ls->ctx;
	struct json *j = ctx->json;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(required); i++)
		if (!tb[required[i]])
			return malformed(ctx, "device without id, address or PCI ids");
	if (j && !ls->devs)
		json_open(j, NULL, '[');
	ls->devs++;
	if (j)
		json_open(j, NULL, '{');
	print_dev_head(ctx, tb);
	ret = print_msix(ctx, tb);
	if (!ret && tb[ADPROF_A_VECTORS])
		ret = print_vectors(ctx, tb[ADPROF_A_VECTORS]);
	if (j)
		json_close(j, '}');
	return ret;
}

static int list_one(struct adp_ctx *ctx, uint32_t id, struct list_state *ls)
{
	struct nl_msg *msg;

	msg = adp_msg_new(ADPROF_CMD_DEV_GET, 0);
	if (!msg)
		goto nla_put_failure;
	NLA_PUT_U32(msg, ADPROF_A_DEV_ID, id);
	return run(ctx, msg, list_reply, ls);

nla_put_failure:
	return build_failed(ctx, msg);
}

int cmd_list(struct adp_ctx *ctx, int argc, char **argv)
{
	struct list_state ls = { .ctx = ctx };
	uint32_t id;
	int ret;

	if (argc > 2)
		return usage_error(ctx);
	if (argc == 2) {
		ret = arg_dev_id(ctx, argv[1], &id);
		if (ret)
			return ret;
		ret = list_one(ctx, id, &ls);
	} else {
		ret = run_dump(ctx, ADPROF_CMD_DEV_GET, list_reply, &ls);
	}
	/* JSON: always an array, even empty, and closed if an error cut it. */
	if (ctx->json && (ls.devs || ret == EXIT_SUCCESS)) {
		if (!ls.devs)
			json_open(ctx->json, NULL, '[');
		json_close(ctx->json, ']');
	}
	return ret;
}

int cmd_irq(struct adp_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "deassign", no_argument, NULL, 'd' },
		{ "guest-irq", required_argument, NULL, 'g' },
		{}
	};
	uint32_t id, flags = 0, guest_irq = 0;
	bool deassign = false, has_guest_irq = false;
	struct nl_msg *msg;
	int c, i, ret;

	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			deassign = true;
			break;
		case 'g':
			ret = arg_u32(ctx, "guest irq", optarg, 0, UINT32_MAX,
				      &guest_irq);
			if (ret)
				return ret;
			has_guest_irq = true;
			break;
		default:
			return opt_error(ctx, c, argv);
		}
	}
	if (deassign && has_guest_irq) {
		fprintf(stderr, "adprofctl: irq: --guest-irq is for assigning\n");
		return usage_error(ctx);
	}
	if (argc - optind < 2)
		return usage_error(ctx);
	ret = arg_dev_id(ctx, argv[optind], &id);
	if (ret)
		return ret;
	for (i = optind + 1; i < argc; i++) {
		ret = parse_irq_flags(argv[i], &flags);
		if (ret)
			return arg_error(ctx, "IRQ type", argv[i], ret);
	}

	msg = adp_msg_new(deassign ? ADPROF_CMD_IRQ_DEASSIGN :
				     ADPROF_CMD_IRQ_ASSIGN, 0);
	if (!msg)
		goto nla_put_failure;
	NLA_PUT_U32(msg, ADPROF_A_DEV_ID, id);
	NLA_PUT_U32(msg, ADPROF_A_IRQ_FLAGS, flags);
	if (has_guest_irq)
		NLA_PUT_U32(msg, ADPROF_A_GUEST_IRQ, guest_irq);
	return run(ctx, msg, NULL, NULL);

nla_put_failure:
	return build_failed(ctx, msg);
}

static int msix_set_nr(struct adp_ctx *ctx, char **argv)
{
	struct nl_msg *msg;
	uint32_t id, nr;
	int ret;

	ret = arg_dev_id(ctx, argv[1], &id);
	if (!ret)
		ret = arg_u32(ctx, "MSI-X table size", argv[3], 1,
			      ADPROF_MSIX_MAX, &nr);
	if (ret)
		return ret;

	msg = adp_msg_new(ADPROF_CMD_MSIX_SET_NR, 0);
	if (!msg)
		goto nla_put_failure;
	NLA_PUT_U32(msg, ADPROF_A_DEV_ID, id);
	NLA_PUT_U32(msg, ADPROF_A_MSIX_NR, nr);
	return run(ctx, msg, NULL, NULL);

nla_put_failure:
	return build_failed(ctx, msg);
}

static int msix_set_entry(struct adp_ctx *ctx, char **argv)
{
	struct nl_msg *msg;
	uint32_t id, entry, gsi;
	int ret;

	ret = arg_dev_id(ctx, argv[1], &id);
	if (!ret)
		ret = arg_u32(ctx, "MSI-X entry", argv[3], 0, UINT32_MAX, &entry);
	if (!ret)
		ret = arg_u32(ctx, "GSI", argv[5], 0, UINT32_MAX, &gsi);
	if (ret)
		return ret;

	msg = adp_msg_new(ADPROF_CMD_MSIX_SET_ENTRY, 0);
	if (!msg)
		goto nla_put_failure;
	NLA_PUT_U32(msg, ADPROF_A_DEV_ID, id);
	NLA_PUT_U32(msg, ADPROF_A_MSIX_ENTRY, entry);
	NLA_PUT_U32(msg, ADPROF_A_GSI, gsi);
	return run(ctx, msg, NULL, NULL);

nla_put_failure:
	return build_failed(ctx, msg);
}

int cmd_msix(struct adp_ctx *ctx, int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[2], "nr"))
		return msix_set_nr(ctx, argv);
	if (argc == 6 && !strcmp(argv[2], "entry") && !strcmp(argv[4], "gsi"))
		return msix_set_entry(ctx, argv);
	return usage_error(ctx);
}
