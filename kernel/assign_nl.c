// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink commands of device assignment. Commands on one assigned
 * device are flagged ADPROF_NL_F_DEV in the op table: the family's
 * pre_doit checks their required attributes, takes adprof_lock and looks
 * the DEV_ID up (adprof_nl_dev_pre_doit()), so the handler finds the LIVE
 * device in info->user_ptr[0] and runs under adprof_lock; post_doit
 * unlocks (as net/core/drop_monitor.c does). The DMA commands, flagged
 * ADPROF_NL_F_DEV_REF, get a reference to the device instead and run
 * without adprof_lock: pinning may take long (dma.c). DEV_ASSIGN and
 * DEV_DEASSIGN call into the driver core, which must not happen under
 * adprof_lock (adev.h), so they lock for themselves.
 */
#include <linux/adprof.h>
#include <linux/device.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "adev.h"
#include "assign.h"
#include "compat.h"
#include "irq_type.h"
#include "netlink.h"

/*
 * What each ADPROF_NL_F_DEV command needs besides DEV_ID, in the order a
 * missing one is reported; checked before the lookup, so a request that
 * lacks an attribute is told so whatever its DEV_ID.
 */
static const u8 adprof_dev_cmd_attrs[ADPROF_CMD_MAX + 1][4] = {
	[ADPROF_CMD_IRQ_ASSIGN] = { ADPROF_A_IRQ_FLAGS },
	[ADPROF_CMD_IRQ_DEASSIGN] = { ADPROF_A_IRQ_FLAGS },
	[ADPROF_CMD_MSIX_SET_NR] = { ADPROF_A_MSIX_NR },
	[ADPROF_CMD_MSIX_SET_ENTRY] = { ADPROF_A_MSIX_ENTRY, ADPROF_A_GSI },
	[ADPROF_CMD_DMA_MAP] = { ADPROF_A_VADDR, ADPROF_A_IOVA, ADPROF_A_SIZE,
				 ADPROF_A_DMA_FLAGS },
	[ADPROF_CMD_DMA_UNMAP] = { ADPROF_A_IOVA, ADPROF_A_SIZE },
	[ADPROF_CMD_DMA_GET] = { ADPROF_A_IOVA },
};

/**
 * adprof_nl_dev_pre_doit() - look up the device of a command
 * @cmd: the command, one flagged ADPROF_NL_F_DEV or _DEV_REF
 * @info: the request
 * @ref: take a reference to the device rather than hold adprof_lock
 *
 * On success info->user_ptr[0] is the LIVE device, and until
 * adprof_nl_dev_post_doit() adprof_lock is held (or, with @ref, a
 * reference: the device may be deassigned meanwhile).
 *
 * Return: 0; -EINVAL if a required attribute is missing; -ENODEV for an
 * unknown DEV_ID.
 */
int adprof_nl_dev_pre_doit(u8 cmd, struct genl_info *info, bool ref)
{
	const u8 *need = adprof_dev_cmd_attrs[cmd];
	struct adprof_dev *adev;
	unsigned int i;

	if (adprof_nl_require(info, ADPROF_A_DEV_ID))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(adprof_dev_cmd_attrs[0]) && need[i]; i++)
		if (adprof_nl_require(info, need[i]))
			return -EINVAL;

	mutex_lock(&adprof_lock);
	adev = adprof_dev_lookup(info);
	if (!adev) {
		mutex_unlock(&adprof_lock);
		return -ENODEV;
	}
	info->user_ptr[0] = adev;
	if (ref) {
		kref_get(&adev->ref);
		mutex_unlock(&adprof_lock);
	}
	return 0;
}

/**
 * adprof_nl_dev_post_doit() - release what adprof_nl_dev_pre_doit() took
 * @info: the request
 * @ref: as given to adprof_nl_dev_pre_doit()
 */
void adprof_nl_dev_post_doit(struct genl_info *info, bool ref)
{
	struct adprof_dev *adev = info->user_ptr[0];

	info->user_ptr[0] = NULL;
	if (ref) {
		adprof_dev_put(adev);
		return;
	}
	lockdep_assert_held(&adprof_lock);
	mutex_unlock(&adprof_lock);
}

