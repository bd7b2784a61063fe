// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt routing of assigned devices: host vectors (INTx, MSI, MSI-X)
 * with adprof's handlers, whose interrupts become IRQ_EVENT messages on
 * the "irq" multicast group; and the sending of every event of that group,
 * DMA_FAULTs of dma.c included, under one rate limit per device.
 *
 * The hard-IRQ half takes the CLOCK_MONOTONIC time, counts, and for INTx
 * masks the line until IRQ_ACK (KVM's host_irq_disabled); the vector's
 * bottom half, in softirq context on the same CPU as psample sends its
 * samples, sends one event for all the interrupts pending on its vector:
 * no IRQ thread to wake and switch to before the consumer can be woken
 * (bench/results/dma.txt). Not from the hard half itself: a netlink tap
 * (nlmon) on the way would transmit from hard-IRQ context. A
 * per-device token bucket (bucket.c) limits events; interrupts held back
 * are folded into the next event's COUNT, and a delayed work sends them
 * when tokens are back, so none is lost without being counted.
 *
 * Locking: adev.h. Host vectors are set up and released under adprof_lock
 * (or by remove, which owns the device); the handlers take only the
 * device's irq_lock (hard half) and send_lock (bottom half).
 */
#include <linux/adprof.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

#include "adev.h"
#include "compat.h"
#include "debugfs.h"
#include "netlink.h"

static unsigned int irq_rate = 10000;
module_param(irq_rate, uint, 0644);
MODULE_PARM_DESC(irq_rate,
		 "IRQ events per second per device, bursts of a tenth of it; 0: no limit (default 10000)");

/* IRQ_EVENT: 4 u32 and a u64; DMA_FAULT: 3 u32 and 2 u64. */
#define ADPROF_EVENT_SIZE	(4 * nla_total_size(sizeof(u32)) + \
				 2 * nla_total_size_64bit(sizeof(u64)))

static void adprof_flush_fn(struct work_struct *work);

/**
 * adprof_intrs_init() - initialize a new device's interrupt state
 * @adev: the device, not yet visible to anyone
 */
void adprof_intrs_init(struct adprof_dev *adev)
{
	spin_lock_init(&adev->send_lock);
	spin_lock_init(&adev->irq_lock);
	INIT_DELAYED_WORK(&adev->flush_work, adprof_flush_fn);
}

static void adprof_bucket_reset(struct adprof_dev *adev)
{
	spin_lock_irq(&adev->irq_lock);
	adprof_bucket_fill(&adev->bucket, READ_ONCE(irq_rate), ktime_get_ns());
	spin_unlock_irq(&adev->irq_lock);
}

/**
 * adprof_ev_later() - run @work once the device's next token is due
 * @work: a flush work of the device's, for what the rate limit held back
 */
void adprof_ev_later(struct delayed_work *work)
{
	u64 ns = adprof_bucket_period_ns(READ_ONCE(irq_rate));
	unsigned long delay = max(nsecs_to_jiffies(ns), 1UL);

	queue_delayed_work(system_wq, work, delay);
}

