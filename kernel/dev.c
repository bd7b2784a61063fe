// SPDX-License-Identifier: GPL-2.0
/*
 * Device ownership, after KVM's assigned-dev (2011) on today's APIs: the
 * registry of assigned devices, adprof as their PCI driver (probe and
 * remove), the config state as found and its restore, and the debugfs
 * view. The life of a device and the locking rules are in adev.h.
 */
#include <linux/adprof.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <net/genetlink.h>

#include "adev.h"
#include "assign.h"
#include "compat.h"
#include "debugfs.h"

static unsigned int max_devs = 64;
module_param(max_devs, uint, 0444);
MODULE_PARM_DESC(max_devs, "Most devices assigned at once (default 64)");

/* The registry and every LIVE device's [C] fields: see adev.h. */
DEFINE_MUTEX(adprof_lock);
DEFINE_XARRAY(adprof_devs);
static unsigned int adprof_nr_devs;
/* Bumped when the set of LIVE devices changes; marks interrupted dumps. */
unsigned int adprof_gen = 1;

static struct dentry *adprof_devices_file;

#ifndef NL_SET_ERR_MSG_FMT
/*
 * 6.1 has no NL_SET_ERR_MSG_FMT (6.3), and an extack keeps only a pointer,
 * read when the ack is built after the handler returns. Formatted messages
 * therefore live in a small static ring: never freed, always terminated;
 * only a burst of concurrent failures could garble one.
 */
#define ADPROF_MSG_SLOTS	8
#define ADPROF_MSG_LEN		128

static char adprof_msgs[ADPROF_MSG_SLOTS][ADPROF_MSG_LEN];
static atomic_t adprof_msg_next;

/**
 * adprof_err_fmt() - set a formatted extack message
 * @extack: the request's extack, or NULL
 * @fmt: printf format
 */
void adprof_err_fmt(struct netlink_ext_ack *extack, const char *fmt, ...)
{
	unsigned int slot;
	va_list ap;

	if (!extack)
		return;
	slot = (unsigned int)atomic_inc_return(&adprof_msg_next) %
	       ADPROF_MSG_SLOTS;
	va_start(ap, fmt);
	/* The last byte is never written, so the slot stays terminated. */
	vsnprintf(adprof_msgs[slot], ADPROF_MSG_LEN - 1, fmt, ap);
	va_end(ap);
	extack->_msg = adprof_msgs[slot];
}
#endif

/**
 * adprof_host_name() - name of the host IRQ type in @flags
 * @flags: ADPROF_IRQ_* bits
 *
 * Return: "intx", "msi", "msix" or "none".
 */
const char *adprof_host_name(u32 flags)
{
	switch (flags & ADPROF_IRQ_HOST_MASK) {
	case ADPROF_IRQ_HOST_INTX:
		return "intx";
	case ADPROF_IRQ_HOST_MSI:
		return "msi";
	case ADPROF_IRQ_HOST_MSIX:
		return "msix";
	default:
		return "none";
	}
}

/**
 * adprof_guest_name() - name of the consumer IRQ type in @flags
 * @flags: ADPROF_IRQ_* bits
 *
 * Return: "intx", "msi", "msix" or "none".
 */
const char *adprof_guest_name(u32 flags)
{
	return adprof_host_name((flags & ADPROF_IRQ_GUEST_MASK) >> 8);
}

/* ---- config state as found --------------------------------------------- */

/* MSI address/data/mask registers: the header restore does not cover them. */
static unsigned int adprof_msi_regs(u16 flags, u8 *off)
{
	bool is64 = flags & PCI_MSI_FLAGS_64BIT;
	unsigned int n = 0;

	off[n++] = PCI_MSI_ADDRESS_LO;
	if (is64)
		off[n++] = PCI_MSI_ADDRESS_HI;
	off[n++] = is64 ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32;
	if (flags & PCI_MSI_FLAGS_MASKBIT)
		off[n++] = is64 ? PCI_MSI_MASK_64 : PCI_MSI_MASK_32;
	return n;
}

/*
 * Save the config state as found, before enable and reset change it:
 * the header and PCI core capabilities through pci_store_saved_state(),
 * and what pci_restore_state() leaves alone, the MSI and MSI-X registers
 * that host MSI or MSI-X programs. Without the stored state the device
 * could not be given back as found, so the assignment fails instead.
 */
