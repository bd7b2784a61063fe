// SPDX-License-Identifier: GPL-2.0
/*
 * DMA of assigned devices through the IOMMU, after KVM's
 * KVM_DEV_ASSIGN_ENABLE_IOMMU and VFIO's type1 backend.
 *
 * A device assigned with ADPROF_DEV_F_IOMMU gets a private unmanaged
 * IOMMU domain: probe takes DMA ownership of its IOMMU group (refused if
 * another driver has a device of the group, as VFIO refuses a group that
 * is not viable) and attaches the group to the domain, where nothing is
 * mapped. DMA_MAP pins the caller's pages (long term, accounted to its
 * locked memory against RLIMIT_MEMLOCK) and maps them at the IOVA asked
 * for; the device can then reach those pages and nothing else. DMA_UNMAP
 * unmaps and unpins whole mappings. A mapping belongs to the netlink
 * socket that made it: when the socket closes, however its process ends,
 * adprof_dma_release() unmaps it. Remove unmaps everything and gives the
 * group back to its default domain.
 *
 * Faults. The IOMMU driver reports a DMA the domain does not allow to
 * adprof_dma_fault(), from its interrupt handling; it becomes a DMA_FAULT
 * event on the "irq" group, under the device's IRQ event rate limit
 * (intrs.c). AMD's driver reports faults; Intel VT-d's only logs them
 * (adprof_iommu_reports_faults()), which DEV_GET says. QEMU 7.2's AMD-Vi
 * model logs no IO_PAGE_FAULT event for a DMA it refuses, so the debugfs
 * knob inject_dma_fault reports one through the IOMMU core
 * (report_iommu_fault()), as the driver would, for tests.
 *
 * Unpinning finds the pages through the domain (iommu_iova_to_phys()),
 * as VFIO's type1 does, so a mapping costs a small struct whatever its
 * size. Locking: adev.h; a DMA command holds a reference to the device
 * and the device's dma.lock, not adprof_lock, while it pins.
 */
#include <linux/adprof.h>
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/uaccess.h>
#include <linux/iommu.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "adev.h"
#include "assign.h"
#include "compat.h"
#include "netlink.h"

static unsigned int dma_max_mappings = 65535;
module_param(dma_max_mappings, uint, 0644);
MODULE_PARM_DESC(dma_max_mappings,
		 "Most DMA mappings per device, read at DEV_ASSIGN (default 65535, as VFIO's dma_entry_limit)");

/* Pages adprof holds pinned, all devices together (debugfs "dma"). */
static atomic64_t adprof_dma_pinned = ATOMIC64_INIT(0);
/* Bumped by every map and unmap: marks interrupted DMA_GET dumps. */
static atomic_t adprof_dma_gen = ATOMIC_INIT(0);

/**
 * struct adprof_dma_map - one mapping of a device's domain
 * @map: its range, owner and flags, in the device's iova set
 * @mm: the address space its pages came from, whose locked memory they
 *	are accounted to; grabbed
 */
struct adprof_dma_map {
	struct adprof_iova_map map;
	struct mm_struct *mm;
};

static void adprof_dma_fault_fn(struct work_struct *work);

/**
 * adprof_dma_init() - initialize a new device's DMA state
 * @adev: the device, not yet visible to anyone
 */
void adprof_dma_init(struct adprof_dev *adev)
{
	mutex_init(&adev->dma.lock);
	INIT_DELAYED_WORK(&adev->dma.fault_work, adprof_dma_fault_fn);
}

/* ---- faults ------------------------------------------------------------ */

static void adprof_dma_fault_fn(struct work_struct *work)
{
	struct adprof_dma *dma = container_of(to_delayed_work(work),
					      struct adprof_dma, fault_work);
	struct adprof_dev *adev = container_of(dma, struct adprof_dev, dma);

	if (adprof_ev_flush(adev, &dma->fault, NULL, false))
		adprof_ev_later(&dma->fault_work);
}

/*
 * The IOMMU driver's report of a DMA the domain does not allow, from its
 * interrupt handling: count it, and let the work send it.
 */
