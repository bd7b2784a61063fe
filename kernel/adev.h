/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device assignment, private to its rooms (after drivers/vfio/pci/):
 *
 *   dev.c       ownership: the registry, the PCI driver (probe/remove), the
 *               config state as found, debugfs
 *   intrs.c     interrupt routing: host vectors, handlers, IRQ_EVENTs,
 *               the rate limit (its token bucket is pure: bucket.c)
 *   assign_nl.c the netlink commands of assignment
 *
 * Life of a device: DEV_ASSIGN reserves the DEV_ID (CLAIMING), points the
 * device's driver_override at adprof and attaches the driver; probe accepts
 * only a device with a CLAIMING entry, saves its config state as found,
 * enables and resets it (LIVE). DEV_DEASSIGN marks it DEASSIGNING and
 * releases the driver; remove, whoever calls it (DEV_DEASSIGN, module
 * unload, sysfs unbind, hot-unplug), marks it REMOVING, releases IRQs,
 * resets it, disables it, restores the state as found, and drops the entry
 * (GONE).
 *
 * A device struct is reference counted: DEV_ASSIGN holds one reference
 * until it returns, the binding (probe to remove) another. Any bind may
 * probe a CLAIMING device, DEV_ASSIGN's attach or a sysfs bind or
 * drivers_probe that raced with it; DEV_ASSIGN learns the outcome under
 * device_lock, when no probe or remove of the device runs, and never
 * frees what a binding uses.
 *
 * Locking. Order: device_lock(&pdev->dev) > adprof_lock > adev->send_lock >
 * adev->irq_lock. The driver core calls probe
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
 * adev->send_lock (mutex) serializes taking a vector's pending interrupts
 *	and sending their event, so a device's events leave in order.
 * adev->irq_lock (spinlock, hard-IRQ safe) protects the fields tagged [I]:
 *	per-vector counters, the INTx state and the token bucket.
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
 * struct adprof_vec - one host interrupt vector of an assigned device
 * @adev: device
 * @index: host vector index: 0, or the MSI-X table slot
 * @irq: Linux IRQ number
 * @name: action name shown in /proc/interrupts
 * @count: [I] interrupts taken
 * @coalesced: [I] interrupts folded into a later event than their own
 * @pending: [I] interrupts not yet sent
 * @pending_ts: [I] hard-IRQ time of the oldest pending interrupt
 * @events: [I] events sent
 * @unheard: [I] interrupts not sent because nobody listened
 * @lost: [I] interrupts in events that could not be sent
 * @overruns: [I] events some listener's socket had no room for
 *
 * @count = sum of sent events' COUNT + @pending + @unheard + @lost.
 */
struct adprof_vec {
	struct adprof_dev *adev;
	u32 index;
	int irq;
	char name[24];
	u64 count;
	u64 coalesced;
	u64 pending;
	u64 pending_ts;
	u64 events;
	u64 unheard;
	u64 lost;
	u64 overruns;
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

	struct mutex send_lock;		/* orders this device's events */
	spinlock_t irq_lock;		/* [I] fields; hard-IRQ safe */
	struct adprof_intx intx;
	struct adprof_bucket bucket;
	struct delayed_work flush_work;
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
int adprof_host_irq_enable(struct adprof_dev *adev, u32 type,
			   struct netlink_ext_ack *extack);
void adprof_irq_release(struct adprof_dev *adev, u32 release);
void adprof_intx_irq_ack(struct adprof_dev *adev);

#endif /* _ADPROF_ADEV_H */