static int adprof_found_save(struct adprof_dev *adev)
{
	struct pci_dev *pdev = adev->pdev;
	unsigned int i, n;
	u8 off[4];

	pci_save_state(pdev);
	adev->found_state = pci_store_saved_state(pdev);
	if (!adev->found_state)
		return -ENOMEM;

	adev->msi_cap = pci_find_capability(pdev, PCI_CAP_ID_MSI);
	if (adev->msi_cap) {
		pci_read_config_word(pdev, adev->msi_cap + PCI_MSI_FLAGS,
				     &adev->msi_flags);
		n = adprof_msi_regs(adev->msi_flags, off);
		for (i = 0; i < n; i++)
			pci_read_config_dword(pdev, adev->msi_cap + off[i],
					      &adev->msi_regs[i]);
	}
	adev->msix_cap = pci_find_capability(pdev, PCI_CAP_ID_MSIX);
	if (adev->msix_cap)
		pci_read_config_word(pdev, adev->msix_cap + PCI_MSIX_FLAGS,
				     &adev->msix_flags);
	return 0;
}

static void adprof_cfg_restore_dword(struct pci_dev *pdev, int where, u32 val)
{
	u32 cur;

	pci_read_config_dword(pdev, where, &cur);
	if (cur != val)
		pci_write_config_dword(pdev, where, val);
}

static void adprof_cfg_restore_word(struct pci_dev *pdev, int where, u16 val)
{
	u16 cur;

	pci_read_config_word(pdev, where, &cur);
	if (cur != val)
		pci_write_config_word(pdev, where, val);
}

/* Write back the state adprof_found_save() took; the device is disabled. */
static void adprof_found_restore(struct adprof_dev *adev)
{
	struct pci_dev *pdev = adev->pdev;
	unsigned int i, n;
	u8 off[4];

	if (adev->found_state) {
		pci_load_and_free_saved_state(pdev, &adev->found_state);
		pci_restore_state(pdev);
	}
	if (adev->msi_cap) {
		n = adprof_msi_regs(adev->msi_flags, off);
		for (i = 0; i < n; i++)
			adprof_cfg_restore_dword(pdev, adev->msi_cap + off[i],
						 adev->msi_regs[i]);
		adprof_cfg_restore_word(pdev, adev->msi_cap + PCI_MSI_FLAGS,
					adev->msi_flags);
	}
	if (adev->msix_cap)
		adprof_cfg_restore_word(pdev, adev->msix_cap + PCI_MSIX_FLAGS,
					adev->msix_flags);
}

/* ---- the registry ------------------------------------------------------ */

/**
 * adprof_dev_alloc() - a device struct for DEV_ASSIGN, not yet registered
 * @id: DEV_ID
 * @pdev: the device; the caller's reference passes to the struct
 * @segment: PCI domain as asked for
 * @flags: DEV_FLAGS
 *
 * Return: the struct in CLAIMING state with the caller's reference, or
 * NULL without memory.
 */
struct adprof_dev *adprof_dev_alloc(u32 id, struct pci_dev *pdev, u16 segment,
				    u32 flags)
{
	struct adprof_dev *adev;

	adev = kzalloc(sizeof(*adev), GFP_KERNEL);
	if (!adev)
		return NULL;
	adev->id = id;
	adev->pdev = pdev;
	adev->segment = segment;
	adev->bus = pdev->bus->number;
	adev->devfn = pdev->devfn;
	adev->dev_flags = flags;
	adev->state = ADPROF_DEV_CLAIMING;
	kref_init(&adev->ref);
	adprof_intrs_init(adev);
	adprof_dma_init(adev);
	return adev;
}

static void adprof_dev_release(struct kref *ref)
{
	struct adprof_dev *adev = container_of(ref, struct adprof_dev, ref);

	pci_dev_put(adev->pdev);
	kfree(adev);
}

/**
 * adprof_dev_put() - drop a reference to a device struct
 * @adev: the struct; the last reference frees it and its device reference
 */
void adprof_dev_put(struct adprof_dev *adev)
{
	kref_put(&adev->ref, adprof_dev_release);
}

/**
 * adprof_dev_reserve() - take the DEV_ID and the device in the registry
 * @adev: a CLAIMING device struct
 * @info: the request, for the extack
 *
 * Return: 0, -EEXIST if the DEV_ID or the device is taken, -ENOSPC at
 * max_devs, -ENOMEM.
 */
int adprof_dev_reserve(struct adprof_dev *adev, struct genl_info *info)
{
	struct adprof_dev *other;
	unsigned long id;
	int err;

	lockdep_assert_held(&adprof_lock);
	if (xa_load(&adprof_devs, adev->id)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[ADPROF_A_DEV_ID],
				    "DEV_ID is in use");
		return -EEXIST;
	}
	xa_for_each(&adprof_devs, id, other) {
		if (other->pdev == adev->pdev) {
			adprof_err_fmt(info->extack,
				       "device is already assigned as DEV_ID %u",
				       other->id);
			return -EEXIST;
		}
	}
	if (adprof_nr_devs >= max_devs) {
		adprof_err_fmt(info->extack,
			       "too many assigned devices (max_devs=%u)",
			       max_devs);
		return -ENOSPC;
	}
	err = xa_insert(&adprof_devs, adev->id, adev, GFP_KERNEL);
	if (err) {
		NL_SET_ERR_MSG(info->extack, "cannot register the DEV_ID");
		return err;
	}
	adprof_nr_devs++;
	return 0;
}