static int adprof_dma_fault(struct iommu_domain *domain, struct device *dev,
			    unsigned long iova, int flags, void *token)
{
	struct adprof_dev *adev = token;
	unsigned long irqflags;

	spin_lock_irqsave(&adev->irq_lock, irqflags);
	adprof_ev_take(adev, &adev->dma.fault, ktime_get_ns(), iova,
		       flags & IOMMU_FAULT_WRITE ? ADPROF_DMA_F_WRITE :
						   ADPROF_DMA_F_READ);
	spin_unlock_irqrestore(&adev->irq_lock, irqflags);
	queue_delayed_work(system_wq, &adev->dma.fault_work, 0);
	/* Reported: the IOMMU driver need not log it too. */
	return 0;
}

/* ---- the domain -------------------------------------------------------- */

/* A device of the group, other than @data's, bound to another driver. */
static int adprof_group_foreign(struct device *dev, void *data)
{
	struct adprof_dev *adev = data;
	const char *drv = READ_ONCE(dev->driver) ? dev->driver->name : NULL;

	if (dev == &adev->pdev->dev || !drv || !strcmp(drv, ADPROF_PCI_DRIVER))
		return 0;
	snprintf(adev->probe_msg, sizeof(adev->probe_msg),
		 "IOMMU group %d is not viable: %s is bound to %s",
		 adev->dma.group_id, dev_name(dev), drv);
	return 1;
}

/**
 * adprof_dma_setup() - give a DEV_F_IOMMU device its private domain
 * @adev: the device being probed (device_lock held), not enabled yet
 *
 * Return: 0 (also without DEV_F_IOMMU); -EOPNOTSUPP without an IOMMU;
 * -EBUSY if the group is not viable or owned; -ENOMEM; another errno from
 * the IOMMU core. adev->probe_err says why.
 */
int adprof_dma_setup(struct adprof_dev *adev)
{
	struct adprof_dma *dma = &adev->dma;
	struct device *dev = &adev->pdev->dev;
	struct iommu_domain *domain;
	u64 first = 0, last = U64_MAX;
	int err;

	if (!(adev->dev_flags & ADPROF_DEV_F_IOMMU))
		return 0;
	dma->group = iommu_group_get(dev);
	if (!dma->group) {
		adev->probe_err = "no IOMMU translates this device's DMA: DEV_F_IOMMU needs one";
		return -EOPNOTSUPP;
	}
	dma->group_id = iommu_group_id(dma->group);

	err = iommu_group_claim_dma_owner(dma->group, adev);
	if (err) {
		if (iommu_group_for_each_dev(dma->group, adev,
					     adprof_group_foreign) <= 0)
			snprintf(adev->probe_msg, sizeof(adev->probe_msg),
				 "IOMMU group %d has another DMA owner (VFIO, or another adprof device)",
				 dma->group_id);
		adev->probe_err = adev->probe_msg;
		err = -EBUSY;
		goto err_put;
	}

	domain = adprof_iommu_domain_alloc(dev);
	if (!domain) {
		adev->probe_err = "cannot allocate an IOMMU domain";
		err = -ENOMEM;
		goto err_release;
	}
	iommu_set_fault_handler(domain, adprof_dma_fault, adev);
	err = iommu_attach_group(domain, dma->group);
	if (err) {
		adev->probe_err = "cannot attach the device's IOMMU group to its domain";
		goto err_free;
	}

	if (domain->geometry.force_aperture) {
		first = domain->geometry.aperture_start;
		last = domain->geometry.aperture_end;
	}
	adprof_iova_init(&dma->maps,
			 max_t(u64, 1ULL << __ffs(domain->pgsize_bitmap), PAGE_SIZE),
			 first, last, READ_ONCE(dma_max_mappings));
	dma->prot_extra = device_iommu_capable(dev, IOMMU_CAP_CACHE_COHERENCY) ?
			  IOMMU_CACHE : 0;
	dma->reports_faults = adprof_iommu_reports_faults(dev);
	dma->domain = domain;
	mutex_lock(&dma->lock);
	dma->live = true;
	mutex_unlock(&dma->lock);
	return 0;

err_free:
	iommu_domain_free(domain);
err_release:
	iommu_group_release_dma_owner(dma->group);
err_put:
	iommu_group_put(dma->group);
	dma->group = NULL;
	return err;
}

/*
 * Unmap [@iova, @iova + @size) and unpin its pages, dirtied if the device
 * could write them. Every page of the range is mapped.
 */
