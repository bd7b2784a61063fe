// SPDX-License-Identifier: GPL-2.0
/*
 * adprofctl device assignment commands: assign, deassign, list, irq, msix,
 * ack, and watch-irq, the listener of the "irq" group.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/adprof.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "cmd.h"
#include "parse.h"
#include "recfile.h"

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

/** arg_dev_id() - parse a DEV_ID argument. Return: 0 or EXIT_USAGE */
int arg_dev_id(struct adp_ctx *ctx, const char *arg, uint32_t *id)
{
	return arg_u32(ctx, "device id", arg, 1, UINT32_MAX, id);
}

int cmd_assign(struct adp_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "iommu", no_argument, NULL, 'i' },
		{}
	};
	struct nl_msg *msg;
	struct pci_addr addr;
	uint32_t id, flags = 0;
	int c, ret;

	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c != 'i')
			return opt_error(ctx, c, argv);
		flags |= ADPROF_DEV_F_IOMMU;
	}
	if (argc - optind != 2)
		return usage_error(ctx);
	ret = arg_dev_id(ctx, argv[optind], &id);
	if (ret)
		return ret;
	ret = parse_pci_addr(argv[optind + 1], &addr);
	if (ret)
		return arg_error(ctx, "PCI address", argv[optind + 1], ret);

	msg = adp_msg_new(ADPROF_CMD_DEV_ASSIGN, 0);
	if (!msg)
		goto nla_put_failure;
	NLA_PUT_U32(msg, ADPROF_A_DEV_ID, id);
	NLA_PUT_U16(msg, ADPROF_A_PCI_SEGMENT, addr.segment);
	NLA_PUT_U8(msg, ADPROF_A_PCI_BUS, addr.bus);
	NLA_PUT_U8(msg, ADPROF_A_PCI_DEVFN, addr.devfn);
	NLA_PUT_U32(msg, ADPROF_A_DEV_FLAGS, flags);
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
		if (tb[ADPROF_A_DEV_FLAGS] &&
		    nla_get_u32(tb[ADPROF_A_DEV_FLAGS]) & ADPROF_DEV_F_IOMMU)
			printf(" iommu");
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
	if (tb[ADPROF_A_DEV_FLAGS])
		json_u64(j, "dev_flags", nla_get_u32(tb[ADPROF_A_DEV_FLAGS]));
}

/* Text: "\tdma iommu_group G mappings N bytes B faults F fault_reporting
 * yes|no"; JSON: "dma": {...}. Devices assigned with DEV_F_IOMMU only. */
static void print_dma(struct adp_ctx *ctx, struct nlattr **tb)
{
	struct json *j = ctx->json;
	bool reporting;

	if (!tb[ADPROF_A_IOMMU_GROUP] || !tb[ADPROF_A_DMA_MAPPINGS] ||
	    !tb[ADPROF_A_DMA_BYTES] || !tb[ADPROF_A_DMA_FAULTS] ||
	    !tb[ADPROF_A_DMA_FAULT_REPORTING])
		return;
	reporting = nla_get_u8(tb[ADPROF_A_DMA_FAULT_REPORTING]);
	if (j) {
		json_open(j, "dma", '{');
		json_u64(j, "iommu_group", nla_get_u32(tb[ADPROF_A_IOMMU_GROUP]));
		json_u64(j, "mappings", nla_get_u32(tb[ADPROF_A_DMA_MAPPINGS]));
		json_u64(j, "bytes", nla_get_u64(tb[ADPROF_A_DMA_BYTES]));
		json_u64(j, "faults", nla_get_u64(tb[ADPROF_A_DMA_FAULTS]));
		json_bool(j, "fault_reporting", reporting);
		json_close(j, '}');
		return;
	}
	printf("\tdma iommu_group %" PRIu32 " mappings %" PRIu32 " bytes %" PRIu64
	       " faults %" PRIu64 " fault_reporting %s\n",
	       nla_get_u32(tb[ADPROF_A_IOMMU_GROUP]),
	       nla_get_u32(tb[ADPROF_A_DMA_MAPPINGS]),
	       nla_get_u64(tb[ADPROF_A_DMA_BYTES]),
	       nla_get_u64(tb[ADPROF_A_DMA_FAULTS]), reporting ? "yes" : "no");
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
	list_item(ctx, &ls->devs);
	if (j)
		json_open(j, NULL, '{');
	print_dev_head(ctx, tb);
	print_dma(ctx, tb);
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
		ret = run_dump(ctx, ADPROF_CMD_DEV_GET, 0, list_reply, &ls);
	}
	return list_end(ctx, ls.devs, ret);
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

/*
 * "ID entry E gsi G [entry E gsi G]...": every pair is checked before the
 * first message goes, then one MSIX_SET_ENTRY each, in order, up to the
 * first the kernel refuses (named in the error; those before it stay set).
 */