/**
 * adprof_dev_unreserve() - give the DEV_ID back
 * @adev: a registered device struct; GONE afterwards
 */
void adprof_dev_unreserve(struct adprof_dev *adev)
{
	lockdep_assert_held(&adprof_lock);
	xa_erase(&adprof_devs, adev->id);
	adprof_nr_devs--;
	adev->state = ADPROF_DEV_GONE;
}

/**
 * adprof_dev_lookup() - the LIVE device named by the request's DEV_ID
 * @info: the request; DEV_ID present
 *
 * Return: the device, or NULL with an extack.
 */
struct adprof_dev *adprof_dev_lookup(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[ADPROF_A_DEV_ID];
	struct adprof_dev *adev;

	lockdep_assert_held(&adprof_lock);
	adev = xa_load(&adprof_devs, nla_get_u32(attr));
	if (!adev || adev->state != ADPROF_DEV_LIVE) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "no device is assigned with this DEV_ID");
		return NULL;
	}
	return adev;
}

/* A device DEV_ASSIGN is binding, if @pdev is one. */
static struct adprof_dev *adprof_find_claim(struct pci_dev *pdev)
{
	struct adprof_dev *adev;
	unsigned long id;

	lockdep_assert_held(&adprof_lock);
	xa_for_each(&adprof_devs, id, adev)
		if (adev->pdev == pdev && adev->state == ADPROF_DEV_CLAIMING)
			return adev;
	return NULL;
}

/* ---- the PCI driver ---------------------------------------------------- */

/* Reset where the device has a way (edu and virtio-rng have none). */
static int adprof_reset(struct pci_dev *pdev)
{
	int err;

	err = adprof_fault_reset() ? -EIO : pci_reset_function_locked(pdev);
	if (err == -ENOTTY)
		return 0;
	if (err)
		pci_warn(pdev, "reset failed (%d)\n", err);
	return err;
}

/*
 * Called with device_lock held, through DEV_ASSIGN's attach or any other
 * bind (new_id, sysfs bind, drivers_probe): only a device DEV_ASSIGN asked
 * for is taken, whichever bind gets there first (adev.h).
 */
static int adprof_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct adprof_dev *adev;
	int err;

	mutex_lock(&adprof_lock);
	adev = adprof_find_claim(pdev);
	mutex_unlock(&adprof_lock);
	if (!adev)
		return -ENODEV;

	/*
	 * CLAIMING, and device_lock held: DEV_ASSIGN waits for this probe
	 * before it looks at @adev again.
	 */
	adev->probe_err = NULL;
	err = adprof_found_save(adev);
	if (err) {
		adev->probe_err = "cannot store the device's config state to restore it";
		return err;
	}
	/* Its own domain before its DMA is enabled. */
	err = adprof_dma_setup(adev);
	if (err)
		goto err_free_state;
	err = pci_enable_device(pdev);
	if (err) {
		adev->probe_err = "cannot enable the PCI device";
		goto err_dma;
	}
	err = adprof_reset(pdev);
	if (err) {
		adev->probe_err = "resetting the device failed";
		goto err_disable;
	}
	/* MSI writes are DMA: the device must be a bus master. */
	pci_set_master(pdev);
	/* No INTx until host INTx is assigned; the found state has its bit. */
	pci_intx(pdev, 0);

	pci_set_drvdata(pdev, adev);
	mutex_lock(&adprof_lock);
	kref_get(&adev->ref);		/* the binding's */
	adev->state = ADPROF_DEV_LIVE;
	adprof_gen++;
	mutex_unlock(&adprof_lock);
	pci_info(pdev, "assigned as %u\n", adev->id);
	return 0;

err_disable:
	pci_disable_device(pdev);
	adprof_dma_teardown(adev);
	adprof_found_restore(adev);
	return err;
err_dma:
	adprof_dma_teardown(adev);
err_free_state:
	kfree(adev->found_state);
	adev->found_state = NULL;
	return err;
}

/*
 * Called with device_lock held by DEV_DEASSIGN's release, module unload
 * (pci_unregister_driver), sysfs unbind and hot-unplug alike.
 */