static void adprof_dma_unpin_range(struct adprof_dma *dma, u64 iova, u64 size,
				   bool dirty)
{
	u64 end = iova + size, len;
	size_t unmapped;
	phys_addr_t phys;

	lockdep_assert_held(&dma->lock);
	while (iova < end) {
		phys = iommu_iova_to_phys(dma->domain, iova);
		if (WARN_ON_ONCE(!phys))
			break;
		/* As far as the pages are contiguous: one unmap, one unpin. */
		for (len = PAGE_SIZE; iova + len < end; len += PAGE_SIZE)
			if (iommu_iova_to_phys(dma->domain, iova + len) != phys + len)
				break;
		unmapped = iommu_unmap(dma->domain, iova, len);
		if (WARN_ON_ONCE(!unmapped))
			break;
		unpin_user_page_range_dirty_lock(pfn_to_page(PHYS_PFN(phys)),
						 unmapped >> PAGE_SHIFT, dirty);
		atomic64_sub(unmapped >> PAGE_SHIFT, &adprof_dma_pinned);
		iova += unmapped;
		cond_resched();
	}
}

/* Give the mapping's pages back to its address space's locked memory. */
static void adprof_dma_unaccount(struct adprof_dma_map *dm)
{
	/* Nothing to give back to an address space that is gone. */
	if (mmget_not_zero(dm->mm)) {
		account_locked_vm(dm->mm, dm->map.size >> PAGE_SHIFT, false);
		mmput_async(dm->mm);
	}
	mmdrop(dm->mm);
}

/* Unmap, unpin, unaccount and free mappings taken out of the set. */
static void adprof_dma_free_list(struct adprof_dma *dma, struct list_head *list)
{
	struct adprof_iova_map *m, *tmp;
	struct adprof_dma_map *dm;

	list_for_each_entry_safe(m, tmp, list, list) {
		dm = container_of(m, struct adprof_dma_map, map);
		adprof_dma_unpin_range(dma, m->iova, m->size,
				       m->flags & ADPROF_DMA_F_WRITE);
		adprof_dma_unaccount(dm);
		list_del(&m->list);
		kfree(dm);
	}
	atomic_inc(&adprof_dma_gen);
}

/**
 * adprof_dma_teardown() - unmap everything, give the group back
 * @adev: the device being removed, or whose probe failed after
 *	adprof_dma_setup(); its DMA stopped (bus mastering off)
 */
void adprof_dma_teardown(struct adprof_dev *adev)
{
	struct adprof_dma *dma = &adev->dma;
	LIST_HEAD(all);

	if (!dma->domain)
		return;
	mutex_lock(&dma->lock);
	dma->live = false;
	adprof_iova_take_all(&dma->maps, &all);
	adprof_dma_free_list(dma, &all);
	mutex_unlock(&dma->lock);

	iommu_detach_group(dma->domain, dma->group);
	iommu_domain_free(dma->domain);
	dma->domain = NULL;
	iommu_group_release_dma_owner(dma->group);
	iommu_group_put(dma->group);
	dma->group = NULL;

	/* No fault can come any more: send what the rate limit held back. */
	cancel_delayed_work_sync(&dma->fault_work);
	adprof_ev_flush(adev, &dma->fault, NULL, true);
}

/* ---- mapping ----------------------------------------------------------- */

/* Pages pinned and IOMMU-mapped per round: one page of page pointers. */
#define ADPROF_DMA_BATCH	(PAGE_SIZE / sizeof(struct page *))

/* Pin the mapping's pages and map them; all or nothing. */
static int adprof_dma_pin_map(struct adprof_dma *dma, struct adprof_iova_map *m,
			      struct netlink_ext_ack *extack)
{
	unsigned long npages = m->size >> PAGE_SHIFT, done = 0, i, run;
	unsigned int gup = FOLL_LONGTERM;
	int prot = dma->prot_extra;
	struct page **pages;
	long got;
	int err;

