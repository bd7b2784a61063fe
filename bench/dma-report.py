#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# The report of bench/dma: reads the guest console logs (one per IOMMU
# model), writes bench/results/dma.txt and dma.json. Medians over the
# rounds, their spread (min-max), and adprof/VFIO ratios both of the
# medians and paired round by round (the two ran back to back in each
# round, so a paired ratio cancels drift of the host's load).
#
# Usage: dma-report.py TXT JSON LOAD VERSIONS LOG...
import json
import statistics
import sys

GOAL = 1.5


def kv(words):
    r = {}
    for w in words:
        if "=" in w:
            k, v = w.split("=", 1)
            r[k] = int(v) if v.lstrip("-").isdigit() else v
    return r


def parse(log):
    info, runs, counts, trace, errors = {}, [], [], {}, []
    for line in open(log, errors="replace"):
        w = line.split()
        if len(w) < 2:
            continue
        if w[0] == "BENCH-T" and len(w) >= 6:
            ev = {"ts": float(w[3]), "cpu": w[4].strip("[]"), "what": w[5],
                  "args": w[6:]}
            trace.setdefault((w[1], w[2]), []).append(ev)
            continue
        if w[0] != "BENCH":
            continue
        if w[1] == "info":
            info.update(kv(w[2:]))
        elif w[1] in ("irq", "dma"):
            r = kv(w[2:])
            r["kind"] = w[1]
            runs.append(r)
        elif w[1] == "counts":
            counts.append(kv(w[2:]))
        elif w[1] in ("error", "error-text"):
            errors.append(" ".join(w[1:]))
    return info, runs, counts, trace, errors


def spread(v):
    return {"median": statistics.median(v), "min": min(v), "max": max(v),
            "n": len(v)} if v else None


def paired(a_runs, v_runs, key):
    """adprof/VFIO ratios of @key, paired by round."""
    vb = {r["rep"]: r[key] for r in v_runs if key in r}
    return [r[key] / vb[r["rep"]] for r in a_runs
            if key in r and vb.get(r["rep"])]


def ratio_block(a_runs, v_runs, key):
    a = [r[key] for r in a_runs if key in r]
    v = [r[key] for r in v_runs if key in r]
    if not a or not v:
        return None
    p = paired(a_runs, v_runs, key)
    return {"of_medians": statistics.median(a) / statistics.median(v),
            "paired": spread(p)}


def stages(events, tool):
    """Per traced interrupt: hard IRQ, bottom half, consumer switch-in (us).

    adprof's bottom half is the first TASKLET softirq (B to E) on the CPU
    of the hard IRQ after its end (the softirq may serve other tasklets
    too: it is an upper bound).
    """
    me = tool + "-bench"
    ev = sorted(events, key=lambda e: e["ts"])
    hs = [i for i, e in enumerate(ev) if e["what"] == "H"]
    out = {"hardirq": [], "to_bh": [], "bh": [],
           "hardirq_to_consumer": [], "interrupts": len(hs),
           "consumer_switched_in": 0, "bh_seen": 0}

    def find(start, stop, pred):
        for j in range(start, stop):
            if pred(ev[j]):
                return j
        return None

    for n, h in enumerate(hs):
        stop = hs[n + 1] if n + 1 < len(hs) else len(ev)
        x = find(h, stop, lambda e: e["what"] == "X")
        if x is None:
            continue
        us = lambda a, b: (ev[b]["ts"] - ev[a]["ts"]) * 1e6
        out["hardirq"].append(us(h, x))
        # The wakeup may switch the consumer in on another CPU before the
        # waker is done: look for it from where the waker starts.
        start = h
        cpu = ev[h]["cpu"]
        if tool == "adprof":
            b = find(x, stop, lambda e: e["what"] == "B" and e["cpu"] == cpu)
            if b is not None:
                end = find(b, stop, lambda e: e["what"] == "E" and e["cpu"] == cpu)
                if end is not None:
                    out["bh_seen"] += 1
                    out["to_bh"].append(us(x, b))
                    out["bh"].append(us(b, end))
                    start = b
        # The consumer is pinned to CPU 1 (a raiser thread is "raiser").
        c = find(start, stop, lambda e: e["what"] == "S" and
                 e["args"][1] == me and e["cpu"] == "001")
        if c is not None:
            out["consumer_switched_in"] += 1
            out["hardirq_to_consumer"].append(us(h, c))
    for k, v in list(out.items()):
        if isinstance(v, list):
            out[k] = spread([round(x, 1) for x in v])
    return out