static void adprof_pci_remove(struct pci_dev *pdev)
{
	struct adprof_dev *adev = pci_get_drvdata(pdev);
	bool deassigning;

	mutex_lock(&adprof_lock);
	deassigning = adev->state == ADPROF_DEV_DEASSIGNING;
	adev->state = ADPROF_DEV_REMOVING;
	adprof_gen++;
	mutex_unlock(&adprof_lock);

	/* REMOVING: this path owns @adev. */
	adprof_irq_release(adev, adev->irq_requested);
	adprof_msix_release(&adev->msix);
	/* No DMA from here on, then nothing mapped for it. */
	pci_clear_master(pdev);
	/* A failed reset is logged; the device goes back all the same. */
	adprof_reset(pdev);
	adprof_dma_teardown(adev);
	pci_disable_device(pdev);
	/* After disable, which would clear a bus master bit found set. */
	adprof_found_restore(adev);
	/*
	 * DEV_DEASSIGN clears the override itself once the driver is gone;
	 * until then no host driver can grab the device.
	 */
	if (!deassigning)
		adprof_override_drop(pdev, ADPROF_PCI_DRIVER);
	pci_set_drvdata(pdev, NULL);

	mutex_lock(&adprof_lock);
	adprof_dev_unreserve(adev);
	mutex_unlock(&adprof_lock);

	pci_info(pdev, "deassigned from %u\n", adev->id);
	adprof_dev_put(adev);		/* the binding's */
}

/* No ids: adprof binds only through driver_override, and only on request. */
static const struct pci_device_id adprof_pci_ids[] = {
	{ }
};

/*
 * driver_managed_dma: adprof does no DMA through the kernel's DMA API, so
 * binding it does not make the group's default domain in use, and a
 * DEV_F_IOMMU device's group can be owned (as vfio-pci and pci-stub do).
 */
struct pci_driver adprof_pci_driver = {
	.name = ADPROF_PCI_DRIVER,
	.id_table = adprof_pci_ids,
	.probe = adprof_pci_probe,
	.remove = adprof_pci_remove,
	.driver_managed_dma = true,
};

/* ---- debugfs ----------------------------------------------------------- */

static void adprof_devices_show_one(struct seq_file *m, struct adprof_dev *adev)
{
	struct adprof_vec v;
	struct adprof_intx x;
	u32 i;

	spin_lock_irq(&adev->irq_lock);
	x = adev->intx;
	spin_unlock_irq(&adev->irq_lock);
	seq_printf(m, "%u %s %04x:%04x host=%s guest=%s guest_irq=%u msix_nr=%u intx_masked=%d",
		   adev->id, pci_name(adev->pdev), adev->pdev->vendor,
		   adev->pdev->device, adprof_host_name(adev->irq_requested),
		   adprof_guest_name(adev->irq_requested), adev->guest_irq,
		   adev->msix.nr, x.masked);
	adprof_dma_show(m, adev);
	if (adev->host_type == ADPROF_IRQ_HOST_INTX)
		seq_printf(m, " intx_masks=%llu intx_while_masked=%llu intx_acks=%llu intx_idle_acks=%llu",
			   x.nr_masked, x.nr_while_masked, x.nr_unmasked,
			   x.nr_idle_acks);
	for (i = 0; i < adev->nvec; i++) {
		spin_lock_irq(&adev->irq_lock);
		v = adev->vecs[i];
		spin_unlock_irq(&adev->irq_lock);
		seq_printf(m, " vec%u=irq:%d,count:%llu,coalesced:%llu,events:%llu,pending:%llu,unheard:%llu,lost:%llu,overruns:%llu",
			   i, v.irq, v.ev.count, v.ev.coalesced, v.ev.events,
			   v.ev.pending, v.ev.unheard, v.ev.lost, v.ev.overruns);
	}
	seq_putc(m, '\n');
}

/* One line per LIVE device: id, address, vendor:device, IRQ types, counts. */
static int adprof_devices_show(struct seq_file *m, void *unused)
{
	struct adprof_dev *adev;
	unsigned long id;

	mutex_lock(&adprof_lock);
	xa_for_each(&adprof_devs, id, adev)
		if (adev->state == ADPROF_DEV_LIVE)
			adprof_devices_show_one(m, adev);
	mutex_unlock(&adprof_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(adprof_devices);

/* ---- init and exit ----------------------------------------------------- */

/**
 * adprof_assign_init() - register the adprof PCI driver and debugfs file
 *
 * Return: 0 or a negative errno.
 */
int adprof_assign_init(void)
{
	int err;

	err = pci_register_driver(&adprof_pci_driver);
	if (err)
		return err;
	adprof_devices_file = debugfs_create_file("devices", 0444,
						  adprof_debugfs_dir(), NULL,
						  &adprof_devices_fops);
	adprof_dma_debugfs(adprof_debugfs_dir());
	return 0;
}

/**
 * adprof_assign_exit() - give every assigned device back
 *
 * Called once no command can run any more: unregistering the driver calls
 * adprof_pci_remove() for each device still assigned.
 */
void adprof_assign_exit(void)
{
	debugfs_remove(adprof_devices_file);
	pci_unregister_driver(&adprof_pci_driver);
	xa_destroy(&adprof_devs);
}