/* ---- DEV_ASSIGN, DEV_DEASSIGN ------------------------------------------- */

static int adprof_check_class(struct pci_dev *pdev,
			      struct netlink_ext_ack *extack)
{
	if (pdev->class >> 8 == PCI_CLASS_BRIDGE_HOST) {
		NL_SET_ERR_MSG(extack, "a host bridge cannot be assigned");
		return -EINVAL;
	}
	if (pdev->class >> 16 == PCI_BASE_CLASS_BRIDGE || pci_is_bridge(pdev)) {
		NL_SET_ERR_MSG(extack,
			       "a bridge cannot be assigned: devices behind it depend on it");
		return -EINVAL;
	}
	return 0;
}

/*
 * Point the device at adprof, unless a driver has it or someone else
 * steers it. Takes device_lock: never call with adprof_lock held.
 */
static int adprof_set_override(struct pci_dev *pdev, const char *ov,
			       struct netlink_ext_ack *extack)
{
	struct device *dev = &pdev->dev;
	int err = 0;

	device_lock(dev);
	if (dev->driver) {
		adprof_err_fmt(extack,
			       "device is bound to host driver %s: unbind it first",
			       dev->driver->name);
		err = -EBUSY;
	} else if (adprof_override_claim(pdev, ov)) {
		NL_SET_ERR_MSG(extack, "device has a driver_override: clear it first");
		err = -EBUSY;
	}
	device_unlock(dev);
	return err;
}

/* KVM's order: a DEV_ID in use is named before the device is looked for. */
static int adprof_dev_id_free(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[ADPROF_A_DEV_ID];
	bool taken;

	mutex_lock(&adprof_lock);
	taken = xa_load(&adprof_devs, nla_get_u32(attr));
	mutex_unlock(&adprof_lock);
	if (!taken)
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack, attr, "DEV_ID is in use");
	return -EEXIST;
}

/*
 * The driver core answered DEV_ASSIGN's attach with @err; any bind may
 * have probed the device meanwhile (adev.h). Under device_lock no probe
 * or remove runs, so the state says who has the device: still CLAIMING,
 * nobody did and the claim is withdrawn; LIVE (or being deassigned), a
 * binding has it; GONE, a binding had it and was unbound again.
 *
 * Return: 0 if the device was assigned, else a negative errno with an
 * extack and nothing left behind.
 */
static int adprof_attach_outcome(struct adprof_dev *adev, int err,
				 struct netlink_ext_ack *extack)
{
	struct pci_dev *pdev = adev->pdev;
	enum adprof_dev_state state;

	device_lock(&pdev->dev);
	mutex_lock(&adprof_lock);
	state = adev->state;
	if (state == ADPROF_DEV_CLAIMING)
		adprof_dev_unreserve(adev);
	mutex_unlock(&adprof_lock);
	if (state == ADPROF_DEV_CLAIMING)
		adprof_override_drop(pdev, ADPROF_PCI_DRIVER);
	device_unlock(&pdev->dev);

	switch (state) {
	case ADPROF_DEV_CLAIMING:
		if (!err)	/* cannot be: a successful probe leaves LIVE */
			err = -ENODEV;
		adprof_err_fmt(extack, "%s", adev->probe_err ?:
			       "binding adprof to the device failed");
		return err;
	case ADPROF_DEV_GONE:
		NL_SET_ERR_MSG(extack,
			       "the device was unbound while it was being assigned");
		return -EBUSY;
	default:
		return 0;
	}
}

/**
 * adprof_nl_dev_assign() - DEV_ASSIGN: take a PCI device under a DEV_ID
 * @skb: request
 * @info: request attributes: DEV_ID, PCI_BUS and PCI_DEVFN required,
 *	PCI_SEGMENT (default 0) and DEV_FLAGS optional
 *
 * Return: 0 once the device is bound to adprof, enabled and reset; -EEXIST
 * if the DEV_ID or the device is taken; -ENODEV if there is no such device;
 * -EINVAL for a bridge; -EBUSY if a host driver has it; -ENOSPC if
 * max_devs are assigned; -EIO if the device could not be reset; another
 * negative errno on failure.
 */