	if (m->flags & ADPROF_DMA_F_READ)
		prot |= IOMMU_READ;
	if (m->flags & ADPROF_DMA_F_WRITE) {
		prot |= IOMMU_WRITE;
		gup |= FOLL_WRITE;
	}
	pages = (struct page **)__get_free_page(GFP_KERNEL);
	if (!pages) {
		NL_SET_ERR_MSG(extack, "no memory to pin the pages");
		return -ENOMEM;
	}
	while (done < npages) {
		got = pin_user_pages_fast(m->vaddr + (done << PAGE_SHIFT),
					  min(npages - done, ADPROF_DMA_BATCH),
					  gup, pages);
		if (got <= 0) {
			err = got ? got : -EFAULT;
			NL_SET_ERR_MSG(extack,
				       "cannot pin the memory at VADDR (not mapped, or not writable for a DMA_F_WRITE mapping)");
			goto err_unmap;
		}
		for (i = 0; i < got; i += run) {
			for (run = 1; i + run < got; run++)
				if (page_to_pfn(pages[i + run]) !=
				    page_to_pfn(pages[i]) + run)
					break;
			err = adprof_iommu_map(dma->domain,
					       m->iova + ((done + i) << PAGE_SHIFT),
					       page_to_phys(pages[i]),
					       run << PAGE_SHIFT, prot);
			if (err) {
				unpin_user_pages(pages + i, got - i);
				done += i;
				NL_SET_ERR_MSG(extack, "the IOMMU could not map the pages");
				goto err_unmap;
			}
			atomic64_add(run, &adprof_dma_pinned);
		}
		done += got;
		cond_resched();
	}
	free_page((unsigned long)pages);
	return 0;

err_unmap:
	adprof_dma_unpin_range(dma, m->iova, done << PAGE_SHIFT, false);
	free_page((unsigned long)pages);
	return err;
}

/* -EOPNOTSUPP or -ENODEV with an extack unless the domain takes mappings. */
static int adprof_dma_check_live(struct adprof_dev *adev, struct genl_info *info)
{
	lockdep_assert_held(&adev->dma.lock);
	if (!(adev->dev_flags & ADPROF_DEV_F_IOMMU)) {
		GENL_SET_ERR_MSG(info,
				 "the device was assigned without ADPROF_DEV_F_IOMMU: it has no domain");
		return -EOPNOTSUPP;
	}
	if (!adev->dma.live) {
		GENL_SET_ERR_MSG(info, "the device is being deassigned");
		return -ENODEV;
	}
	return 0;
}

/**
 * adprof_nl_dma_map() - DMA_MAP: map the caller's memory for the device
 * @skb: request
 * @info: request: VADDR, IOVA, SIZE, DMA_FLAGS; the device in user_ptr[0]
 *	with a reference (ADPROF_NL_F_DEV_REF)
 *
 * Return: 0; -EOPNOTSUPP without DEV_F_IOMMU; -EINVAL for a bad range or
 * DMA_FLAGS 0; -EEXIST if the range overlaps a mapping; -ENOSPC at
 * dma_max_mappings; -ENOMEM past RLIMIT_MEMLOCK or without memory;
 * -EFAULT (or another errno of pin_user_pages) if the memory cannot be
 * pinned; another errno if the IOMMU refuses.
 */
int adprof_nl_dma_map(struct sk_buff *skb, struct genl_info *info)
{
	struct adprof_dev *adev = info->user_ptr[0];
	struct adprof_dma *dma = &adev->dma;
	struct adprof_dma_map *dm;
	u32 flags = nla_get_u32(info->attrs[ADPROF_A_DMA_FLAGS]);
	const char *why;
	int err;

	if (!(flags & ADPROF_DMA_F_ALL)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[ADPROF_A_DMA_FLAGS],
				    "DMA_FLAGS needs READ, WRITE or both");
		return -EINVAL;
	}
	if (!current->mm) {
		GENL_SET_ERR_MSG(info, "the caller has no address space to map");
		return -EINVAL;
	}
	dm = kzalloc(sizeof(*dm), GFP_KERNEL_ACCOUNT);
	if (!dm) {
		GENL_SET_ERR_MSG(info, "no memory for the mapping");
		return -ENOMEM;
	}
	dm->map.vaddr = nla_get_u64(info->attrs[ADPROF_A_VADDR]);
	dm->map.iova = nla_get_u64(info->attrs[ADPROF_A_IOVA]);
	dm->map.size = nla_get_u64(info->attrs[ADPROF_A_SIZE]);
	dm->map.flags = flags;
	dm->map.owner = info->snd_portid;

	mutex_lock(&dma->lock);
	err = adprof_dma_check_live(adev, info);
	if (err)
		goto err_unlock;
	err = adprof_iova_check(&dma->maps, dm->map.vaddr, dm->map.iova,
				dm->map.size, &why);
	if (err) {
		adprof_err_fmt(info->extack, "%s", why);
		goto err_unlock;
	}

	dm->mm = current->mm;
	mmgrab(dm->mm);
	err = account_locked_vm(dm->mm, dm->map.size >> PAGE_SHIFT, true);
	if (err) {
		GENL_SET_ERR_MSG(info,
				 "the mapping would pass the caller's RLIMIT_MEMLOCK (CAP_IPC_LOCK lifts it)");
		goto err_drop;
	}
	err = adprof_dma_pin_map(dma, &dm->map, info->extack);
	if (err)
		goto err_unaccount;
	adprof_iova_insert(&dma->maps, &dm->map);
	atomic_inc(&adprof_dma_gen);
	mutex_unlock(&dma->lock);
	return 0;