def report(log):
    info, runs, counts, trace, errors = parse(log)
    timed = [r for r in runs if r.get("rep") != "trace"]
    res = {"iommu": info.get("iommu", "?"), "info": info, "errors": errors,
           "latency": [], "dma": [], "counts": counts, "stages": [],
           "runs": runs}
    for place in sorted({r["place"] for r in timed if r["kind"] == "irq"},
                        key=lambda p: ["same", "cross", "sleep"].index(p)
                        if p in ("same", "cross", "sleep") else 9):
        sel = lambda t: [r for r in timed if r["kind"] == "irq" and
                         r["tool"] == t and r["place"] == place]
        a, v = sel("adprof"), sel("vfio")
        row = {"place": place, "rounds": {"adprof": len(a), "vfio": len(v)}}
        for t, rr in (("adprof", a), ("vfio", v)):
            row[t] = {k: spread([r[k] for r in rr if k in r])
                      for k in ("lat_p50", "lat_p99", "hirq_p50", "hirq_p99",
                                "hwake_p50", "hwake_p99")
                      if any(k in r for r in rr)}
            row[t]["coalesced"] = sum(r.get("coalesced", 0) for r in rr)
            slept = [r for r in rr if r.get("asleep", -1) >= 0]
            if slept:
                row[t]["asleep"] = sum(r["asleep"] for r in slept)
                row[t]["raised"] = sum(r["n"] for r in slept)
        row["ratio_p50"] = ratio_block(a, v, "lat_p50")
        row["ratio_p99"] = ratio_block(a, v, "lat_p99")
        res["latency"].append(row)
        for t in ("adprof", "vfio"):
            if (t, place) in trace:
                s = stages(trace[(t, place)], t)
                s.update({"tool": t, "place": place})
                tr = [r for r in runs if r.get("rep") == "trace" and
                      r["tool"] == t and r.get("place") == place]
                if tr:
                    s["traced_lat_p50"] = tr[0].get("lat_p50")
                res["stages"].append(s)
    for chunk in sorted({r["chunk"] for r in timed if r["kind"] == "dma"}):
        sel = lambda t: [r for r in timed if r["kind"] == "dma" and
                         r["tool"] == t and r["chunk"] == chunk]
        a, v = sel("adprof"), sel("vfio")
        row = {"chunk": chunk, "rounds": {"adprof": len(a), "vfio": len(v)}}
        for t, rr in (("adprof", a), ("vfio", v)):
            row[t] = {k: spread([r[k] for r in rr if k in r])
                      for k in ("map_ns", "unmap_ns", "null_ns")}
            # What must not move between rounds: every value seen.
            row[t]["fixed"] = {k: sorted({r[k] for r in rr if k in r})
                               for k in ("calls", "map_syscalls",
                                         "unmap_syscalls", "pinned",
                                         "unpinned", "vmlck_kb", "thp_kb",
                                         "vmlck_after_kb")}
        row["ratio_map"] = ratio_block(a, v, "map_ns")
        row["ratio_unmap"] = ratio_block(a, v, "unmap_ns")
        res["dma"].append(row)
    return res


def fmt_ns(s, unit=1000, prec=1):
    if not s:
        return "-"
    return "%.*f [%.*f-%.*f]" % (prec, s["median"] / unit, prec, s["min"] / unit,
                                 prec, s["max"] / unit)


def fmt_ratio(r):
    if not r:
        return "-"
    p = r["paired"]
    return "%.2fx (paired %.2fx [%.2f-%.2f])" % (r["of_medians"], p["median"],
                                                 p["min"], p["max"])


