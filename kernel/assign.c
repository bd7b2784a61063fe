// SPDX-License-Identifier: GPL-2.0
/*
 * Device assignment, after KVM's assigned-dev (2011) on today's APIs: a PCI
 * device is taken from the host under a consumer-chosen DEV_ID, bound to
 * adprof as its PCI driver, enabled and reset; its interrupts (INTx, MSI or
 * MSI-X on the host side) become IRQ_EVENT messages on the "irq" multicast
 * group; on deassign it is given back as it was found.
 *
 * Life of a device: DEV_ASSIGN reserves the DEV_ID (CLAIMING), points the
 * device's driver_override at adprof and attaches the driver; probe accepts
 * only a device with a CLAIMING entry, saves its config state as found,
 * enables and resets it (LIVE). DEV_DEASSIGN marks it DEASSIGNING and
 * releases the driver; remove, whoever calls it (DEV_DEASSIGN, module
 * unload, sysfs unbind, hot-unplug), marks it REMOVING, releases IRQs,
 * resets it, disables it, restores the state as found, and drops the entry.
 *
 * Interrupts: the hard-IRQ half takes the CLOCK_MONOTONIC time, counts, and
 * for INTx masks the line until IRQ_ACK (KVM's host_irq_disabled); the
 * threaded half sends one event for all the interrupts pending on its
 * vector. A per-device token bucket limits events; interrupts held back are
 * folded into the next event's COUNT, and a delayed work sends them when
 * tokens are back, so none is lost without being counted.
 *
 * Locking. Order: device_lock(&pdev->dev) > adprof_lock > adev->send_lock >
 * adev->irq_lock. The driver core calls probe and remove with device_lock
 * held, and they take adprof_lock; so nothing calls into the driver core
 * (attach, release, driver_set_override) with adprof_lock held: DEV_ASSIGN
 * and DEV_DEASSIGN publish a state under adprof_lock, drop it, and let
 * probe and remove do the device work.
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
#include <linux/adprof.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/genetlink.h>

#include "assign.h"
#include "compat.h"
#include "debugfs.h"
#include "intx.h"
#include "irq_type.h"
#include "msix.h"
#include "netlink.h"

#define ADPROF_PCI_DRIVER	"adprof"

static unsigned int max_devs = 64;
module_param(max_devs, uint, 0444);
MODULE_PARM_DESC(max_devs, "Most devices assigned at once (default 64)");

static unsigned int irq_rate = 10000;
module_param(irq_rate, uint, 0644);
MODULE_PARM_DESC(irq_rate,
		 "IRQ events per second per device, bursts of a tenth of it; 0: no limit (default 10000)");

enum adprof_dev_state {
	ADPROF_DEV_CLAIMING,	/* DEV_ASSIGN binding the driver */
	ADPROF_DEV_LIVE,	/* bound and set up: commands see it */
	ADPROF_DEV_DEASSIGNING,	/* DEV_DEASSIGN releasing the driver */
	ADPROF_DEV_REMOVING,	/* remove() tearing it down */
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
 * @id: DEV_ID, the registry key
 * @pdev: the device, with a reference held
 * @segment: PCI domain as asked for
 * @bus: PCI bus as asked for
 * @devfn: PCI devfn as asked for
 * @dev_flags: DEV_FLAGS as asked for
 * @state: [adprof_lock] enum adprof_dev_state
 * @enable_failed: probe could not enable the device (for DEV_ASSIGN's extack)
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
 * @bucket_stamp: [I] time the bucket was last refilled up to
 * @bucket_tokens: [I] events that may be sent now
 * @flush_work: sends interrupts held back by the bucket
 */
struct adprof_dev {
	u32 id;
	struct pci_dev *pdev;
	u16 segment;
	u8 bus;
	u8 devfn;
	u32 dev_flags;
	enum adprof_dev_state state;
	bool enable_failed;

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
	u64 bucket_stamp;
	u32 bucket_tokens;
	struct delayed_work flush_work;
};

static DEFINE_MUTEX(adprof_lock);
static DEFINE_XARRAY(adprof_devs);
static unsigned int adprof_nr_devs;
/* Bumped when the set of LIVE devices changes; marks interrupted dumps. */
static unsigned int adprof_gen = 1;

static struct dentry *adprof_devices_file;

static struct pci_driver adprof_pci_driver;

/*
 * 6.1 has no NL_SET_ERR_MSG_FMT (6.3), and an extack keeps only a pointer,
 * read when the ack is built after the handler returns. Formatted messages
 * therefore live in a small static ring: never freed, always terminated;
 * only a burst of concurrent failures could garble one.
 */
#ifdef NL_SET_ERR_MSG_FMT
#define adprof_err_fmt(extack, fmt, ...) \
	NL_SET_ERR_MSG_FMT(extack, fmt, ##__VA_ARGS__)
#else
#define ADPROF_MSG_SLOTS	8
#define ADPROF_MSG_LEN		128

static char adprof_msgs[ADPROF_MSG_SLOTS][ADPROF_MSG_LEN];
static atomic_t adprof_msg_next;

static __printf(2, 3) void adprof_err_fmt(struct netlink_ext_ack *extack,
					  const char *fmt, ...)
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

static const char *adprof_host_name(u32 flags)
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

static const char *adprof_guest_name(u32 flags)
{
	return adprof_host_name((flags & ADPROF_IRQ_GUEST_MASK) >> 8);
}

/* ---- events ------------------------------------------------------------ */

#define ADPROF_EVENT_SIZE	(4 * nla_total_size(sizeof(u32)) + \
				 nla_total_size_64bit(sizeof(u64)))

/* Take one token from the device's bucket; false if there is none. */
static bool adprof_bucket_take(struct adprof_dev *adev, u64 now)
{
	u32 rate = READ_ONCE(irq_rate);
	u32 burst = max(rate / 10, 1U);
	u64 elapsed, add;

	lockdep_assert_held(&adev->irq_lock);
	if (!rate)
		return true;

	elapsed = now - adev->bucket_stamp;
	if (elapsed >= NSEC_PER_SEC) {
		/* A second refills any bucket: burst <= rate. */
		adev->bucket_tokens = burst;
		adev->bucket_stamp = now;
	} else {
		add = div_u64(elapsed * rate, NSEC_PER_SEC);
		if (add) {
			adev->bucket_tokens = min_t(u64, adev->bucket_tokens + add,
						    burst);
			adev->bucket_stamp += div_u64(add * NSEC_PER_SEC, rate);
		}
	}
	/* irq_rate may have been lowered meanwhile. */
	adev->bucket_tokens = min(adev->bucket_tokens, burst);
	if (!adev->bucket_tokens)
		return false;
	adev->bucket_tokens--;
	return true;
}

static void adprof_bucket_fill(struct adprof_dev *adev)
{
	spin_lock_irq(&adev->irq_lock);
	adev->bucket_tokens = max(READ_ONCE(irq_rate) / 10, 1U);
	adev->bucket_stamp = ktime_get_ns();
	spin_unlock_irq(&adev->irq_lock);
}

/* Send the held-back interrupts once a token is due. */
static void adprof_flush_later(struct adprof_dev *adev)
{
	u32 rate = READ_ONCE(irq_rate);
	unsigned long delay = 1;

	if (rate)
		delay = max(nsecs_to_jiffies(NSEC_PER_SEC / rate), 1UL);
	queue_delayed_work(system_wq, &adev->flush_work, delay);
}

static u32 adprof_vec_gsi(struct adprof_dev *adev, struct adprof_vec *vec)
{
	u32 gsi;

	/* The table is complete and kept while MSI-X vectors exist. */
	if (adev->host_type == ADPROF_IRQ_HOST_MSIX &&
	    !adprof_msix_gsi(&adev->msix, vec->index, &gsi))
		return gsi;
	return READ_ONCE(adev->guest_irq);
}

static int adprof_event_send(struct adprof_dev *adev, struct adprof_vec *vec,
			     u32 count, u64 ts)
{
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(ADPROF_EVENT_SIZE, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put(skb, 0, 0, &adprof_family, 0, ADPROF_CMD_IRQ_EVENT);
	if (!hdr)
		goto err_free;
	if (nla_put_u32(skb, ADPROF_A_DEV_ID, adev->id) ||
	    nla_put_u32(skb, ADPROF_A_HOST_VECTOR, vec->index) ||
	    nla_put_u32(skb, ADPROF_A_GUEST_IRQ, adprof_vec_gsi(adev, vec)) ||
	    nla_put_u64_64bit(skb, ADPROF_A_TIMESTAMP, ts, ADPROF_A_PAD) ||
	    nla_put_u32(skb, ADPROF_A_COUNT, count))
		goto err_free;
	genlmsg_end(skb, hdr);
	return adprof_nl_multicast(skb, ADPROF_MCGRP_IRQ_IDX);

err_free:
	nlmsg_free(skb);
	return -EMSGSIZE;
}

/*
 * Send one event for the interrupts pending on @vec. Unless @force, wait
 * for a token: return true if interrupts stay pending for lack of one.
 * Process context (IRQ thread, work, teardown).
 */
static bool adprof_vec_flush(struct adprof_vec *vec, bool force)
{
	struct adprof_dev *adev = vec->adev;
	bool listeners, limited = false;
	u64 n, ts;
	int err;

	listeners = genl_has_listeners(&adprof_family, &init_net,
				       ADPROF_MCGRP_IRQ_IDX);
	mutex_lock(&adev->send_lock);
	spin_lock_irq(&adev->irq_lock);
	n = vec->pending;
	if (!n)
		goto out_unlock;
	if (!listeners) {
		vec->unheard += n;
		vec->pending = 0;
		goto out_unlock;
	}
	if (!force && !adprof_bucket_take(adev, ktime_get_ns())) {
		limited = true;
		goto out_unlock;
	}
	n = min_t(u64, n, U32_MAX);
	ts = vec->pending_ts;
	vec->pending -= n;
	spin_unlock_irq(&adev->irq_lock);

	err = adprof_event_send(adev, vec, n, ts);

	spin_lock_irq(&adev->irq_lock);
	switch (err) {
	case -ENOBUFS:	/* delivered, but not to every listener */
		vec->overruns++;
		fallthrough;
	case 0:
		vec->events++;
		vec->coalesced += n - 1;
		break;
	case -ESRCH:	/* the last listener left meanwhile */
		vec->unheard += n;
		break;
	default:
		vec->lost += n;
		break;
	}
out_unlock:
	spin_unlock_irq(&adev->irq_lock);
	mutex_unlock(&adev->send_lock);
	return limited;
}

static void adprof_flush_fn(struct work_struct *work)
{
	struct adprof_dev *adev = container_of(to_delayed_work(work),
					       struct adprof_dev, flush_work);
	bool limited = false;
	u32 i;

	/* @vecs outlives this work: teardown cancels it first. */
	for (i = 0; i < adev->nvec; i++)
		limited |= adprof_vec_flush(&adev->vecs[i], false);
	if (limited)
		adprof_flush_later(adev);
}

/* Hard-IRQ half: time, count, mask INTx. No allocation, no netlink. */
static irqreturn_t adprof_irq_hard(int irq, void *data)
{
	struct adprof_vec *vec = data;
	struct adprof_dev *adev = vec->adev;
	u64 now = ktime_get_ns();

	spin_lock(&adev->irq_lock);
	vec->count++;
	if (!vec->pending++)
		vec->pending_ts = now;
	if (adev->host_type == ADPROF_IRQ_HOST_INTX &&
	    adprof_intx_irq(&adev->intx))
		disable_irq_nosync(irq);
	spin_unlock(&adev->irq_lock);
	return IRQ_WAKE_THREAD;
}

static irqreturn_t adprof_irq_thread(int irq, void *data)
{
	struct adprof_vec *vec = data;

	if (adprof_vec_flush(vec, false))
		adprof_flush_later(vec->adev);
	return IRQ_HANDLED;
}

/* ---- host interrupts ----------------------------------------------------- */

/*
 * Enable host @type and request its vectors. MSI-X enables the device
 * entries the routing table names, slot i being host vector i, which
 * pci_alloc_irq_vectors() cannot do (it takes entries 0..nr-1).
 */
static int adprof_host_irq_enable(struct adprof_dev *adev, u32 type,
				  struct netlink_ext_ack *extack)
{
	struct pci_dev *pdev = adev->pdev;
	struct msix_entry *entries = NULL;
	struct adprof_vec *vecs;
	u32 i, nvec = 1;
	int err;

	if (type == ADPROF_IRQ_HOST_MSIX)
		nvec = adev->msix.nr;
	vecs = kcalloc(nvec, sizeof(*vecs), GFP_KERNEL);
	if (!vecs)
		return -ENOMEM;

	if (type == ADPROF_IRQ_HOST_MSIX) {
		entries = kcalloc(nvec, sizeof(*entries), GFP_KERNEL);
		if (!entries) {
			err = -ENOMEM;
			goto err_free_vecs;
		}
		for (i = 0; i < nvec; i++)
			entries[i].entry = adev->msix.slots[i].entry;
		err = pci_enable_msix_exact(pdev, entries, nvec);
	} else {
		err = pci_alloc_irq_vectors(pdev, 1, 1,
					    type == ADPROF_IRQ_HOST_MSI ?
					    PCI_IRQ_MSI : PCI_IRQ_INTX);
		/* INTx: quiet until the handler is in, see below. */
		if (type == ADPROF_IRQ_HOST_INTX)
			pci_intx(pdev, 0);
	}
	if (err < 0) {
		NL_SET_ERR_MSG(extack, "enabling the host interrupt type failed");
		goto err_free_entries;
	}

	for (i = 0; i < nvec; i++) {
		vecs[i].adev = adev;
		vecs[i].index = i;
		vecs[i].irq = entries ? entries[i].vector : pci_irq_vector(pdev, 0);
		snprintf(vecs[i].name, sizeof(vecs[i].name), "adprof:%u:%u",
			 adev->id, i);
	}
	kfree(entries);
	entries = NULL;

	/* Handlers read these: set before the first request. */
	adev->host_type = type;
	adev->vecs = vecs;
	adev->nvec = nvec;
	spin_lock_irq(&adev->irq_lock);
	adprof_intx_init(&adev->intx);
	spin_unlock_irq(&adev->irq_lock);
	adprof_bucket_fill(adev);

	for (i = 0; i < nvec; i++) {
		/*
		 * Not shared, as in KVM: INTx stays masked until IRQ_ACK. A
		 * line another device holds is refused with an extack, so
		 * the core need not log the mismatch.
		 */
		err = request_threaded_irq(vecs[i].irq, adprof_irq_hard,
					   adprof_irq_thread,
					   type == ADPROF_IRQ_HOST_INTX ?
					   IRQF_ONESHOT | IRQF_PROBE_SHARED : 0,
					   vecs[i].name, &vecs[i]);
		if (err) {
			NL_SET_ERR_MSG(extack,
				       "requesting the host IRQ failed (INTx line shared?)");
			goto err_free_irqs;
		}
	}
	/*
	 * A level the device raised before the line had a handler could be
	 * missed, or latched stale while the line was shut down: let the
	 * device drive INTx only now.
	 */
	if (type == ADPROF_IRQ_HOST_INTX)
		pci_intx(pdev, 1);
	return 0;

err_free_irqs:
	while (i--)
		free_irq(vecs[i].irq, &vecs[i]);
	cancel_delayed_work_sync(&adev->flush_work);
	adev->host_type = 0;
	adev->vecs = NULL;
	adev->nvec = 0;
	pci_free_irq_vectors(pdev);
	pci_intx(pdev, 0);
err_free_entries:
	kfree(entries);
err_free_vecs:
	kfree(vecs);
	return err;
}

/* Release the host vectors; held-back interrupts get their last event. */
static void adprof_host_irq_disable(struct adprof_dev *adev)
{
	u32 i;

	if (!adev->vecs)
		return;
	/*
	 * Lower the device's INTx while its line still has a handler, so no
	 * level stays latched, or storms a line shared with another driver.
	 */
	pci_intx(adev->pdev, 0);
	/* free_irq() also copes with an INTx line we left disabled. */
	for (i = 0; i < adev->nvec; i++)
		free_irq(adev->vecs[i].irq, &adev->vecs[i]);
	cancel_delayed_work_sync(&adev->flush_work);
	for (i = 0; i < adev->nvec; i++)
		adprof_vec_flush(&adev->vecs[i], true);
	pci_free_irq_vectors(adev->pdev);
	/* MSI and MSI-X shutdown turn INTx back on. */
	pci_intx(adev->pdev, 0);

	/* KVM's rule: the MSI-X table goes with host MSI-X. */
	if (adev->host_type == ADPROF_IRQ_HOST_MSIX)
		adprof_msix_release(&adev->msix);
	kfree(adev->vecs);
	adev->vecs = NULL;
	adev->nvec = 0;
	adev->host_type = 0;
	spin_lock_irq(&adev->irq_lock);
	adprof_intx_init(&adev->intx);
	spin_unlock_irq(&adev->irq_lock);
}

/* Release the sides in @release (ADPROF_IRQ_* bits of irq_requested). */
static void adprof_irq_release(struct adprof_dev *adev, u32 release)
{
	if (release & ADPROF_IRQ_HOST_MASK)
		adprof_host_irq_disable(adev);
	if (release & ADPROF_IRQ_GUEST_MASK)
		WRITE_ONCE(adev->guest_irq, 0);
	adev->irq_requested &= ~release;
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
 * that host MSI or MSI-X programs.
 */
static void adprof_found_save(struct adprof_dev *adev)
{
	struct pci_dev *pdev = adev->pdev;
	unsigned int i, n;
	u8 off[4];

	pci_save_state(pdev);
	adev->found_state = pci_store_saved_state(pdev);
	if (!adev->found_state)
		pci_warn(pdev, "cannot store config state: it will not be restored\n");

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

/* ---- the PCI driver ---------------------------------------------------- */

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

/*
 * Called with device_lock held, through DEV_ASSIGN's attach or any other
 * bind (new_id, sysfs bind): only a device DEV_ASSIGN asked for is taken.
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

	/* CLAIMING: DEV_ASSIGN and this probe own @adev. */
	adprof_found_save(adev);
	err = pci_enable_device(pdev);
	if (err) {
		adev->enable_failed = true;
		goto err_free_state;
	}
	/* Reset where the device has a way: edu and virtio-rng have none. */
	err = pci_reset_function_locked(pdev);
	if (err && err != -ENOTTY)
		pci_info(pdev, "reset failed (%d)\n", err);
	/* MSI writes are DMA: the device must be a bus master. */
	pci_set_master(pdev);
	/* No INTx until host INTx is assigned; the found state has its bit. */
	pci_intx(pdev, 0);

	pci_set_drvdata(pdev, adev);
	mutex_lock(&adprof_lock);
	adev->state = ADPROF_DEV_LIVE;
	adprof_gen++;
	mutex_unlock(&adprof_lock);
	pci_info(pdev, "assigned as %u\n", adev->id);
	return 0;

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
	int err;

	mutex_lock(&adprof_lock);
	deassigning = adev->state == ADPROF_DEV_DEASSIGNING;
	adev->state = ADPROF_DEV_REMOVING;
	adprof_gen++;
	mutex_unlock(&adprof_lock);

	/* REMOVING: this path owns @adev. */
	adprof_irq_release(adev, adev->irq_requested);
	adprof_msix_release(&adev->msix);
	err = pci_reset_function_locked(pdev);
	if (err && err != -ENOTTY)
		pci_info(pdev, "reset failed (%d)\n", err);
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
	xa_erase(&adprof_devs, adev->id);
	adprof_nr_devs--;
	mutex_unlock(&adprof_lock);

	pci_info(pdev, "deassigned from %u\n", adev->id);
	pci_dev_put(adev->pdev);
	kfree(adev);
}

/* No ids: adprof binds only through driver_override, and only on request. */
static const struct pci_device_id adprof_pci_ids[] = {
	{ }
};

static struct pci_driver adprof_pci_driver = {
	.name = ADPROF_PCI_DRIVER,
	.id_table = adprof_pci_ids,
	.probe = adprof_pci_probe,
	.remove = adprof_pci_remove,
};

/* ---- commands ---------------------------------------------------------- */

/* The LIVE device named by the request's DEV_ID, or NULL with an extack. */
static struct adprof_dev *adprof_dev_lookup(struct genl_info *info)
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

/* Take the DEV_ID and the device in the registry, or say who has them. */
static int adprof_reserve(struct adprof_dev *adev, struct genl_info *info)
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
	if (err)
		return err;
	adprof_nr_devs++;
	return 0;
}

static void adprof_unreserve(struct adprof_dev *adev)
{
	mutex_lock(&adprof_lock);
	xa_erase(&adprof_devs, adev->id);
	adprof_nr_devs--;
	mutex_unlock(&adprof_lock);
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

/**
 * adprof_nl_dev_assign() - DEV_ASSIGN: take a PCI device under a DEV_ID
 * @skb: request
 * @info: request attributes: DEV_ID, PCI_BUS and PCI_DEVFN required,
 *	PCI_SEGMENT (default 0) and DEV_FLAGS optional
 *
 * Return: 0 once the device is bound to adprof, enabled and reset; -EEXIST
 * if the DEV_ID or the device is taken; -ENODEV if there is no such device;
 * -EINVAL for a bridge; -EBUSY if a host driver has it; -ENOSPC if
 * max_devs are assigned; another negative errno on failure.
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

	pdev = pci_get_domain_bus_and_slot(segment,
					   nla_get_u8(info->attrs[ADPROF_A_PCI_BUS]),
					   nla_get_u8(info->attrs[ADPROF_A_PCI_DEVFN]));
	if (!pdev) {
		NL_SET_ERR_MSG(extack, "no PCI device at this address");
		return -ENODEV;
	}
	err = adprof_check_class(pdev, extack);
	if (err)
		goto err_put;

	adev = kzalloc(sizeof(*adev), GFP_KERNEL);
	if (!adev) {
		err = -ENOMEM;
		goto err_put;
	}
	adev->id = nla_get_u32(info->attrs[ADPROF_A_DEV_ID]);
	adev->pdev = pdev;
	adev->segment = segment;
	adev->bus = pdev->bus->number;
	adev->devfn = pdev->devfn;
	adev->dev_flags = flags;
	adev->state = ADPROF_DEV_CLAIMING;
	mutex_init(&adev->send_lock);
	spin_lock_init(&adev->irq_lock);
	INIT_DELAYED_WORK(&adev->flush_work, adprof_flush_fn);

	mutex_lock(&adprof_lock);
	err = adprof_reserve(adev, info);
	mutex_unlock(&adprof_lock);
	if (err)
		goto err_free;

	ov = kstrdup(ADPROF_PCI_DRIVER, GFP_KERNEL);
	if (!ov) {
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
	if (err) {
		if (adev->enable_failed)
			NL_SET_ERR_MSG(extack, "cannot enable the PCI device");
		else
			NL_SET_ERR_MSG(extack, "binding adprof to the device failed");
		goto err_clear_override;
	}
	/* The binding owns @adev and the reference to @pdev now. */
	return 0;

err_clear_override:
	adprof_override_clear(pdev);
err_unreserve:
	adprof_unreserve(adev);
err_free:
	kfree(adev);
err_put:
	pci_dev_put(pdev);
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

/* Reply size: everything adprof_dev_fill() may put. */
static size_t adprof_dev_msg_size(const struct adprof_dev *adev)
{
	size_t slot = nla_total_size(0) + 2 * nla_total_size(sizeof(u32));
	size_t vec = nla_total_size(0) + 2 * nla_total_size(sizeof(u32)) +
		     2 * nla_total_size_64bit(sizeof(u64));

	return 4 * nla_total_size(sizeof(u32)) +	/* id, flags, irq, nr */
	       3 * nla_total_size(sizeof(u16)) +	/* segment, ids */
	       3 * nla_total_size(sizeof(u8)) +		/* bus, devfn, masked */
	       nla_total_size(0) + adev->msix.count * slot +
	       nla_total_size(0) + adev->nvec * vec;
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
		count = adev->vecs[i].count;
		coalesced = adev->vecs[i].coalesced;
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
	    nla_put_u32(skb, ADPROF_A_IRQ_FLAGS, adev->irq_requested) ||
	    nla_put_u32(skb, ADPROF_A_GUEST_IRQ, adev->guest_irq) ||
	    nla_put_u32(skb, ADPROF_A_MSIX_NR, adev->msix.nr) ||
	    adprof_fill_msix(skb, adev) ||
	    adprof_fill_vectors(skb, adev) ||
	    nla_put_u8(skb, ADPROF_A_INTX_MASKED, masked))
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
 * @info: request attributes: DEV_ID
 *
 * Return: 0 after the reply is sent; -ENODEV for an unknown DEV_ID;
 * -ENOMEM.
 */
int adprof_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct adprof_dev *adev;
	struct sk_buff *msg;
	int err;

	if (adprof_nl_require(info, ADPROF_A_DEV_ID))
		return -EINVAL;

	mutex_lock(&adprof_lock);
	adev = adprof_dev_lookup(info);
	if (!adev) {
		err = -ENODEV;
		goto out_unlock;
	}
	msg = genlmsg_new(adprof_dev_msg_size(adev), GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out_unlock;
	}
	err = adprof_dev_fill(msg, adev, info->snd_portid, info->snd_seq, 0,
			      NULL);
	mutex_unlock(&adprof_lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);

out_unlock:
	mutex_unlock(&adprof_lock);
	return err;
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

/**
 * adprof_nl_irq_assign() - IRQ_ASSIGN: route host interrupts to a consumer
 * @skb: request
 * @info: request attributes: DEV_ID and IRQ_FLAGS required, GUEST_IRQ
 *	(default 0) for a consumer INTx or MSI side
 *
 * Return: 0 on success; -ENODEV for an unknown DEV_ID; -EINVAL for bad
 * IRQ_FLAGS, or host MSI-X before its table is complete; -EEXIST if a
 * side is assigned already; -EOPNOTSUPP if the device lacks the host type;
 * another negative errno if enabling or requesting the IRQ failed.
 */
int adprof_nl_irq_assign(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *fattr = info->attrs[ADPROF_A_IRQ_FLAGS];
	struct adprof_dev *adev;
	u32 flags, host, guest;
	int cap, err;

	if (adprof_nl_require(info, ADPROF_A_DEV_ID) ||
	    adprof_nl_require(info, ADPROF_A_IRQ_FLAGS))
		return -EINVAL;
	flags = nla_get_u32(fattr);
	host = flags & ADPROF_IRQ_HOST_MASK;
	guest = flags & ADPROF_IRQ_GUEST_MASK;

	mutex_lock(&adprof_lock);
	adev = adprof_dev_lookup(info);
	if (!adev) {
		err = -ENODEV;
		goto out_unlock;
	}

	err = adprof_irq_type_check(adev->irq_requested, flags);
	if (err == -EEXIST) {
		NL_SET_ERR_MSG_ATTR(extack, fattr,
				    "a side named in IRQ_FLAGS is already assigned");
		goto out_unlock;
	}
	if (err) {
		NL_SET_ERR_MSG_ATTR(extack, fattr,
				    "IRQ_FLAGS needs one host or guest type, at most one of each");
		goto out_unlock;
	}

	cap = adprof_irq_host_cap(flags);
	if (cap && !pci_find_capability(adev->pdev, cap)) {
		if (cap == PCI_CAP_ID_MSI)
			NL_SET_ERR_MSG_ATTR(extack, fattr, "device has no MSI capability");
		else
			NL_SET_ERR_MSG_ATTR(extack, fattr, "device has no MSI-X capability");
		err = -EOPNOTSUPP;
		goto out_unlock;
	}
	if (host == ADPROF_IRQ_HOST_INTX && !adev->pdev->pin) {
		NL_SET_ERR_MSG_ATTR(extack, fattr, "device has no INTx pin");
		err = -EOPNOTSUPP;
		goto out_unlock;
	}
	if (host == ADPROF_IRQ_HOST_MSIX && !adprof_msix_complete(&adev->msix)) {
		NL_SET_ERR_MSG_ATTR(extack, fattr,
				    "host MSI-X: set MSIX_SET_NR and entries first");
		err = -EINVAL;
		goto out_unlock;
	}

	if (host) {
		err = adprof_host_irq_enable(adev, host, extack);
		if (err)
			goto out_unlock;
	}
	if (guest)
		WRITE_ONCE(adev->guest_irq, info->attrs[ADPROF_A_GUEST_IRQ] ?
			   nla_get_u32(info->attrs[ADPROF_A_GUEST_IRQ]) : 0);
	adev->irq_requested |= flags;

out_unlock:
	mutex_unlock(&adprof_lock);
	return err;
}

/**
 * adprof_nl_irq_deassign() - IRQ_DEASSIGN: release the named sides
 * @skb: request
 * @info: request attributes: DEV_ID, IRQ_FLAGS
 *
 * A side goes whole when any of its type bits is named (KVM's rule).
 *
 * Return: 0 on success; -ENODEV for an unknown DEV_ID; -ENXIO if nothing
 * is assigned.
 */
int adprof_nl_irq_deassign(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *fattr = info->attrs[ADPROF_A_IRQ_FLAGS];
	struct adprof_dev *adev;
	u32 flags;
	int err;

	if (adprof_nl_require(info, ADPROF_A_DEV_ID) ||
	    adprof_nl_require(info, ADPROF_A_IRQ_FLAGS))
		return -EINVAL;
	flags = nla_get_u32(fattr);

	mutex_lock(&adprof_lock);
	adev = adprof_dev_lookup(info);
	if (!adev) {
		err = -ENODEV;
		goto out_unlock;
	}
	err = adprof_irq_deassign_check(adev->irq_requested, flags);
	if (err == -ENXIO) {
		NL_SET_ERR_MSG(info->extack, "no IRQ is assigned to this device");
		goto out_unlock;
	}
	if (err) {
		NL_SET_ERR_MSG_ATTR(info->extack, fattr, "unknown IRQ_FLAGS bits");
		goto out_unlock;
	}
	adprof_irq_release(adev,
			   adprof_irq_deassign_sides(adev->irq_requested, flags));
out_unlock:
	mutex_unlock(&adprof_lock);
	return err;
}

/* The LIVE device of the request if it has MSI-X; adprof_lock held. */
static struct adprof_dev *adprof_msix_lookup(struct genl_info *info, int *err)
{
	struct adprof_dev *adev;

	adev = adprof_dev_lookup(info);
	if (!adev) {
		*err = -ENODEV;
		return NULL;
	}
	if (!pci_find_capability(adev->pdev, PCI_CAP_ID_MSIX)) {
		NL_SET_ERR_MSG(info->extack, "device has no MSI-X capability");
		*err = -EOPNOTSUPP;
		return NULL;
	}
	return adev;
}

/**
 * adprof_nl_msix_set_nr() - MSIX_SET_NR: size the MSI-X routing table
 * @skb: request
 * @info: request attributes: DEV_ID, MSIX_NR
 *
 * Return: 0 on success; -ENODEV for an unknown DEV_ID; -EOPNOTSUPP without
 * MSI-X; -EINVAL if the size is set already or above the device's table;
 * -ENOMEM.
 */
int adprof_nl_msix_set_nr(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *nattr = info->attrs[ADPROF_A_MSIX_NR];
	struct adprof_dev *adev;
	int size, err = 0;
	u32 nr;

	if (adprof_nl_require(info, ADPROF_A_DEV_ID) ||
	    adprof_nl_require(info, ADPROF_A_MSIX_NR))
		return -EINVAL;
	nr = nla_get_u32(nattr);

	mutex_lock(&adprof_lock);
	adev = adprof_msix_lookup(info, &err);
	if (!adev)
		goto out_unlock;
	size = pci_msix_vec_count(adev->pdev);
	if (size < 0) {
		NL_SET_ERR_MSG(info->extack, "cannot read the device's MSI-X table size");
		err = size;
		goto out_unlock;
	}
	if (adev->msix.nr) {
		NL_SET_ERR_MSG_ATTR(info->extack, nattr,
				    "MSI-X table size is already set");
		err = -EINVAL;
		goto out_unlock;
	}
	if (nr > size) {
		NL_SET_BAD_ATTR(info->extack, nattr);
		adprof_err_fmt(info->extack,
			       "MSIX_NR is above the device's MSI-X table size (%d)",
			       size);
		err = -EINVAL;
		goto out_unlock;
	}
	err = adprof_msix_set_nr(&adev->msix, nr, size);
	if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, nattr, "cannot size the MSI-X table");
out_unlock:
	mutex_unlock(&adprof_lock);
	return err;
}

/**
 * adprof_nl_msix_set_entry() - MSIX_SET_ENTRY: route an MSI-X entry
 * @skb: request
 * @info: request attributes: DEV_ID, MSIX_ENTRY, GSI
 *
 * Return: 0 on success; -ENODEV for an unknown DEV_ID; -EOPNOTSUPP without
 * MSI-X; -EINVAL before MSIX_SET_NR or for an entry beyond the device's
 * table; -ENOSPC if the entry is new and the table full.
 */
int adprof_nl_msix_set_entry(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *eattr = info->attrs[ADPROF_A_MSIX_ENTRY];
	struct adprof_dev *adev;
	u32 entry, gsi;
	int err = 0;

	if (adprof_nl_require(info, ADPROF_A_DEV_ID) ||
	    adprof_nl_require(info, ADPROF_A_MSIX_ENTRY) ||
	    adprof_nl_require(info, ADPROF_A_GSI))
		return -EINVAL;
	entry = nla_get_u32(eattr);
	gsi = nla_get_u32(info->attrs[ADPROF_A_GSI]);

	mutex_lock(&adprof_lock);
	adev = adprof_msix_lookup(info, &err);
	if (!adev)
		goto out_unlock;
	if (!adev->msix.nr) {
		NL_SET_ERR_MSG(info->extack, "set MSIX_SET_NR first");
		err = -EINVAL;
		goto out_unlock;
	}
	if (entry >= adev->msix.dev_size) {
		NL_SET_BAD_ATTR(info->extack, eattr);
		adprof_err_fmt(info->extack,
			       "MSIX_ENTRY is beyond the device's MSI-X table (%u entries)",
			       adev->msix.dev_size);
		err = -EINVAL;
		goto out_unlock;
	}
	err = adprof_msix_set_entry(&adev->msix, entry, gsi);
	if (err == -ENOSPC)
		NL_SET_ERR_MSG_ATTR(info->extack, eattr,
				    "every slot of the MSI-X table is taken");
	else if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, eattr, "cannot set the MSI-X entry");
out_unlock:
	mutex_unlock(&adprof_lock);
	return err;
}

/**
 * adprof_nl_irq_ack() - IRQ_ACK: the consumer's INTx end-of-interrupt
 * @skb: request
 * @info: request attributes: DEV_ID
 *
 * Unmasks the host line the handler masked; an ack with nothing masked
 * does nothing, as a shared consumer line may be acked for another device.
 *
 * Return: 0 on success; -ENODEV for an unknown DEV_ID; -EINVAL if no host
 * INTx is assigned.
 */
int adprof_nl_irq_ack(struct sk_buff *skb, struct genl_info *info)
{
	struct adprof_dev *adev;
	int err = 0;

	if (adprof_nl_require(info, ADPROF_A_DEV_ID))
		return -EINVAL;

	mutex_lock(&adprof_lock);
	adev = adprof_dev_lookup(info);
	if (!adev) {
		err = -ENODEV;
		goto out_unlock;
	}
	if (!(adev->irq_requested & ADPROF_IRQ_HOST_INTX)) {
		NL_SET_ERR_MSG(info->extack,
			       "IRQ_ACK ends a host INTx interrupt: no host INTx is assigned");
		err = -EINVAL;
		goto out_unlock;
	}
	spin_lock_irq(&adev->irq_lock);
	if (adprof_intx_ack(&adev->intx))
		enable_irq(adev->vecs[0].irq);
	spin_unlock_irq(&adev->irq_lock);
out_unlock:
	mutex_unlock(&adprof_lock);
	return err;
}

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
	if (adev->host_type == ADPROF_IRQ_HOST_INTX)
		seq_printf(m, " intx_masks=%llu intx_while_masked=%llu intx_acks=%llu intx_idle_acks=%llu",
			   x.nr_masked, x.nr_while_masked, x.nr_unmasked,
			   x.nr_idle_acks);
	for (i = 0; i < adev->nvec; i++) {
		spin_lock_irq(&adev->irq_lock);
		v = adev->vecs[i];
		spin_unlock_irq(&adev->irq_lock);
		seq_printf(m, " vec%u=irq:%d,count:%llu,coalesced:%llu,events:%llu,pending:%llu,unheard:%llu,lost:%llu,overruns:%llu",
			   i, v.irq, v.count, v.coalesced, v.events, v.pending,
			   v.unheard, v.lost, v.overruns);
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