static int msix_set_entries(struct adp_ctx *ctx, int argc, char **argv)
{
	uint32_t id, entry, gsi;
	struct nl_msg *msg;
	char what[48];
	int i, ret;

	ret = arg_dev_id(ctx, argv[1], &id);
	for (i = 2; !ret && i < argc; i += 4) {
		if (i + 4 > argc || strcmp(argv[i], "entry") ||
		    strcmp(argv[i + 2], "gsi"))
			return usage_error(ctx);
		ret = arg_u32(ctx, "MSI-X entry", argv[i + 1], 0, UINT32_MAX,
			      &entry);
		if (!ret)
			ret = arg_u32(ctx, "GSI", argv[i + 3], 0, UINT32_MAX,
				      &gsi);
	}
	if (ret)
		return ret;

	for (i = 2; i < argc; i += 4) {
		/* Both parsed above. */
		parse_u32(argv[i + 1], 0, UINT32_MAX, &entry);
		parse_u32(argv[i + 3], 0, UINT32_MAX, &gsi);
		msg = adp_msg_new(ADPROF_CMD_MSIX_SET_ENTRY, 0);
		if (!msg)
			goto nla_put_failure;
		NLA_PUT_U32(msg, ADPROF_A_DEV_ID, id);
		NLA_PUT_U32(msg, ADPROF_A_MSIX_ENTRY, entry);
		NLA_PUT_U32(msg, ADPROF_A_GSI, gsi);
		snprintf(what, sizeof(what), "%s: entry %u", ctx->cmd->name,
			 entry);
		if (adp_transact(argc > 6 ? what : ctx->cmd->name, msg, NULL,
				 NULL))
			return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;

nla_put_failure:
	return build_failed(ctx, msg);
}

int cmd_msix(struct adp_ctx *ctx, int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[2], "nr"))
		return msix_set_nr(ctx, argv);
	if (argc >= 6 && !strcmp(argv[2], "entry"))
		return msix_set_entries(ctx, argc, argv);
	return usage_error(ctx);
}

/*
 * Latency histogram of watch-irq: 16 linear sub-buckets per power of two
 * of nanoseconds, so a percentile is known within 1/16 of its value and
 * memory stays fixed however long the watch runs.
 */
#define LAT_SUB_BITS	4
#define LAT_SUB		(1U << LAT_SUB_BITS)
#define LAT_BUCKETS	((64 - LAT_SUB_BITS + 1) * LAT_SUB)

struct watch_state {
	struct adp_ctx *ctx;
	uint64_t max_events;	/* stop after this many; 0: no limit */
	bool latency;
	uint64_t events;
	uint64_t interrupts;	/* sum of the IRQ events' COUNT */
	uint64_t faults;	/* sum of the DMA_FAULT events' COUNT */
	uint64_t lat_n;
	uint64_t lat_max;
	uint64_t lat[LAT_BUCKETS];
	int err;
};

static unsigned int lat_bucket(uint64_t ns)
{
	unsigned int e;

	if (ns < LAT_SUB)
		return ns;
	e = 63 - __builtin_clzll(ns);
	return (e - LAT_SUB_BITS + 1) * LAT_SUB +
	       ((ns >> (e - LAT_SUB_BITS)) & (LAT_SUB - 1));
}

/* Smallest value that falls in bucket @b. */
static uint64_t lat_bucket_low(unsigned int b)
{
	unsigned int e;

	if (b < LAT_SUB)
		return b;
	e = b / LAT_SUB + LAT_SUB_BITS - 1;
	return (uint64_t)(LAT_SUB + b % LAT_SUB) << (e - LAT_SUB_BITS);
}