err_unaccount:
	account_locked_vm(dm->mm, dm->map.size >> PAGE_SHIFT, false);
err_drop:
	mmdrop(dm->mm);
err_unlock:
	mutex_unlock(&dma->lock);
	kfree(dm);
	return err;
}

/**
 * adprof_nl_dma_unmap() - DMA_UNMAP: unmap the whole mappings of a range
 * @skb: request
 * @info: request: IOVA, SIZE; the device in user_ptr[0] with a reference
 *
 * Any socket with the privilege may unmap any mapping.
 *
 * Return: 0; -EOPNOTSUPP without DEV_F_IOMMU; -EINVAL for size 0 or an
 * overflow; -ENOENT if the range cuts a mapping or holds none.
 */
int adprof_nl_dma_unmap(struct sk_buff *skb, struct genl_info *info)
{
	struct adprof_dev *adev = info->user_ptr[0];
	struct adprof_dma *dma = &adev->dma;
	LIST_HEAD(taken);
	const char *why;
	int err;

	mutex_lock(&dma->lock);
	err = adprof_dma_check_live(adev, info);
	if (err)
		goto out_unlock;
	err = adprof_iova_take(&dma->maps,
			       nla_get_u64(info->attrs[ADPROF_A_IOVA]),
			       nla_get_u64(info->attrs[ADPROF_A_SIZE]),
			       &taken, &why);
	if (err) {
		adprof_err_fmt(info->extack, "%s", why);
		goto out_unlock;
	}
	adprof_dma_free_list(dma, &taken);
out_unlock:
	mutex_unlock(&dma->lock);
	return err;
}

/**
 * adprof_dma_release() - a netlink socket closed: unmap its mappings
 * @net: its namespace
 * @portid: its port id
 *
 * Process context, may sleep; the closing task's address space may be
 * gone already (a process that exits closes its sockets after).
 */
void adprof_dma_release(struct net *net, u32 portid)
{
	struct adprof_dev *adev;
	unsigned long id;
	LIST_HEAD(taken);

	/* The family is not netnsok: every mapping's socket is in init_net. */
	if (!net_eq(net, &init_net))
		return;
	mutex_lock(&adprof_lock);
	xa_for_each(&adprof_devs, id, adev) {
		if (adev->state != ADPROF_DEV_LIVE)
			continue;	/* remove unmaps everything itself */
		mutex_lock(&adev->dma.lock);
		if (adev->dma.live) {
			adprof_iova_take_owner(&adev->dma.maps, portid, &taken);
			if (!list_empty(&taken))
				adprof_dma_free_list(&adev->dma, &taken);
		}
		mutex_unlock(&adev->dma.lock);
	}
	mutex_unlock(&adprof_lock);
}

/* ---- DMA_GET ----------------------------------------------------------- */

#define ADPROF_DMA_MAP_SIZE	(3 * nla_total_size(sizeof(u32)) + \
				 3 * nla_total_size_64bit(sizeof(u64)))

static int adprof_dma_map_fill(struct sk_buff *skb, struct adprof_dev *adev,
			       const struct adprof_iova_map *m, u32 portid,
			       u32 seq, int flags, struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &adprof_family, flags,
			  ADPROF_CMD_DMA_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, ADPROF_A_DEV_ID, adev->id) ||
	    nla_put_u64_64bit(skb, ADPROF_A_IOVA, m->iova, ADPROF_A_PAD) ||
	    nla_put_u64_64bit(skb, ADPROF_A_SIZE, m->size, ADPROF_A_PAD) ||
	    nla_put_u64_64bit(skb, ADPROF_A_VADDR, m->vaddr, ADPROF_A_PAD) ||
	    nla_put_u32(skb, ADPROF_A_DMA_FLAGS, m->flags) ||
	    nla_put_u32(skb, ADPROF_A_OWNER, m->owner)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * adprof_nl_dma_get_doit() - DMA_GET with DEV_ID and IOVA: one mapping
 * @skb: request
 * @info: request: IOVA, any byte of the mapping; the device in
 *	user_ptr[0] with a reference
 *
 * Return: 0 after the reply; -EOPNOTSUPP without DEV_F_IOMMU; -ENOENT if
 * nothing is mapped at IOVA; -ENOMEM.
 */