def text(results, load, versions):
    o = []
    p = o.append
    p("adprof against VFIO, bench/dma: QEMU/TCG guest on q35 (2 vCPUs), edu handed")
    p("between adprof and vfio-pci in one boot, the two alternating in every round.")
    p("median [min-max] over the rounds; ratios adprof/VFIO: of the medians, and")
    p("paired round by round (median [min-max]).")
    p(versions)
    p("Host load at the end: " + load)
    for res in results:
        i = res["info"]
        p("")
        p("=== %s-iommu: %s rounds, %s interrupts a run, %s MiB, THP %s, irq_rate %s ==="
          % (res["iommu"], i.get("reps"), i.get("irqs"),
             int(i.get("size", 0)) >> 20, i.get("thp"), i.get("irq_rate")))
        p("")
        p("Interrupt delivery, BAR0 write -> consumer awake (us); adprof also split at its")
        p("hard-IRQ timestamp: raise -> hard IRQ (hirq) and hard IRQ -> awake (hwake).")
        p("Consumer on CPU 1. same: it raises, MSI on CPU 1; cross: it raises, MSI on CPU 0;")
        p("sleep: a thread on CPU 0 raises once the consumer sleeps in its wait, MSI on CPU 1.")
        for row in res["latency"]:
            a, v = row["adprof"], row["vfio"]
            p("  %-6s %-7s p50 %-22s p99 %s" % (row["place"], "vfio",
              fmt_ns(v.get("lat_p50")), fmt_ns(v.get("lat_p99"))))
            p("  %-6s %-7s p50 %-22s p99 %s" % ("", "adprof",
              fmt_ns(a.get("lat_p50")), fmt_ns(a.get("lat_p99"))))
            p("  %-6s %-7s p50 %-22s p99 %s" % ("", " hirq",
              fmt_ns(a.get("hirq_p50")), fmt_ns(a.get("hirq_p99"))))
            p("  %-6s %-7s p50 %-22s p99 %s" % ("", " hwake",
              fmt_ns(a.get("hwake_p50")), fmt_ns(a.get("hwake_p99"))))
            for k in ("p50", "p99"):
                r = row["ratio_" + k]
                ok = r and r["of_medians"] <= GOAL and r["paired"]["median"] <= GOAL
                p("  %-6s ratio %s %s  goal <= %.1fx: %s" % ("", k, fmt_ratio(r), GOAL,
                  "met" if ok else "MISSED"))
            hp, lp = a.get("hirq_p99"), a.get("lat_p99")
            if hp and lp and hp["median"] * 2 >= lp["median"]:
                p("  %-6s p99 is mostly raise -> hard IRQ (adprof's %.1f of %.1f): the host"
                  % ("", hp["median"] / 1000, lp["median"] / 1000))
                p("  %-6s scheduling a halted vCPU's thread, which both pay alike" % "")
            if "asleep" in a and "asleep" in v:
                p("  %-6s consumer asleep when raised: adprof %d/%d, vfio %d/%d"
                  % ("", a["asleep"], a["raised"], v["asleep"], v["raised"]))
            if a.get("coalesced") or v.get("coalesced"):
                p("  %-6s coalesced: adprof %d vfio %d" % ("", a["coalesced"], v["coalesced"]))
        if res["stages"]:
            p("")
            p("Where the time goes, traced once (tracefs, us, median of %s interrupts;" %
              res["stages"][0]["interrupts"])
            p("tracing slows each step, so shares, not totals):")
            for s in res["stages"]:
                g = lambda k: ("%.1f" % s[k]["median"]) if s.get(k) else "-"
                lat = "%.1f" % (s["traced_lat_p50"] / 1000) if s.get("traced_lat_p50") else "-"
                # A median of the few that slept says nothing of the rest.
                if s["consumer_switched_in"] * 2 < s["interrupts"]:
                    s = dict(s, hardirq_to_consumer=None)
                if s["tool"] == "adprof":
                    p("  %-6s adprof  hard IRQ %s; its end -> bottom half (TASKLET softirq) %s;"
                      % (s["place"], g("hardirq"), g("to_bh")))
                    p("  %-6s         bottom half (event built, multicast, consumer woken) %s"
                      % ("", g("bh")))
                    p("  %-6s         (after %d of %d hard IRQs); hard IRQ -> consumer runs %s"
                      % ("", s.get("bh_seen", 0), s["interrupts"], g("hardirq_to_consumer")))
                else:
                    p("  %-6s vfio    hard IRQ %s; hard IRQ -> consumer runs %s"
                      % (s["place"], g("hardirq"), g("hardirq_to_consumer")))
                p("  %-6s         (consumer switched in for %d of %d; traced raise -> awake p50 %s)"
                  % ("", s["consumer_switched_in"], s["interrupts"], lat))
        p("")
        p("DMA map + unmap of %d MiB, each phase timed whole (ms); null: the cheapest request"
          % (int(i.get("size", 0)) >> 20))
        p("as often, per call (us): adprof DMA_GET, VFIO VFIO_CHECK_EXTENSION.")
        for row in res["dma"]:
            c = row["chunk"]
            name = "%d KiB" % (c >> 10) if c < 1 << 20 else "%d MiB" % (c >> 20)
            for t in ("vfio", "adprof"):
                d = row[t]
                calls = d["fixed"]["calls"][0] if d["fixed"]["calls"] else 0
                null = d.get("null_ns")
                nullc = ("%.1f" % (null["median"] / calls / 1000)) if null and calls else "-"
                p("  %-7s %-7s map %-26s unmap %-26s null %s" % (
                  name if t == "vfio" else "", t, fmt_ns(d["map_ns"], 1e6, 2),
                  fmt_ns(d["unmap_ns"], 1e6, 2), nullc))
            p("  %-7s ratio   map %s" % ("", fmt_ratio(row["ratio_map"])))
            p("  %-7s ratio   unmap %s" % ("", fmt_ratio(row["ratio_unmap"])))
            for t in ("vfio", "adprof"):
                f = row[t]["fixed"]
                p("  %-7s %-7s fixed: %s" % ("", t, " ".join(
                  "%s=%s" % (k, ",".join(str(x) for x in v)) for k, v in f.items())))
        if res["counts"]:
            p("")
            p("Kernel counts of one untimed run each (perf stat, whole run):")
            for c in res["counts"]:
                p("  %-7s chunk %-8s %s" % (c.get("tool"), c.get("chunk"), " ".join(
                  "%s=%s" % (k, v) for k, v in c.items() if k not in ("tool", "chunk"))))
        for e in res["errors"]:
            p("  " + e)
    return "\n".join(o) + "\n"


def main():
    txt, js, load, versions = sys.argv[1:5]
    results = [report(log) for log in sys.argv[5:]]
    json.dump({"host_load_at_end": load.strip(), "versions": versions,
               "goal_ratio": GOAL, "results": results}, open(js, "w"), indent=1)
    open(txt, "w").write(text(results, load.strip(), versions))


if __name__ == "__main__":
    main()