/* Upper bound of the @pct percentile: the top of its bucket, or the max. */
static uint64_t lat_percentile(const struct watch_state *w, unsigned int pct)
{
	uint64_t want = (w->lat_n * pct + 99) / 100, seen = 0, top;
	unsigned int b;

	for (b = 0; b < LAT_BUCKETS; b++) {
		seen += w->lat[b];
		if (seen >= want && seen) {
			top = b + 1 < LAT_BUCKETS ? lat_bucket_low(b + 1) - 1 :
						    w->lat_max;
			return top < w->lat_max ? top : w->lat_max;
		}
	}
	return w->lat_max;
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* A DMA_FAULT event: text "dev D dma_fault iova 0xI access read|write
 * count N ts T", JSON with "dma_fault": {"iova", "access"}. */
static void watch_fault(struct watch_state *w, const struct adp_irq *e,
			uint64_t lat)
{
	const char *access = e->dma_flags & ADPROF_DMA_F_WRITE ? "write" : "read";
	struct json *j = w->ctx->json;

	if (j) {
		json_open(j, NULL, '{');
		json_u64(j, "dev_id", e->dev_id);
		json_open(j, "dma_fault", '{');
		json_u64(j, "iova", e->iova);
		json_str(j, "access", access);
		json_close(j, '}');
		json_u64(j, "count", e->count);
		json_u64(j, "timestamp_ns", e->time_ns);
		if (w->latency)
			json_u64(j, "latency_ns", lat);
		json_close(j, '}');
		return;
	}
	printf("dev %" PRIu32 " dma_fault iova 0x%" PRIx64 " access %s count %"
	       PRIu32 " ts %" PRIu64, e->dev_id, e->iova, access, e->count,
	       e->time_ns);
	if (w->latency)
		printf(" latency %" PRIu64 "ns", lat);
	putchar('\n');
}

static int watch_event(struct nl_msg *msg, void *arg)
{
	struct adp_irq e = { .rx_ns = monotonic_ns() };
	struct watch_state *w = arg;
	struct json *j = w->ctx->json;
	uint64_t lat;
	bool fault;
	int err;

	err = adp_irq_parse(nlmsg_hdr(msg), &e);
	if (err == -ENOMSG)
		return NL_SKIP;
	fault = e.kind == ADP_IRQ_DMA_FAULT;
	if (err) {
		w->err = malformed(w->ctx, fault ? "DMA fault event" : "IRQ event");
		return NL_STOP;
	}
	lat = e.rx_ns > e.time_ns ? e.rx_ns - e.time_ns : 0;
	w->events++;
	if (fault)
		w->faults += e.count;
	else
		w->interrupts += e.count;
	if (w->latency) {
		w->lat[lat_bucket(lat)]++;
		w->lat_n++;
		if (lat > w->lat_max)
			w->lat_max = lat;
	}

	if (fault) {
		watch_fault(w, &e, lat);
	} else if (j) {
		json_open(j, NULL, '{');
		json_u64(j, "dev_id", e.dev_id);
		json_u64(j, "vector", e.vector);
		json_u64(j, "guest_irq", e.guest_irq);
		json_u64(j, "count", e.count);
		json_u64(j, "timestamp_ns", e.time_ns);
		if (w->latency)
			json_u64(j, "latency_ns", lat);
		json_close(j, '}');
	} else {
		printf("dev %" PRIu32 " vector %" PRIu32 " guest_irq %" PRIu32
		       " count %" PRIu32 " ts %" PRIu64, e.dev_id, e.vector,
		       e.guest_irq, e.count, e.time_ns);
		if (w->latency)
			printf(" latency %" PRIu64 "ns", lat);
		putchar('\n');
	}
	fflush(stdout);
	return w->max_events && w->events >= w->max_events ? NL_STOP : NL_OK;
}

static int watch_no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

/* Text: one line per power of two with events, then the percentiles. */
static void watch_summary(struct watch_state *w, uint64_t overruns)
{
	struct json *j = w->ctx->json;
	char a[16], b[16], c[16];
	unsigned int e, i, first = 64, last = 0;
	uint64_t band[64] = { 0 };

	for (i = 0; i < LAT_BUCKETS; i++) {
		if (!w->lat[i])
			continue;
		e = i < LAT_SUB ? LAT_SUB_BITS - 1 : i / LAT_SUB + LAT_SUB_BITS - 1;
		band[e] += w->lat[i];
		first = e < first ? e : first;
		last = e > last ? e : last;
	}
	if (j) {
		json_open(j, NULL, '{');
		json_u64(j, "events", w->events);
		json_u64(j, "interrupts", w->interrupts);
		json_u64(j, "overruns", overruns);
		json_u64(j, "dma_faults", w->faults);
		if (w->latency && w->lat_n) {
			json_open(j, "latency", '{');
			json_u64(j, "p50_ns", lat_percentile(w, 50));
			json_u64(j, "p99_ns", lat_percentile(w, 99));
			json_u64(j, "max_ns", w->lat_max);
			json_open(j, "histogram", '[');
			for (e = first; e <= last; e++) {
				json_open(j, NULL, '{');
				json_u64(j, "min_ns", e < LAT_SUB_BITS ? 0 : 1ULL << e);
				json_u64(j, "below_ns", 1ULL << (e + 1));
				json_u64(j, "events", band[e]);
				json_close(j, '}');
			}
			json_close(j, ']');
			json_close(j, '}');
		}
		json_close(j, '}');
		return;
	}
	printf("events %" PRIu64 " interrupts %" PRIu64 " overruns %" PRIu64
	       " dma_faults %" PRIu64 "\n", w->events, w->interrupts, overruns,
	       w->faults);
	if (!w->latency || !w->lat_n)
		return;
	printf("latency (hard IRQ to here, CLOCK_MONOTONIC):\n");
	for (e = first; e <= last; e++) {
		unsigned int bar = (unsigned int)(band[e] * 40 / w->lat_n);

		printf("  %8s .. %-8s %10" PRIu64 " %.*s\n",
		       fmt_ns(a, sizeof(a), e < LAT_SUB_BITS ? 0 : 1ULL << e),
		       fmt_ns(b, sizeof(b), 1ULL << (e + 1)), band[e], (int)bar,
		       "########################################");
	}
	printf("p50 %s p99 %s max %s\n",
	       fmt_ns(a, sizeof(a), lat_percentile(w, 50)),
	       fmt_ns(b, sizeof(b), lat_percentile(w, 99)),
	       fmt_ns(c, sizeof(c), w->lat_max));
}

/*
 * Subscribe to "irq" and print each event until COUNT events, SECONDS, or
 * SIGINT/SIGTERM/SIGHUP. Exits 1 if -c was not reached in time.
 */
int cmd_watch_irq(struct adp_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "time", required_argument, NULL, 't' },
		{ "latency", no_argument, NULL, 'l' },
		{}
	};
	struct watch_state *w;
	struct adp_nl nl;
	struct pollfd pfd[2];
	struct nl_cb *cb = NULL;
	uint64_t ms = 0, deadline = 0, overruns = 0, now;
	bool timed_out = false;
	sigset_t set;
	int c, err, n, ret = EXIT_FAILURE, sfd;

	w = calloc(1, sizeof(*w));
	if (!w) {
		fprintf(stderr, "adprofctl: %s: out of memory\n", ctx->cmd->name);
		return EXIT_FAILURE;
	}
	w->ctx = ctx;
	while ((c = getopt_long(argc, argv, ":c:t:l", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			err = parse_u64(optarg, 1, UINT64_MAX, &w->max_events);
			if (err) {
				free(w);
				return arg_error(ctx, "count", optarg, err);
			}
			break;
		case 't':
			err = parse_duration_ms(optarg, &ms);
			if (err || !ms) {
				free(w);
				return arg_error(ctx, "duration", optarg,
						 err ? err : -ERANGE);
			}
			break;
		case 'l':
			w->latency = true;
			break;
		default:
			free(w);
			return opt_error(ctx, c, argv);
		}
	}
	if (optind != argc) {
		free(w);
		return usage_error(ctx);
	}

	sfd = stop_signalfd(ctx, &set);
	if (sfd < 0)
		goto out_free;
	if (adp_nl_open(&nl, ctx->cmd->name))
		goto out_close_sfd;
	if (adp_nl_join(&nl, ADPROF_MCGRP_IRQ))
		goto out_close_nl;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		fprintf(stderr, "adprofctl: %s: out of memory\n", ctx->cmd->name);
		goto out_close_nl;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, watch_event, w);
	/* Multicast carries no sequence numbers. */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, watch_no_seq_check, NULL);
	/* Room for bursts; overflows still show up as overruns. */
	nl_socket_set_buffer_size(nl.sk, 4 << 20, 0);
	nl_socket_set_nonblocking(nl.sk);

	if (ms)
		deadline = monotonic_ns() + ms * 1000000;
	pfd[0].fd = nl_socket_get_fd(nl.sk);
	pfd[0].events = POLLIN;
	pfd[1].fd = sfd;
	pfd[1].events = POLLIN;
	while (!w->max_events || w->events < w->max_events) {
		int timeout = -1;

		if (deadline) {
			now = monotonic_ns();
			if (now >= deadline) {
				timed_out = true;
				break;
			}
			timeout = (int)((deadline - now + 999999) / 1000000);
		}
		n = poll(pfd, 2, timeout);
		if (n < 0 && errno != EINTR) {
			fprintf(stderr, "adprofctl: %s: poll: %s\n",
				ctx->cmd->name, strerror(errno));
			goto out_put_cb;
		}
		if (n > 0 && pfd[1].revents)
			break;
		if (n <= 0 || !pfd[0].revents)
			continue;
		err = nl_recvmsgs(nl.sk, cb);
		if (w->err)
			goto out_put_cb;
		if (err == -NLE_NOMEM) {
			/* ENOBUFS: the kernel had no room for some events */
			overruns++;
			continue;
		}
		if (err < 0 && err != -NLE_AGAIN) {
			fprintf(stderr, "adprofctl: %s: receive: %s\n",
				ctx->cmd->name, nl_geterror(err));
			goto out_put_cb;
		}
	}
	watch_summary(w, overruns);
	if (timed_out && w->max_events && w->events < w->max_events)
		fprintf(stderr, "adprofctl: %s: %" PRIu64 " of %" PRIu64
			" events before the time ran out\n", ctx->cmd->name,
			w->events, w->max_events);
	else
		ret = EXIT_SUCCESS;
out_put_cb:
	nl_cb_put(cb);
out_close_nl:
	adp_nl_close(&nl);
out_close_sfd:
	close(sfd);
out_free:
	free(w);
	return ret;
}