static void adprof_flush_later(struct adprof_dev *adev)
{
	adprof_ev_later(&adev->flush_work);
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

/*
 * One event for @n occurrences of @src: IRQ_EVENT for a vector (@vec),
 * DMA_FAULT for the device's domain (@vec NULL), from the snapshot @snap
 * of @src taken when they were taken off its pending count.
 */
static int adprof_event_send(struct adprof_dev *adev, struct adprof_vec *vec,
			     const struct adprof_evsrc *snap, u32 n)
{
	u8 cmd = vec ? ADPROF_CMD_IRQ_EVENT : ADPROF_CMD_DMA_FAULT;
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(ADPROF_EVENT_SIZE, GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put(skb, 0, 0, &adprof_family, 0, cmd);
	if (!hdr)
		goto err_free;
	if (nla_put_u32(skb, ADPROF_A_DEV_ID, adev->id) ||
	    nla_put_u64_64bit(skb, ADPROF_A_TIMESTAMP, snap->pending_ts,
			      ADPROF_A_PAD) ||
	    nla_put_u32(skb, ADPROF_A_COUNT, n))
		goto err_free;
	if (vec &&
	    (nla_put_u32(skb, ADPROF_A_HOST_VECTOR, vec->index) ||
	     nla_put_u32(skb, ADPROF_A_GUEST_IRQ, adprof_vec_gsi(adev, vec))))
		goto err_free;
	if (!vec &&
	    (nla_put_u64_64bit(skb, ADPROF_A_IOVA, snap->pending_iova,
			       ADPROF_A_PAD) ||
	     nla_put_u32(skb, ADPROF_A_DMA_FLAGS, snap->pending_flags)))
		goto err_free;
	genlmsg_end(skb, hdr);
	return adprof_nl_multicast(skb, ADPROF_MCGRP_IRQ_IDX, GFP_ATOMIC);

err_free:
	nlmsg_free(skb);
	return -EMSGSIZE;
}

/**
 * adprof_ev_flush() - send one event for what is pending on a source
 * @adev: the device
 * @src: one of its vectors' ev, or its DMA fault source
 * @vec: the vector @src belongs to, NULL for DMA faults
 * @force: send even without a token (teardown)
 *
 * Softirq (a vector's bottom half) or process context (works, teardown):
 * does not sleep.
 *
 * Return: true if occurrences stay pending for lack of a token.
 */
bool adprof_ev_flush(struct adprof_dev *adev, struct adprof_evsrc *src,
		     struct adprof_vec *vec, bool force)
{
	struct adprof_evsrc snap;
	bool listeners, limited = false;
	u64 n;
	int err;

	listeners = genl_has_listeners(&adprof_family, &init_net,
				       ADPROF_MCGRP_IRQ_IDX);
	spin_lock_bh(&adev->send_lock);
	spin_lock_irq(&adev->irq_lock);
	n = src->pending;
	if (!n)
		goto out_unlock;
	if (!listeners) {
		src->unheard += n;
		src->pending = 0;
		goto out_unlock;
	}
	if (!force && !adprof_bucket_take(&adev->bucket, READ_ONCE(irq_rate),
					  ktime_get_ns())) {
		limited = true;
		goto out_unlock;
	}
	n = min_t(u64, n, U32_MAX);
	snap = *src;
	src->pending -= n;
	spin_unlock_irq(&adev->irq_lock);

	err = adprof_event_send(adev, vec, &snap, n);

	spin_lock_irq(&adev->irq_lock);
	switch (err) {
	case -ENOBUFS:	/* delivered, but not to every listener */
		src->overruns++;
		fallthrough;
	case 0:
		src->events++;
		src->coalesced += n - 1;
		break;
	case -ESRCH:	/* the last listener left meanwhile */
		src->unheard += n;
		break;
	default:
		src->lost += n;
		break;
	}
out_unlock:
	spin_unlock_irq(&adev->irq_lock);
	spin_unlock_bh(&adev->send_lock);
	return limited;
}

/**
 * adprof_ev_take() - count one occurrence on a source
 * @adev: the device (its irq_lock held)
 * @src: the source
 * @now: its time
 * @iova: its IOVA (faults), else 0
 * @flags: its ADPROF_DMA_F_* access (faults), else 0
 *
 * Only the oldest pending occurrence's time, IOVA and access are kept:
 * the others are folded into the same event's COUNT.
 */
void adprof_ev_take(struct adprof_dev *adev, struct adprof_evsrc *src,
		    u64 now, u64 iova, u32 flags)
{
	lockdep_assert_held(&adev->irq_lock);
	src->count++;
	if (!src->pending++) {
		src->pending_ts = now;
		src->pending_iova = iova;
		src->pending_flags = flags;
	}
}

static void adprof_flush_fn(struct work_struct *work)
{
	struct adprof_dev *adev = container_of(to_delayed_work(work),
					       struct adprof_dev, flush_work);
	bool limited = false;
	u32 i;

	/* @vecs outlives this work: teardown cancels it first. */
	for (i = 0; i < adev->nvec; i++)
		limited |= adprof_ev_flush(adev, &adev->vecs[i].ev,
					   &adev->vecs[i], false);
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
	adprof_ev_take(adev, &vec->ev, now, 0, 0);
	if (adev->host_type == ADPROF_IRQ_HOST_INTX &&
	    adprof_intx_irq(&adev->intx))
		disable_irq_nosync(irq);
	spin_unlock(&adev->irq_lock);
	adprof_bh_queue(&vec->bh);
	return IRQ_HANDLED;
}

/* Bottom half: the event for what is pending on the vector. */
static void adprof_irq_bh(struct adprof_bh *bh)
{
	struct adprof_vec *vec = container_of(bh, struct adprof_vec, bh);

	if (adprof_ev_flush(vec->adev, &vec->ev, vec, false))
		adprof_flush_later(vec->adev);
}

/**
 * adprof_host_irq_enable() - enable a host interrupt type, request vectors
 * @adev: a LIVE device without host vectors (adprof_lock held)
 * @type: ADPROF_IRQ_HOST_INTX, _MSI or _MSIX (with a complete table)
 * @extack: for the reason of a failure
 *
 * MSI-X enables the device entries the routing table names, slot i being
 * host vector i, which pci_alloc_irq_vectors() cannot do (it takes entries
 * 0..nr-1).
 *
 * Return: 0, or a negative errno with everything undone.
 */
int adprof_host_irq_enable(struct adprof_dev *adev, u32 type,
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
	if (!vecs) {
		NL_SET_ERR_MSG(extack, "no memory for the host vectors");
		return -ENOMEM;
	}

	if (type == ADPROF_IRQ_HOST_MSIX) {
		entries = kcalloc(nvec, sizeof(*entries), GFP_KERNEL);
		if (!entries) {
			NL_SET_ERR_MSG(extack, "no memory for the MSI-X entries");
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
		adprof_bh_init(&vecs[i].bh, adprof_irq_bh);
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
	adprof_bucket_reset(adev);

	for (i = 0; i < nvec; i++) {
		/*
		 * Not shared, as in KVM: INTx stays masked until IRQ_ACK (the
		 * handler masks it). A line another device holds is refused
		 * with an extack, so the core need not log the mismatch.
		 */
		err = adprof_fault_irq_request(i) ? -EIO :
		      request_irq(vecs[i].irq, adprof_irq_hard,
				  type == ADPROF_IRQ_HOST_INTX ?
				  IRQF_PROBE_SHARED : 0,
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
	while (i--) {
		free_irq(vecs[i].irq, &vecs[i]);
		adprof_bh_kill(&vecs[i].bh);
	}
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
	/*
	 * free_irq() also copes with an INTx line we left disabled. Once the
	 * handler is gone nothing queues the bottom half, and once that is
	 * done nothing queues the flush work.
	 */
	for (i = 0; i < adev->nvec; i++) {
		free_irq(adev->vecs[i].irq, &adev->vecs[i]);
		adprof_bh_kill(&adev->vecs[i].bh);
	}
	cancel_delayed_work_sync(&adev->flush_work);
	for (i = 0; i < adev->nvec; i++)
		adprof_ev_flush(adev, &adev->vecs[i].ev, &adev->vecs[i], true);
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

/**
 * adprof_irq_release() - release sides of the IRQ assignment
 * @adev: the device (adprof_lock held, or owned by remove)
 * @release: ADPROF_IRQ_* bits of irq_requested to release
 */
void adprof_irq_release(struct adprof_dev *adev, u32 release)
{
	if (release & ADPROF_IRQ_HOST_MASK)
		adprof_host_irq_disable(adev);
	if (release & ADPROF_IRQ_GUEST_MASK)
		WRITE_ONCE(adev->guest_irq, 0);
	adev->irq_requested &= ~release;
}

/**
 * adprof_intx_irq_ack() - the consumer's end of a host INTx interrupt
 * @adev: a device with host INTx (adprof_lock held)
 *
 * Unmasks the line if the handler masked it; otherwise nothing.
 */
void adprof_intx_irq_ack(struct adprof_dev *adev)
{
	spin_lock_irq(&adev->irq_lock);
	if (adprof_intx_ack(&adev->intx))
		enable_irq(adev->vecs[0].irq);
	spin_unlock_irq(&adev->irq_lock);
}