int adprof_nl_dev_assign(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct adprof_dev *adev;
	struct pci_dev *pdev;
	u16 segment = 0;
	u32 flags = 0;
	char *ov;
	int err;

	if (adprof_nl_require(info, ADPROF_A_DEV_ID) ||
	    adprof_nl_require(info, ADPROF_A_PCI_BUS) ||
	    adprof_nl_require(info, ADPROF_A_PCI_DEVFN))
		return -EINVAL;
	if (info->attrs[ADPROF_A_PCI_SEGMENT])
		segment = nla_get_u16(info->attrs[ADPROF_A_PCI_SEGMENT]);
	if (info->attrs[ADPROF_A_DEV_FLAGS])
		flags = nla_get_u32(info->attrs[ADPROF_A_DEV_FLAGS]);
	err = adprof_dev_id_free(info);
	if (err)
		return err;

	pdev = pci_get_domain_bus_and_slot(segment,
					   nla_get_u8(info->attrs[ADPROF_A_PCI_BUS]),
					   nla_get_u8(info->attrs[ADPROF_A_PCI_DEVFN]));
	if (!pdev) {
		NL_SET_ERR_MSG(extack, "no PCI device at this address");
		return -ENODEV;
	}
	err = adprof_check_class(pdev, extack);
	if (err) {
		pci_dev_put(pdev);
		return err;
	}

	/* Takes over the reference to @pdev. */
	adev = adprof_dev_alloc(nla_get_u32(info->attrs[ADPROF_A_DEV_ID]),
				pdev, segment, flags);
	if (!adev) {
		pci_dev_put(pdev);
		NL_SET_ERR_MSG(extack, "no memory for the device's state");
		return -ENOMEM;
	}

	mutex_lock(&adprof_lock);
	err = adprof_dev_reserve(adev, info);
	mutex_unlock(&adprof_lock);
	if (err)
		goto out_put;

	ov = kstrdup(ADPROF_PCI_DRIVER, GFP_KERNEL);
	if (!ov) {
		NL_SET_ERR_MSG(extack, "no memory for the driver_override");
		err = -ENOMEM;
		goto err_unreserve;
	}
	err = adprof_set_override(pdev, ov, extack);
	if (err) {
		kfree(ov);
		goto err_unreserve;
	}

	/* Calls adprof_pci_probe(), which takes adprof_lock. */
	err = device_driver_attach(&adprof_pci_driver.driver, &pdev->dev);
	err = adprof_attach_outcome(adev, err, extack);
	goto out_put;

err_unreserve:
	mutex_lock(&adprof_lock);
	adprof_dev_unreserve(adev);
	mutex_unlock(&adprof_lock);
out_put:
	/* DEV_ASSIGN's reference; a binding holds its own. */
	adprof_dev_put(adev);
	return err;
}

/**
 * adprof_nl_dev_deassign() - DEV_DEASSIGN: give a device back
 * @skb: request
 * @info: request attributes: DEV_ID
 *
 * Releases adprof's binding; adprof_pci_remove() does the work.
 *
 * Return: 0 once the device is restored and unbound; -ENODEV for an
 * unknown DEV_ID.
 */
int adprof_nl_dev_deassign(struct sk_buff *skb, struct genl_info *info)
{
	struct adprof_dev *adev;
	struct pci_dev *pdev;

	if (adprof_nl_require(info, ADPROF_A_DEV_ID))
		return -EINVAL;

	mutex_lock(&adprof_lock);
	adev = adprof_dev_lookup(info);
	if (!adev) {
		mutex_unlock(&adprof_lock);
		return -ENODEV;
	}
	adev->state = ADPROF_DEV_DEASSIGNING;
	adprof_gen++;
	pdev = pci_dev_get(adev->pdev);
	mutex_unlock(&adprof_lock);

	/* A sysfs unbind may have beaten us to it: then this does nothing. */
	device_release_driver(&pdev->dev);
	adprof_override_clear(pdev);
	pci_dev_put(pdev);
	return 0;
}

