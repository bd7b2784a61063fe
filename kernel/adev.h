/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device assignment, private to its rooms (after drivers/vfio/pci/):
 *
 *   dev.c       ownership: the registry, the PCI driver (probe/remove), the
 *               config state as found, debugfs
 *   intrs.c     interrupt routing: host vectors, handlers, IRQ_EVENTs,
 *               the rate limit (its token bucket is pure: bucket.c)
 *   dma.c       DMA: the private IOMMU domain and the consumer's mappings
 *               (their IOVA bookkeeping is pure: iova.c)
 *   assign_nl.c the netlink commands of assignment
 *
 * Life of a device: DEV_ASSIGN reserves the DEV_ID (CLAIMING), points the
 * device's driver_override at adprof and attaches the driver; probe accepts
 * only a device with a CLAIMING entry, saves its config state as found,
 * enables and resets it (LIVE). DEV_DEASSIGN marks it DEASSIGNING and
 * releases the driver; remove, whoever calls it (DEV_DEASSIGN, module
 * unload, sysfs unbind, hot-unplug), marks it REMOVING, releases IRQs,
 * stops its DMA, resets it, gives its IOMMU group back (unmapping and
 * unpinning every mapping), disables it, restores the state as found, and
 * drops the entry (GONE).
 *
 * A device struct is reference counted: DEV_ASSIGN holds one reference
 * until it returns, the binding (probe to remove) another. Any bind may
 * probe a CLAIMING device, DEV_ASSIGN's attach or a sysfs bind or
 * drivers_probe that raced with it; DEV_ASSIGN learns the outcome under
 * device_lock, when no probe or remove of the device runs, and never
 * frees what a binding uses.
 *
 * Locking. Order: device_lock(&pdev->dev) > adprof_lock > adev->send_lock >
 * adev->irq_lock; adprof_lock > adev->dma.lock > mmap_lock. The driver core calls probe
 * and remove with device_lock held, and they take adprof_lock; so nothing
 * calls into the driver core (attach, release, driver_set_override) with
 * adprof_lock held: DEV_ASSIGN and DEV_DEASSIGN publish a state under
 * adprof_lock, drop it, and let probe and remove do the device work.
 *
 * adprof_lock (mutex) protects:
 *	adprof_devs, adprof_nr_devs, adprof_gen, adev->state, and every field
 *	of a LIVE device tagged [C]. A device in any other state is owned by
 *	the one path that set that state (DEV_ASSIGN and probe, or remove),
 *	and commands, dumps and debugfs do not see it.
 * adev->send_lock (spinlock, BH safe) serializes taking a source's pending
 *	occurrences and sending their event, so a device's events leave in
 *	order. Taken in softirq (a vector's bottom half) and, with BHs off, in
 *	process context (the works, teardown); nothing under it sleeps.
 * adev->irq_lock (spinlock, hard-IRQ safe) protects the fields tagged [I]:
 *	per-vector counters, the INTx state, the token bucket and the DMA
 *	fault counters (the IOMMU driver reports faults from its interrupt).
 * adev->dma.lock (mutex) protects the fields tagged [D]: the mappings, and
 *	whether the domain takes any (DMA_MAP pins pages under it, which may
 *	take long: it is per device, and adprof_lock is not held meanwhile).
 */
#ifndef _ADPROF_ADEV_H
#define _ADPROF_ADEV_H

#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/genetlink.h>

#include "bucket.h"
#include "compat.h"
#include "iova.h"
#include "intx.h"
#include "msix.h"

#define ADPROF_PCI_DRIVER	"adprof"

enum adprof_dev_state {
	ADPROF_DEV_CLAIMING,	/* DEV_ASSIGN binding the driver */
	ADPROF_DEV_LIVE,	/* bound and set up: commands see it */
	ADPROF_DEV_DEASSIGNING,	/* DEV_DEASSIGN releasing the driver */
	ADPROF_DEV_REMOVING,	/* remove() tearing it down */
	ADPROF_DEV_GONE,	/* out of the registry, last references going */
};

struct adprof_dev;

/**
 * struct adprof_evsrc - what raises events on the "irq" group: a host
 *	vector (IRQ_EVENT) or the device's IOMMU domain (DMA_FAULT)
 * @count: [I] occurrences: interrupts taken, faults reported
 * @coalesced: [I] occurrences folded into a later event than their own
 * @pending: [I] occurrences not yet sent
 * @pending_ts: [I] time of the oldest pending one (hard IRQ, or fault)
 * @pending_iova: [I] its IOVA (faults)
 * @pending_flags: [I] its ADPROF_DMA_F_* access (faults)
 * @events: [I] events sent
 * @unheard: [I] occurrences not sent because nobody listened
 * @lost: [I] occurrences in events that could not be sent
 * @overruns: [I] events some listener's socket had no room for
 *
 * @count = sum of sent events' COUNT + @pending + @unheard + @lost.
 */
struct adprof_evsrc {
	u64 count;
	u64 coalesced;
	u64 pending;
	u64 pending_ts;
	u64 pending_iova;
	u32 pending_flags;
	u64 events;
	u64 unheard;
	u64 lost;
	u64 overruns;
};

/**
 * struct adprof_vec - one host interrupt vector of an assigned device
 * @adev: device
 * @index: host vector index: 0, or the MSI-X table slot
 * @irq: Linux IRQ number
 * @name: action name shown in /proc/interrupts
 * @ev: [I] its interrupts and events
 * @bh: sends @ev's event in softirq context, queued by the hard handler
 */
struct adprof_vec {
	struct adprof_dev *adev;
	u32 index;
	int irq;
	char name[24];
	struct adprof_evsrc ev;
	struct adprof_bh bh;
};

/**
 * struct adprof_dma - the private IOMMU domain of a device (DEV_F_IOMMU)
 * @lock: see the locking comment at the top
 * @live: [D] the domain is attached and takes mappings; cleared by remove
 * @group: the device's IOMMU group, owned by adprof while @domain exists
 * @group_id: its number, as in /sys/kernel/iommu_groups/
 * @domain: the unmanaged domain the group is attached to
 * @prot_extra: IOMMU_CACHE if the IOMMU keeps DMA coherent, else 0
 * @reports_faults: the IOMMU driver hands faults to adprof (AMD: yes;
 *	Intel VT-d only logs them)
 * @maps: [D] the mappings, in struct adprof_dma_map
 * @fault: [I] faults reported and their DMA_FAULT events
 * @fault_work: sends the faults the rate limit held back
 */
struct adprof_dma {
	struct mutex lock;		/* [D] fields */
	bool live;
	struct iommu_group *group;
	int group_id;
	struct iommu_domain *domain;
	int prot_extra;
	bool reports_faults;
	struct adprof_iova_set maps;
	struct adprof_evsrc fault;
	struct delayed_work fault_work;
};

/**
 * struct adprof_dev - an assigned device
 * @ref: references: DEV_ASSIGN's while it runs, the binding's
 * @id: DEV_ID, the registry key
 * @pdev: the device, with a reference held
 * @segment: PCI domain as asked for
 * @bus: PCI bus as asked for
 * @devfn: PCI devfn as asked for
 * @dev_flags: DEV_FLAGS as asked for
 * @state: [adprof_lock] enum adprof_dev_state
 * @probe_err: what probe could not do (for DEV_ASSIGN's extack)
 * @probe_msg: room for a @probe_err with details
 * @found_state: config state as found, restored at remove
 * @msi_cap: MSI capability offset, 0 if none
 * @msix_cap: MSI-X capability offset, 0 if none
 * @msi_flags: MSI message control as found
 * @msix_flags: MSI-X message control as found
 * @msi_regs: MSI address, data and mask registers as found
 * @irq_requested: [C] ADPROF_IRQ_* assigned
 * @host_type: [C] host ADPROF_IRQ_HOST_* with vectors requested, else 0;
 *	constant while @vecs exist, so handlers read it without a lock
 * @guest_irq: [C] consumer vector of INTx/MSI; handlers READ_ONCE() it
 * @msix: [C] MSI-X routing table
 * @vecs: [C] @nvec host vectors, NULL while no host type is assigned
 * @nvec: [C] number of @vecs
 * @send_lock: see the locking comment at the top
 * @irq_lock: see the locking comment at the top
 * @intx: [I] host INTx mask/ack state
 * @bucket: [I] events that may be sent now (irq_rate)
 * @flush_work: sends interrupts held back by the bucket
 * @dma: the private IOMMU domain (DEV_F_IOMMU); set up by probe before the
 *	device is LIVE, torn down by remove
 */
struct adprof_dev {
	struct kref ref;
	u32 id;
	struct pci_dev *pdev;
	u16 segment;
	u8 bus;
	u8 devfn;
	u32 dev_flags;
	enum adprof_dev_state state;
	const char *probe_err;
	char probe_msg[96];

	struct pci_saved_state *found_state;
	u8 msi_cap;
	u8 msix_cap;
	u16 msi_flags;
	u16 msix_flags;
	u32 msi_regs[4];

	u32 irq_requested;
	u32 host_type;
	u32 guest_irq;
	struct adprof_msix_table msix;
	struct adprof_vec *vecs;
	u32 nvec;

	spinlock_t send_lock;		/* orders this device's events */
	spinlock_t irq_lock;		/* [I] fields; hard-IRQ safe */
	struct adprof_intx intx;
	struct adprof_bucket bucket;
	struct delayed_work flush_work;

	struct adprof_dma dma;
};

extern struct mutex adprof_lock;
extern struct xarray adprof_devs;
extern unsigned int adprof_gen;
extern struct pci_driver adprof_pci_driver;

/* dev.c */
struct adprof_dev *adprof_dev_alloc(u32 id, struct pci_dev *pdev, u16 segment,
				    u32 flags);
void adprof_dev_put(struct adprof_dev *adev);
int adprof_dev_reserve(struct adprof_dev *adev, struct genl_info *info);
void adprof_dev_unreserve(struct adprof_dev *adev);
struct adprof_dev *adprof_dev_lookup(struct genl_info *info);
const char *adprof_host_name(u32 flags);
const char *adprof_guest_name(u32 flags);

/* intrs.c */
void adprof_intrs_init(struct adprof_dev *adev);
void adprof_ev_take(struct adprof_dev *adev, struct adprof_evsrc *src,
		    u64 now, u64 iova, u32 flags);
bool adprof_ev_flush(struct adprof_dev *adev, struct adprof_evsrc *src,
		     struct adprof_vec *vec, bool force);
void adprof_ev_later(struct delayed_work *work);
int adprof_host_irq_enable(struct adprof_dev *adev, u32 type,
			   struct netlink_ext_ack *extack);
void adprof_irq_release(struct adprof_dev *adev, u32 release);
void adprof_intx_irq_ack(struct adprof_dev *adev);

/* dma.c */
void adprof_dma_init(struct adprof_dev *adev);
int adprof_dma_setup(struct adprof_dev *adev);
void adprof_dma_teardown(struct adprof_dev *adev);
void adprof_dma_debugfs(struct dentry *dir);
size_t adprof_dma_msg_size(void);
int adprof_dma_fill(struct sk_buff *skb, struct adprof_dev *adev);
void adprof_dma_show(struct seq_file *m, struct adprof_dev *adev);

#endif /* _ADPROF_ADEV_H */
