/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for differences between the kernels adprof builds on
 * (Debian's 6.1.y and 6.12.y). Code elsewhere uses these names only.
 */
#ifndef _ADPROF_COMPAT_H
#define _ADPROF_COMPAT_H

#include <linux/device.h>
#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <net/genetlink.h>

/*
 * Per-group join permissions came with 6.7 and were backported to 6.1.69.
 * Without them anybody could join "samples" and read kernel addresses, so
 * refuse to build rather than degrade silently.
 */
#ifndef GENL_MCAST_CAP_SYS_ADMIN
#error "adprof needs GENL_MCAST_CAP_SYS_ADMIN (Linux >= 6.7 or 6.1.69)"
#endif

/* Since 6.2 the family's pre_doit is handed split ops (see Kbuild). */
#ifdef ADPROF_HAVE_GENL_SPLIT_OPS
#define adprof_genl_pre_ops genl_split_ops
#else
#define adprof_genl_pre_ops genl_ops
#endif

/*
 * Where an interrupt's event is sent: in softirq context, right after the
 * hard handler, on its CPU. A BH workqueue since 6.9 (see Kbuild), a
 * tasklet before. The callback takes a struct adprof_bh *.
 */
#ifdef ADPROF_HAVE_BH_WQ
#include <linux/workqueue.h>
#define adprof_bh		work_struct
#define adprof_bh_init(bh, fn)	INIT_WORK(bh, fn)
#define adprof_bh_queue(bh)	queue_work(system_bh_wq, bh)
#define adprof_bh_kill(bh)	cancel_work_sync(bh)
#else
#include <linux/interrupt.h>
#define adprof_bh		tasklet_struct
#define adprof_bh_init(bh, fn)	tasklet_setup(bh, fn)
#define adprof_bh_queue(bh)	tasklet_schedule(bh)
#define adprof_bh_kill(bh)	tasklet_kill(bh)
#endif

/* A dump's request attributes: since 6.2 in the dump's struct genl_info. */
#ifdef ADPROF_HAVE_GENL_INFO_DUMP
#define adprof_dump_attrs(cb)	(genl_info_dump(cb)->attrs)
#else
#define adprof_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

/*
 * Formatted extack messages came with 6.3 (NL_SET_ERR_MSG_FMT); before,
 * dev.c keeps them in a ring of its own.
 */
#ifdef NL_SET_ERR_MSG_FMT
#define adprof_err_fmt(extack, fmt, ...) \
	NL_SET_ERR_MSG_FMT(extack, fmt, ##__VA_ARGS__)
#else
__printf(2, 3) void adprof_err_fmt(struct netlink_ext_ack *extack,
				   const char *fmt, ...);
#endif

/* PCI_IRQ_LEGACY was renamed in 6.8 and later removed. */
#ifndef PCI_IRQ_INTX
#define PCI_IRQ_INTX		PCI_IRQ_LEGACY
#endif

/*
 * A device's driver_override: in struct pci_dev under device_lock on 6.1;
 * in struct device under its own spinlock on Debian's 6.12.y (a backport
 * of the driver core's generic override, see Kbuild), where sysfs writes
 * it without device_lock. Callers hold device_lock for the first two.
 */
#ifdef ADPROF_HAVE_DEVICE_DRIVER_OVERRIDE

/* Install @ov (kmalloc'ed, owned on success) unless an override is set. */
static inline int adprof_override_claim(struct pci_dev *pdev, const char *ov)
{
	struct device *dev = &pdev->dev;
	int err = 0;

	/* Test and set as one, as the core's own setter does. */
	spin_lock(&dev->driver_override.lock);
	if (dev->driver_override.name)
		err = -EBUSY;
	else
		dev->driver_override.name = ov;
	spin_unlock(&dev->driver_override.lock);
	return err;
}

/* Drop the override if it is still @name. */
static inline void adprof_override_drop(struct pci_dev *pdev, const char *name)
{
	struct device *dev = &pdev->dev;
	const char *old = NULL;

	spin_lock(&dev->driver_override.lock);
	if (dev->driver_override.name && !strcmp(dev->driver_override.name, name)) {
		old = dev->driver_override.name;
		dev->driver_override.name = NULL;
	}
	spin_unlock(&dev->driver_override.lock);
	kfree(old);
}

/* Clear any override; takes the locks it needs (no device_lock held). */
static inline void adprof_override_clear(struct pci_dev *pdev)
{
	device_set_driver_override(&pdev->dev, "");
}

#else

static inline int adprof_override_claim(struct pci_dev *pdev, const char *ov)
{
	device_lock_assert(&pdev->dev);
	if (pdev->driver_override)
		return -EBUSY;
	pdev->driver_override = ov;
	return 0;
}

static inline void adprof_override_drop(struct pci_dev *pdev, const char *name)
{
	const char *ov = pdev->driver_override;

	device_lock_assert(&pdev->dev);
	if (ov && !strcmp(ov, name)) {
		pdev->driver_override = NULL;
		kfree(ov);
	}
}

static inline void adprof_override_clear(struct pci_dev *pdev)
{
	driver_set_override(&pdev->dev, &pdev->driver_override, "", 0);
}

#endif

/*
 * An unmanaged (paging) IOMMU domain for @dev: 6.11 added
 * iommu_paging_domain_alloc(), which returns an ERR_PTR(); before, one
 * asked the bus, which returned NULL on failure.
 */
static inline struct iommu_domain *adprof_iommu_domain_alloc(struct device *dev)
{
#ifdef ADPROF_HAVE_IOMMU_PAGING_DOMAIN_ALLOC
	struct iommu_domain *domain = iommu_paging_domain_alloc(dev);

	return IS_ERR(domain) ? NULL : domain;
#else
	return iommu_domain_alloc(dev->bus);
#endif
}

/* iommu_map() takes the allocation flags for page tables since 6.3. */
static inline int adprof_iommu_map(struct iommu_domain *domain,
				   unsigned long iova, phys_addr_t paddr,
				   size_t size, int prot)
{
#ifdef ADPROF_HAVE_IOMMU_MAP_GFP
	return iommu_map(domain, iova, paddr, size, prot, GFP_KERNEL);
#else
	return iommu_map(domain, iova, paddr, size, prot);
#endif
}

/*
 * Whether the IOMMU driver hands DMA faults to a domain's fault handler.
 * AMD's does (report_iommu_fault() in amd_iommu_report_page_fault()), as
 * do the ARM SMMU drivers; Intel VT-d's, on 6.1 and 6.12, only logs them
 * (drivers/iommu/intel/dmar.c, dmar_fault()). VT-d units are named dmarN.
 */
static inline bool adprof_iommu_reports_faults(struct device *dev)
{
	struct device *iommu = dev->iommu && dev->iommu->iommu_dev ?
			       dev->iommu->iommu_dev->dev : NULL;

	return !(iommu && !strncmp(dev_name(iommu), "dmar", 4));
}

#endif /* _ADPROF_COMPAT_H */