/* ---- DEV_GET ---------------------------------------------------------- */

/* Reply size: everything adprof_dev_fill() may put. */
static size_t adprof_dev_msg_size(const struct adprof_dev *adev)
{
	size_t slot = nla_total_size(0) + 2 * nla_total_size(sizeof(u32));
	size_t vec = nla_total_size(0) + 2 * nla_total_size(sizeof(u32)) +
		     2 * nla_total_size_64bit(sizeof(u64));

	return 5 * nla_total_size(sizeof(u32)) +	/* id, 2 flags, irq, nr */
	       3 * nla_total_size(sizeof(u16)) +	/* segment, ids */
	       3 * nla_total_size(sizeof(u8)) +		/* bus, devfn, masked */
	       nla_total_size(0) + adev->msix.count * slot +
	       nla_total_size(0) + adev->nvec * vec +
	       adprof_dma_msg_size();
}

static int adprof_fill_vectors(struct sk_buff *skb, struct adprof_dev *adev)
{
	struct nlattr *nest, *vnest;
	u64 count, coalesced;
	u32 i;

	nest = nla_nest_start(skb, ADPROF_A_VECTORS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < adev->nvec; i++) {
		spin_lock_irq(&adev->irq_lock);
		count = adev->vecs[i].ev.count;
		coalesced = adev->vecs[i].ev.coalesced;
		spin_unlock_irq(&adev->irq_lock);

		vnest = nla_nest_start(skb, ADPROF_A_VECTOR);
		if (!vnest ||
		    nla_put_u32(skb, ADPROF_VEC_A_INDEX, i) ||
		    nla_put_u32(skb, ADPROF_VEC_A_IRQ, adev->vecs[i].irq) ||
		    nla_put_u64_64bit(skb, ADPROF_VEC_A_COUNT, count,
				      ADPROF_VEC_A_PAD) ||
		    nla_put_u64_64bit(skb, ADPROF_VEC_A_COALESCED, coalesced,
				      ADPROF_VEC_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, vnest);
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int adprof_fill_msix(struct sk_buff *skb, struct adprof_dev *adev)
{
	struct nlattr *nest, *snest;
	u32 i;

	nest = nla_nest_start(skb, ADPROF_A_MSIX_TABLE);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < adev->msix.count; i++) {
		snest = nla_nest_start(skb, ADPROF_A_MSIX_SLOT);
		if (!snest ||
		    nla_put_u32(skb, ADPROF_MSIX_A_ENTRY, adev->msix.slots[i].entry) ||
		    nla_put_u32(skb, ADPROF_MSIX_A_GSI, adev->msix.slots[i].gsi))
			return -EMSGSIZE;
		nla_nest_end(skb, snest);
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* One DEV_GET message for a LIVE device; @cb for dumps. */
static int adprof_dev_fill(struct sk_buff *skb, struct adprof_dev *adev,
			   u32 portid, u32 seq, int flags,
			   struct netlink_callback *cb)
{
	struct pci_dev *pdev = adev->pdev;
	bool masked;
	void *hdr;

	lockdep_assert_held(&adprof_lock);
	hdr = genlmsg_put(skb, portid, seq, &adprof_family, flags,
			  ADPROF_CMD_DEV_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	spin_lock_irq(&adev->irq_lock);
	masked = adev->intx.masked;
	spin_unlock_irq(&adev->irq_lock);

	if (nla_put_u32(skb, ADPROF_A_DEV_ID, adev->id) ||
	    nla_put_u16(skb, ADPROF_A_PCI_SEGMENT, adev->segment) ||
	    nla_put_u8(skb, ADPROF_A_PCI_BUS, adev->bus) ||
	    nla_put_u8(skb, ADPROF_A_PCI_DEVFN, adev->devfn) ||
	    nla_put_u16(skb, ADPROF_A_VENDOR, pdev->vendor) ||
	    nla_put_u16(skb, ADPROF_A_DEVICE, pdev->device) ||
	    nla_put_u32(skb, ADPROF_A_DEV_FLAGS, adev->dev_flags) ||
	    nla_put_u32(skb, ADPROF_A_IRQ_FLAGS, adev->irq_requested) ||
	    nla_put_u32(skb, ADPROF_A_GUEST_IRQ, adev->guest_irq) ||
	    nla_put_u32(skb, ADPROF_A_MSIX_NR, adev->msix.nr) ||
	    adprof_fill_msix(skb, adev) ||
	    adprof_fill_vectors(skb, adev) ||
	    nla_put_u8(skb, ADPROF_A_INTX_MASKED, masked) ||
	    adprof_dma_fill(skb, adev))
		goto err_cancel;
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/**
 * adprof_nl_dev_get_doit() - DEV_GET with a DEV_ID: one device
 * @skb: request
 * @info: request; the device in user_ptr[0], adprof_lock held
 *
 * Return: 0 after the reply is sent; -ENOMEM.
 */
int adprof_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct adprof_dev *adev = info->user_ptr[0];
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(adprof_dev_msg_size(adev), GFP_KERNEL);
	if (!msg) {
		GENL_SET_ERR_MSG(info, "no memory for the reply");
		return -ENOMEM;
	}
	err = adprof_dev_fill(msg, adev, info->snd_portid, info->snd_seq, 0,
			      NULL);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/**
 * adprof_nl_dev_get_start() - DEV_GET dump: size its messages
 * @cb: dump state
 *
 * The messages of a dump go in an skb of NLMSG_GOODSIZE, or as large as
 * the reader's largest receive up to 32 KiB: libnl receives 16 KiB, less
 * than the message of a device with 255 MSI-X entries and vectors. Ask
 * netlink for one that the largest device fits in, as rtnetlink does with
 * rtnl_calcit(). A device that grows while the dump runs may still not
 * fit: the dump then ends with EMSGSIZE and says so. Nothing is sized for
 * a caller the dump will refuse.
 *
 * Return: 0.
 */
int adprof_nl_dev_get_start(struct netlink_callback *cb)
{
	struct adprof_dev *adev;
	unsigned long id;
	size_t size = 0;

	if (!netlink_capable(cb->skb, CAP_SYS_ADMIN))
		return 0;
	mutex_lock(&adprof_lock);
	xa_for_each(&adprof_devs, id, adev)
		if (adev->state == ADPROF_DEV_LIVE)
			size = max(size, adprof_dev_msg_size(adev));
	mutex_unlock(&adprof_lock);
	if (size)
		cb->min_dump_alloc = nlmsg_total_size(GENL_HDRLEN + size);
	return 0;
}

/**
 * adprof_nl_dev_get_dumpit() - DEV_GET dump: every assigned device
 * @skb: message being filled
 * @cb: dump state; cb->args[0] is the next DEV_ID to look at
 *
 * Devices come in DEV_ID order, resuming after the last one sent, so the
 * dump survives devices coming and going between parts; a part sent after
 * such a change carries NLM_F_DUMP_INTR.
 *
 * Return: bytes put in @skb (0 at the end), or -EMSGSIZE if one device
 * does not fit in an empty message.
 */
int adprof_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct adprof_dev *adev;
	unsigned long id;
	int err = 0;

	mutex_lock(&adprof_lock);
	cb->seq = adprof_gen;
	xa_for_each_start(&adprof_devs, id, adev, cb->args[0]) {
		if (adev->state != ADPROF_DEV_LIVE)
			continue;
		err = adprof_dev_fill(skb, adev, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err)
			break;
		cb->args[0] = id + 1;
	}
	mutex_unlock(&adprof_lock);
	if (err && !skb->len) {
		NL_SET_ERR_MSG(cb->extack,
			       "a device grew too large for this dump's buffer: dump again");
		return err;
	}
	return skb->len;
}

/* ---- IRQ routing ------------------------------------------------------ */

/**
 * adprof_nl_irq_assign() - IRQ_ASSIGN: route host interrupts to a consumer
 * @skb: request
 * @info: request: IRQ_FLAGS, GUEST_IRQ (default 0) for a consumer INTx or
 *	MSI side; the device in user_ptr[0], adprof_lock held
 *
 * Return: 0 on success; -EINVAL for bad IRQ_FLAGS, or host MSI-X before
 * its table is complete; -EEXIST if a side is assigned already;
 * -EOPNOTSUPP if the device lacks the host type; another negative errno if
 * enabling or requesting the IRQ failed.
 */
int adprof_nl_irq_assign(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *fattr = info->attrs[ADPROF_A_IRQ_FLAGS];
	struct adprof_dev *adev = info->user_ptr[0];
	u32 flags, host, guest;
	int cap, err;

	flags = nla_get_u32(fattr);
	host = flags & ADPROF_IRQ_HOST_MASK;
	guest = flags & ADPROF_IRQ_GUEST_MASK;

	err = adprof_irq_type_check(adev->irq_requested, flags);
	if (err == -EEXIST) {
		NL_SET_ERR_MSG_ATTR(extack, fattr,
				    "a side named in IRQ_FLAGS is already assigned");
		return err;
	}
	if (err) {
		NL_SET_ERR_MSG_ATTR(extack, fattr,
				    "IRQ_FLAGS needs one host or guest type, at most one of each");
		return err;
	}

	cap = adprof_irq_host_cap(flags);
	if (cap && !pci_find_capability(adev->pdev, cap)) {
		if (cap == PCI_CAP_ID_MSI)
			NL_SET_ERR_MSG_ATTR(extack, fattr, "device has no MSI capability");
		else
			NL_SET_ERR_MSG_ATTR(extack, fattr, "device has no MSI-X capability");
		return -EOPNOTSUPP;
	}
	if (host == ADPROF_IRQ_HOST_INTX && !adev->pdev->pin) {
		NL_SET_ERR_MSG_ATTR(extack, fattr, "device has no INTx pin");
		return -EOPNOTSUPP;
	}
	if (host == ADPROF_IRQ_HOST_MSIX && !adprof_msix_complete(&adev->msix)) {
		NL_SET_ERR_MSG_ATTR(extack, fattr,
				    "host MSI-X: set MSIX_SET_NR and entries first");
		return -EINVAL;
	}

	if (host) {
		err = adprof_host_irq_enable(adev, host, extack);
		if (err)
			return err;
	}
	if (guest)
		WRITE_ONCE(adev->guest_irq, info->attrs[ADPROF_A_GUEST_IRQ] ?
			   nla_get_u32(info->attrs[ADPROF_A_GUEST_IRQ]) : 0);
	adev->irq_requested |= flags;
	return 0;
}

/**
 * adprof_nl_irq_deassign() - IRQ_DEASSIGN: release the named sides
 * @skb: request
 * @info: request: IRQ_FLAGS; the device in user_ptr[0], adprof_lock held
 *
 * A side goes whole when any of its type bits is named (KVM's rule).
 *
 * Return: 0 on success; -ENXIO if nothing is assigned.
 */
int adprof_nl_irq_deassign(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *fattr = info->attrs[ADPROF_A_IRQ_FLAGS];
	struct adprof_dev *adev = info->user_ptr[0];
	u32 flags = nla_get_u32(fattr);
	int err;

	err = adprof_irq_deassign_check(adev->irq_requested, flags);
	if (err == -ENXIO) {
		NL_SET_ERR_MSG(info->extack, "no IRQ is assigned to this device");
		return err;
	}
	if (err) {
		NL_SET_ERR_MSG_ATTR(info->extack, fattr, "unknown IRQ_FLAGS bits");
		return err;
	}
	adprof_irq_release(adev,
			   adprof_irq_deassign_sides(adev->irq_requested, flags));
	return 0;
}

/* -EOPNOTSUPP with an extack if the device has no MSI-X. */
static int adprof_msix_check(struct adprof_dev *adev, struct genl_info *info)
{
	if (pci_find_capability(adev->pdev, PCI_CAP_ID_MSIX))
		return 0;
	NL_SET_ERR_MSG(info->extack, "device has no MSI-X capability");
	return -EOPNOTSUPP;
}

/**
 * adprof_nl_msix_set_nr() - MSIX_SET_NR: size the MSI-X routing table
 * @skb: request
 * @info: request: MSIX_NR; the device in user_ptr[0], adprof_lock held
 *
 * Return: 0 on success; -EOPNOTSUPP without MSI-X; -EINVAL if the size is
 * set already or above the device's table; -ENOMEM.
 */
int adprof_nl_msix_set_nr(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *nattr = info->attrs[ADPROF_A_MSIX_NR];
	struct adprof_dev *adev = info->user_ptr[0];
	u32 nr = nla_get_u32(nattr);
	int size, err;

	err = adprof_msix_check(adev, info);
	if (err)
		return err;
	size = pci_msix_vec_count(adev->pdev);
	if (size < 0) {
		NL_SET_ERR_MSG(info->extack, "cannot read the device's MSI-X table size");
		return size;
	}
	if (adev->msix.nr) {
		NL_SET_ERR_MSG_ATTR(info->extack, nattr,
				    "MSI-X table size is already set");
		return -EINVAL;
	}
	if (nr > size) {
		NL_SET_BAD_ATTR(info->extack, nattr);
		adprof_err_fmt(info->extack,
			       "MSIX_NR is above the device's MSI-X table size (%d)",
			       size);
		return -EINVAL;
	}
	err = adprof_msix_set_nr(&adev->msix, nr, size);
	if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, nattr, "cannot size the MSI-X table");
	return err;
}

/**
 * adprof_nl_msix_set_entry() - MSIX_SET_ENTRY: route an MSI-X entry
 * @skb: request
 * @info: request: MSIX_ENTRY, GSI; the device in user_ptr[0], adprof_lock
 *	held
 *
 * Return: 0 on success; -EOPNOTSUPP without MSI-X; -EINVAL before
 * MSIX_SET_NR or for an entry beyond the device's table; -ENOSPC if the
 * entry is new and the table full.
 */
int adprof_nl_msix_set_entry(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *eattr = info->attrs[ADPROF_A_MSIX_ENTRY];
	struct adprof_dev *adev = info->user_ptr[0];
	u32 entry = nla_get_u32(eattr);
	u32 gsi = nla_get_u32(info->attrs[ADPROF_A_GSI]);
	int err;

	err = adprof_msix_check(adev, info);
	if (err)
		return err;
	if (!adev->msix.nr) {
		NL_SET_ERR_MSG(info->extack, "set MSIX_SET_NR first");
		return -EINVAL;
	}
	if (entry >= adev->msix.dev_size) {
		NL_SET_BAD_ATTR(info->extack, eattr);
		adprof_err_fmt(info->extack,
			       "MSIX_ENTRY is beyond the device's MSI-X table (%u entries)",
			       adev->msix.dev_size);
		return -EINVAL;
	}
	err = adprof_msix_set_entry(&adev->msix, entry, gsi);
	if (err == -ENOSPC)
		NL_SET_ERR_MSG_ATTR(info->extack, eattr,
				    "every slot of the MSI-X table is taken");
	else if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, eattr, "cannot set the MSI-X entry");
	return err;
}

/**
 * adprof_nl_irq_ack() - IRQ_ACK: the consumer's INTx end-of-interrupt
 * @skb: request
 * @info: request; the device in user_ptr[0], adprof_lock held
 *
 * Unmasks the host line the handler masked; an ack with nothing masked
 * does nothing, as a shared consumer line may be acked for another device.
 *
 * Return: 0 on success; -EINVAL if no host INTx is assigned.
 */
int adprof_nl_irq_ack(struct sk_buff *skb, struct genl_info *info)
{
	struct adprof_dev *adev = info->user_ptr[0];

	if (!(adev->irq_requested & ADPROF_IRQ_HOST_INTX)) {
		NL_SET_ERR_MSG(info->extack,
			       "IRQ_ACK ends a host INTx interrupt: no host INTx is assigned");
		return -EINVAL;
	}
	adprof_intx_irq_ack(adev);
	return 0;
}