int adprof_nl_dma_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct adprof_dev *adev = info->user_ptr[0];
	struct adprof_iova_map *m;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(ADPROF_DMA_MAP_SIZE, GFP_KERNEL);
	if (!msg) {
		GENL_SET_ERR_MSG(info, "no memory for the reply");
		return -ENOMEM;
	}
	mutex_lock(&adev->dma.lock);
	err = adprof_dma_check_live(adev, info);
	if (err)
		goto err_unlock;
	m = adprof_iova_find(&adev->dma.maps,
			     nla_get_u64(info->attrs[ADPROF_A_IOVA]));
	if (!m) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[ADPROF_A_IOVA],
				    "nothing is mapped at IOVA");
		err = -ENOENT;
		goto err_unlock;
	}
	err = adprof_dma_map_fill(msg, adev, m, info->snd_portid,
				  info->snd_seq, 0, NULL);
	mutex_unlock(&adev->dma.lock);
	if (err)
		goto err_free;
	return genlmsg_reply(msg, info);

err_unlock:
	mutex_unlock(&adev->dma.lock);
err_free:
	nlmsg_free(msg);
	return err;
}

/**
 * adprof_nl_dma_get_dumpit() - DMA_GET dump: every mapping
 * @skb: message being filled
 * @cb: dump state: args[0] the next DEV_ID, args[1] the next IOVA in it;
 *	an optional DEV_ID attribute limits the dump to that device
 *
 * One message per mapping, by DEV_ID then IOVA, resumed where the last
 * part stopped; a part sent after mappings or devices changed carries
 * NLM_F_DUMP_INTR.
 *
 * Return: bytes put in @skb (0 at the end).
 */
int adprof_nl_dma_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct nlattr *only = adprof_dump_attrs(cb)[ADPROF_A_DEV_ID];
	unsigned long id, first = cb->args[0];
	struct adprof_iova_map *m;
	struct adprof_dev *adev;
	int err = 0;

	if (only) {
		if (first > nla_get_u32(only))
			return 0;
		first = nla_get_u32(only);
	}
	mutex_lock(&adprof_lock);
	cb->seq = adprof_gen + atomic_read(&adprof_dma_gen);
	xa_for_each_start(&adprof_devs, id, adev, first) {
		if (only && id != nla_get_u32(only))
			break;
		if (adev->state != ADPROF_DEV_LIVE)
			continue;
		mutex_lock(&adev->dma.lock);
		m = NULL;
		if (adev->dma.live)
			m = adprof_iova_next(&adev->dma.maps, cb->args[1]);
		for (; m; m = adprof_iova_next(&adev->dma.maps, m->iova + 1)) {
			err = adprof_dma_map_fill(skb, adev, m,
						  NETLINK_CB(cb->skb).portid,
						  cb->nlh->nlmsg_seq,
						  NLM_F_MULTI, cb);
			if (err)
				break;
			cb->args[1] = m->iova + 1;
		}
		mutex_unlock(&adev->dma.lock);
		if (err)
			break;
		cb->args[0] = id + 1;
		cb->args[1] = 0;
	}
	mutex_unlock(&adprof_lock);
	return skb->len;
}

/* ---- DEV_GET and debugfs ----------------------------------------------- */

/**
 * adprof_dma_msg_size() - what adprof_dma_fill() may put
 *
 * Return: bytes.
 */
size_t adprof_dma_msg_size(void)
{
	return 3 * nla_total_size(sizeof(u32)) + nla_total_size(sizeof(u8)) +
	       2 * nla_total_size_64bit(sizeof(u64));
}

/**
 * adprof_dma_fill() - DEV_GET's DMA attributes of a DEV_F_IOMMU device
 * @skb: the message
 * @adev: a LIVE device (adprof_lock held)
 *
 * Return: 0 or -EMSGSIZE.
 */
int adprof_dma_fill(struct sk_buff *skb, struct adprof_dev *adev)
{
	struct adprof_dma *dma = &adev->dma;
	u32 nr;
	u64 bytes, faults;

	if (!(adev->dev_flags & ADPROF_DEV_F_IOMMU))
		return 0;
	mutex_lock(&dma->lock);
	nr = dma->maps.nr;
	bytes = dma->maps.bytes;
	mutex_unlock(&dma->lock);
	spin_lock_irq(&adev->irq_lock);
	faults = dma->fault.count;
	spin_unlock_irq(&adev->irq_lock);

	if (nla_put_u32(skb, ADPROF_A_IOMMU_GROUP, dma->group_id) ||
	    nla_put_u32(skb, ADPROF_A_DMA_MAPPINGS, nr) ||
	    nla_put_u64_64bit(skb, ADPROF_A_DMA_BYTES, bytes, ADPROF_A_PAD) ||
	    nla_put_u64_64bit(skb, ADPROF_A_DMA_FAULTS, faults, ADPROF_A_PAD) ||
	    nla_put_u8(skb, ADPROF_A_DMA_FAULT_REPORTING, dma->reports_faults))
		return -EMSGSIZE;
	return 0;
}

/**
 * adprof_dma_show() - the DMA part of a debugfs devices line
 * @m: the file
 * @adev: a LIVE device (adprof_lock held)
 */
void adprof_dma_show(struct seq_file *m, struct adprof_dev *adev)
{
	struct adprof_dma *dma = &adev->dma;
	struct adprof_evsrc f;
	u64 bytes;
	u32 nr;

	if (!(adev->dev_flags & ADPROF_DEV_F_IOMMU))
		return;
	mutex_lock(&dma->lock);
	nr = dma->maps.nr;
	bytes = dma->maps.bytes;
	mutex_unlock(&dma->lock);
	spin_lock_irq(&adev->irq_lock);
	f = dma->fault;
	spin_unlock_irq(&adev->irq_lock);
	seq_printf(m, " iommu_group=%d mappings=%u mapped=%llu faults=%llu fault_events=%llu fault_coalesced=%llu fault_unheard=%llu fault_lost=%llu fault_reporting=%s",
		   dma->group_id, nr, bytes, f.count, f.events, f.coalesced,
		   f.unheard, f.lost, dma->reports_faults ? "yes" : "no");
}

/* Totals of all devices: what a leak check after the owners are gone reads. */
static int adprof_dma_stats_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "pinned_pages %lld\n", atomic64_read(&adprof_dma_pinned));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(adprof_dma_stats);

/*
 * "ID IOVA read|write": report a fault of device ID's domain through the
 * IOMMU core, as an IOMMU driver does (dma.c's header says why).
 */
static ssize_t adprof_dma_inject_write(struct file *file,
				       const char __user *ubuf, size_t len,
				       loff_t *ppos)
{
	struct adprof_dev *adev;
	char buf[64], access[8];
	int flags, err = 0;
	u64 iova;
	u32 id;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "%u %llx %7s", &id, &iova, access) != 3)
		return -EINVAL;
	if (!strcmp(access, "write"))
		flags = IOMMU_FAULT_WRITE;
	else if (!strcmp(access, "read"))
		flags = IOMMU_FAULT_READ;
	else
		return -EINVAL;

	mutex_lock(&adprof_lock);
	adev = xa_load(&adprof_devs, id);
	if (!adev || adev->state != ADPROF_DEV_LIVE) {
		err = -ENODEV;
	} else {
		mutex_lock(&adev->dma.lock);
		if (adev->dma.live)
			report_iommu_fault(adev->dma.domain, &adev->pdev->dev,
					   iova, flags);
		else
			err = -ENODEV;
		mutex_unlock(&adev->dma.lock);
	}
	mutex_unlock(&adprof_lock);
	return err ?: len;
}

static const struct file_operations adprof_dma_inject_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = adprof_dma_inject_write,
};

/**
 * adprof_dma_debugfs() - the DMA files of adprof's debugfs directory
 * @dir: the directory
 */
void adprof_dma_debugfs(struct dentry *dir)
{
	debugfs_create_file("dma", 0444, dir, NULL, &adprof_dma_stats_fops);
	debugfs_create_file("inject_dma_fault", 0200, dir, NULL,
			    &adprof_dma_inject_fops);
}
