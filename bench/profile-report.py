#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Analysis of bench/profile: instructions per sample of each profiler.

  profile-report.py CONSOLE_LOG PLUGIN_OUT RESULTS_DIR HOST_LOAD

Pairs the guest's INSNMARK lines (console, in the order executed) with the
insn plugin's marker lines (same order), so each label gets the guest's
instruction counts (total, user, kernel) and CLOCK_MONOTONIC time. A run
LABEL has four marks: LABEL.launch before the profiler starts, LABEL.start
and LABEL.work around the workload, LABEL.end once the profiler has
exited. Segments: "start" launch..start, "work" start..work, "stop"
work..end.

Background that grows with wall time (ticks, RCU, workqueues) is fitted
on the bare windows (tool none, two workload lengths): their kernel
instructions against their duration, K = a + b*T; the user instructions of
a bare window are fixed by the workload. Every segment is corrected by
-b*T, and a profiler's extra instructions are its corrected count minus
the median corrected count of the bare windows of the workload's length.
The cost per sample is the extra of the work segment divided by the
samples the profiler took inside it; start and stop are fixed costs.
Writes profile.txt, profile.json and adprof-cost.md into RESULTS_DIR.
"""
import base64
import bisect
import collections
import gzip
import json
import statistics
import sys

# bpftrace's programs run with kernel.bpf_stats_enabled: their samples are
# the run counts, and what bpf_stats adds to a run is taken out.
BPF_TOOLS = ("bpftrace", "floor", "bpftrace-g")


def die(msg):
    sys.exit("profile-report: " + msg)


def kv(words):
    d = {}
    for w in words:
        if "=" in w:
            k, v = w.split("=", 1)
            try:
                d[k] = int(v)
            except ValueError:
                try:
                    d[k] = float(v)
                except ValueError:
                    d[k] = v
    return d


def fit2(x1, x2, y):
    """Least squares y = a x1 + b x2 (no constant); returns a, b."""
    s11 = sum(a * a for a in x1)
    s22 = sum(a * a for a in x2)
    s12 = sum(a * b for a, b in zip(x1, x2))
    s1y = sum(a * c for a, c in zip(x1, y))
    s2y = sum(a * c for a, c in zip(x2, y))
    d = s11 * s22 - s12 * s12
    if not d:
        return None, None
    return (s1y * s22 - s2y * s12) / d, (s2y * s11 - s1y * s12) / d


def spread(v):
    """median, min, max, lower and upper quartile of a list."""
    if not v:
        return None
    v = sorted(v)
    q = statistics.quantiles(v, n=4, method="inclusive") if len(v) > 1 else [v[0]] * 3
    return {"median": statistics.median(v), "min": v[0], "max": v[-1],
            "q1": q[0], "q3": q[2], "n": len(v)}


def fit(xs, ys):
    """Least squares y = a + b x; returns a, b, r2."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    b = sxy / sxx if sxx else 0.0
    a = my - b * mx
    ss = sum((y - my) ** 2 for y in ys)
    res = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys))
    return a, b, (1 - res / ss) if ss else 0.0


def symbolizer(b64):
    """A function naming kernel addresses from the guest's text symbols."""
    syms = []
    for line in gzip.decompress(base64.b64decode(b64)).decode().splitlines():
        w = line.split()
        if len(w) >= 3:
            syms.append((int(w[0], 16), w[2] + (" " + w[3] if len(w) > 3 else "")))
    syms.sort()
    addrs = [a for a, _ in syms]

    def name(v):
        if v < 0x800000000000:
            return "[user]"
        i = bisect.bisect_right(addrs, v) - 1
        return syms[i][1] if i >= 0 else "[?]"
    return name


def hot_addrs(plug):
    """Instructions counted per hot block start, over all windows."""
    c = collections.Counter()
    for line in open(plug):
        w = line.split()
        if len(w) == 3 and w[0] == "hot" and w[1] != "other":
            c[int(w[1], 16)] += int(w[2])
    return c


def borrowed_symbolizer(syms_log, plug, ko):
    """Names for a boot that printed no symbols (cut short), from another
    boot of the same kernel: its KALLSYMS and hot blocks give the KASLR
    shift (the block starts of both boots differ by one multiple of 2 MiB),
    and the module's own symbols (objdump -t of the same adprof.ko) its
    load address (hot blocks that start a function agree on one page)."""
    b64, on = [], False
    for line in open(syms_log, errors="replace"):
        if line.startswith("KALLSYMS-BEGIN"):
            on = True
        elif line.startswith("KALLSYMS-END"):
            break
        elif on:
            b64.append(line.strip())
    syms = []
    for line in gzip.decompress(base64.b64decode("".join(b64))).decode().splitlines():
        w = line.split()
        if len(w) == 3:	# kernel text only: modules differ between boots
            syms.append((int(w[0], 16), w[2]))
    syms.sort()
    addrs = [a for a, _ in syms]
    kern = lambda a: 0xffffffff80000000 <= a < 0xffffffffc0000000
    theirs = {a for a in hot_addrs(syms_log + ".insn") if kern(a)}
    mine = hot_addrs(plug)
    votes = collections.Counter()
    for a, _ in [x for x in mine.most_common() if kern(x[0])][:300]:
        for b in theirs:
            if (b - a) % 0x200000 == 0:
                votes[b - a] += 1
    shift = votes.most_common(1)[0][0] if votes else 0
    mods, base = [], None
    if ko:
        import subprocess
        for line in subprocess.run(["objdump", "-t", ko], capture_output=True,
                                   text=True).stdout.splitlines():
            w = line.split()
            if len(w) >= 6 and w[-3] == ".text" and "F" in w[1:-3]:
                mods.append((int(w[0], 16), int(w[-2], 16), w[-1]))
        mods.sort()
        mv = collections.Counter()
        starts = [o for o, _, _ in mods]
        for a, _ in [x for x in mine.most_common() if x[0] >= 0xffffffffc0000000][:300]:
            for o in starts:
                if (a - o) % 4096 == 0:
                    mv[a - o] += 1
        if mv and mv.most_common(1)[0][1] >= 5:
            base = mv.most_common(1)[0][0]
    mstarts = [o for o, _, _ in mods]

    def name(v):
        if v < 0x800000000000:
            return "[user]"
        if v >= 0xffffffffc0000000:
            if base is not None:
                i = bisect.bisect_right(mstarts, v - base) - 1
                if i >= 0 and v - base < mods[i][0] + mods[i][1]:
                    return mods[i][2] + " [adprof]"
            return "[modules, BPF JIT]"
        i = bisect.bisect_right(addrs, v + shift) - 1
        return syms[i][1] if i >= 0 else "[?]"
    return name, shift, base


def main():
    log, plug, outdir, load = sys.argv[1:5]
    # A boot cut short printed no symbols: borrow them (see above).
    syms_from = sys.argv[5] if len(sys.argv) > 5 else None
    ko = sys.argv[6] if len(sys.argv) > 6 else None

    marks, runs, info, diag, errors = [], [], {}, [], []
    begun = False
    syms_b64 = None
    done = False
    for line in open(log, errors="replace"):
        w = line.split()
        if not line.endswith("\n"):	# a boot cut short, mid-line
            break
        done = done or line.startswith("BENCH done")
        if line.startswith("ADPROF-BEGIN"):
            begun = True
        if line.startswith("KALLSYMS-BEGIN"):
            syms_b64 = []
            continue
        if line.startswith("KALLSYMS-END"):
            syms_b64 = "".join(syms_b64)
            continue
        if isinstance(syms_b64, list):
            syms_b64.append(line.strip())
            continue
        if not begun or not w:
            continue
        if w[0] == "INSNMARK" and len(w) == 3:
            marks.append((w[1], int(w[2])))
        elif w[0] == "BENCH" and len(w) > 1:
            if w[1] == "info":
                info.update(kv(w[2:]))
            elif w[1] == "run":
                runs.append(kv(w[2:]))
            elif w[1] == "diag":
                diag.append(kv(w[2:]))
            elif w[1] == "error":
                errors.append(" ".join(w[2:]))
    counts, hot = [], []
    for line in open(plug):
        w = line.split()
        if w and w[0] == "marker":
            counts.append((int(w[5]), int(w[7]), int(w[9]), int(w[11]) if len(w) > 11 else 0))
            hot.append({})
        elif w and w[0] == "hot" and hot:
            hot[-1][w[1]] = int(w[2])
    # Cut short, the console's copy lags the plugin's file: the rounds
    # both have are whole (the runs missing a mark are left out below).
    if not done and len(counts) > len(marks):
        counts, hot = counts[:len(marks)], hot[:len(marks)]
    if len(counts) != len(marks):
        die("%d markers counted by the plugin, %d INSNMARK lines on the console"
            % (len(counts), len(marks)))
    at = {}
    for (label, t), (tot, user, kern, rep), h in zip(marks, counts, hot):
        at[label] = {"insns": tot, "user": user, "kernel": kern, "rep": rep, "t": t, "hot": h}
    funcs = symbolizer(syms_b64) if isinstance(syms_b64, str) else None
    borrowed = None
    if not funcs and syms_from:
        funcs, shift, base = borrowed_symbolizer(syms_from, plug, ko)
        borrowed = {"from": syms_from, "kaslr_shift": hex(shift),
                    "module_base": hex(base) if base is not None else None}

    def seg(label, a, b):
        if label + "." + a not in at or label + "." + b not in at:
            return None
        x, y = at[label + "." + a], at[label + "." + b]
        return {"insns": y["insns"] - x["insns"], "user": y["user"] - x["user"],
                "kernel": y["kernel"] - x["kernel"], "rep": y["rep"] - x["rep"],
                "ns": y["t"] - x["t"]}

    # The counter's exactness: the same loop, twice and at twice the length.
    loops = []
    for label, _ in marks:
        if label.startswith("loop") and label.endswith(".0"):
            s = seg(label[:-2], "0", "1")
            n = int(label[:-2].split("-")[1])
            loops.append({"label": label[:-2], "turns": n, "user": s["user"],
                          "user_minus_2n": s["user"] - 2 * n,
                          "kernel": s["kernel"], "insns": s["insns"]})

    for r in runs:
        r["start"] = seg(r["label"], "launch", "start")
        r["work"] = seg(r["label"], "start", "work")
        r["stop"] = seg(r["label"], "work", "end")
    runs = [r for r in runs if r["start"] and r["work"] and r["stop"]]

    ncpu = info.get("ncpu", 2)
    calls = info.get("calls")
    maxr = info.get("max_rate")

    # Background: kernel instructions of the bare windows against time.
    bare = [r for r in runs if r["tool"] == "none"]
    if len({r["calls"] for r in bare}) < 2:
        die("no bare windows of two lengths to fit the background on")
    a, b, r2 = fit([r["work"]["ns"] for r in bare], [r["work"]["kernel"] for r in bare])
    background = {"per_ms": b * 1e6, "intercept": a, "r2": r2, "n": len(bare),
                  "lengths": sorted({r["calls"] for r in bare})}

    def corr(s):
        return s["insns"] - b * s["ns"]

    full = [r for r in bare if r["calls"] == calls]
    base = {k: statistics.median(corr(r[k]) for r in full) for k in ("start", "work", "stop")}
    base["work_user"] = statistics.median(r["work"]["user"] for r in full)
    base["work_rep"] = statistics.median(r["work"]["rep"] for r in full)
    base["work_ns"] = statistics.median(r["work"]["ns"] for r in full)
    user_fixed = spread([r["work"]["user"] for r in full])
    bare_rounds = {r["rep"]: r for r in full}

    # What bpf_stats adds to each BPF program run (bpftrace and the floor
    # count their samples with it): getppid() under an empty program.
    stats = []
    for rep in (1, 2, 3):
        on = seg("cal%d-bpfstats1" % rep, "start", "work")
        off = seg("cal%d-bpfstats0" % rep, "start", "work")
        if on and off:
            stats.append((corr(on) - corr(off)) / 200000)
    bpf_stats = statistics.median(stats) if stats else 0.0

    for r in runs:
        s = r.get("w_inside")
        if r["tool"] == "none" or not s:
            continue
        ew = corr(r["work"]) - base["work"]
        r["start_extra"] = corr(r["start"]) - base["start"]
        r["stop_extra"] = corr(r["stop"]) - base["stop"]
        r["per_sample_raw"] = ew / s
        r["per_sample"] = ew / s - (bpf_stats if r["tool"] in BPF_TOOLS else 0)
        r["user_per_sample"] = (r["work"]["user"] - base["work_user"]) / s
        r["kernel_per_sample"] = r["per_sample"] - r["user_per_sample"]
        r["rep_per_sample"] = (r["work"]["rep"] - base["work_rep"]) / s
        br = bare_rounds.get(r["rep"])
        if br:
            r["slowdown"] = r["work"]["ns"] / br["work"]["ns"]

    def pick(tool, rate, rep=None):
        return [r for r in runs if r["tool"] == tool and r["rate"] == rate and
                "per_sample" in r and (rep is None or r["rep"] == rep) and
                r["rep"] != "sweep"]

    # A tool's work per tick or poll costs by the second, not by the
    # sample, and TCG's sample rate moves with the host's load: fit
    # extra = per_sample * samples + per_second * duration over the rounds.
    def split_time(rs, less):
        if len(rs) < 3:
            return None
        S = [r["w_inside"] for r in rs]
        T = [r["work"]["ns"] / 1e9 for r in rs]
        ps, pt = fit2(S, T, [(r["per_sample"] + less) * r["w_inside"] for r in rs])
        rs_, rt = fit2(S, T, [r["work"]["rep"] - base["work_rep"] for r in rs])
        if ps is None:
            return None
        return {"per_sample": ps - less, "per_second": pt,
                "rep_per_sample": rs_, "rep_per_second": rt}

    tools = ("adprof", "perf", "bpftrace", "floor")
    # With call stacks, at 1 kHz: against the same floor and bare runs.
    tools_g = ("adprof-g", "perf-g", "bpftrace-g")

    def make_row(tool, rate, floor_med):
        rs = pick(tool, rate)
        if not rs:
            return None
        row = {"tool": tool, "rate_hz": rate, "runs": len(rs),
               "samples": spread([r["w_inside"] for r in rs]),
               "samples_per_cpu_s": statistics.median(
                   r["w_inside"] / (r["work"]["ns"] / 1e9) / ncpu for r in rs),
               "insns_per_sample": spread([r["per_sample"] for r in rs]),
               "insns_per_sample_raw": spread([r["per_sample_raw"] for r in rs]),
               "user_per_sample": spread([r["user_per_sample"] for r in rs]),
               "kernel_per_sample": spread([r["kernel_per_sample"] for r in rs]),
               "rep_per_sample": spread([r["rep_per_sample"] for r in rs]),
               "start_insns": spread([r["start_extra"] for r in rs]),
               "stop_insns": spread([r["stop_extra"] for r in rs]),
               "slowdown": spread([r["slowdown"] for r in rs if "slowdown" in r]),
               "lost": sum(r.get("lost", 0) for r in rs),
               "failed": sum(1 for r in rs if r.get("rc", 0))}
        med = row["insns_per_sample"]["median"]
        row["above_floor"] = med - floor_med if floor_med is not None else None
        # TCG counts every iteration of a rep movs/stos: copies weigh a
        # byte an instruction. Without them, for a reading that does not
        # favour the tool that copies least.
        row["norep_per_sample"] = spread([r["per_sample"] - r["rep_per_sample"] for r in rs])
        row["fit"] = split_time(rs, bpf_stats if tool in BPF_TOOLS else 0)
        base_tool = tool.split("-")[0]
        if base_tool == "adprof":
            row["wire_bytes_per_sample"] = statistics.median(
                r["w_wire_bytes"] / r["samples"] for r in rs)
            row["file_bytes_per_sample"] = statistics.median(
                r["w_file_bytes"] / r["samples"] for r in rs)
        elif base_tool == "perf":
            row["file_bytes_per_sample"] = statistics.median(
                r["bytes"] / r["samples"] for r in rs)
            row["throttle"] = sum(r.get("throttle", 0) for r in rs)
        elif base_tool == "bpftrace":
            row["keys"] = statistics.median(r["keys"] for r in rs)
            # The map counts the whole bpftrace -c run (the shell around
            # the workload too): a little over the runs inside.
            row["map_over_runs"] = statistics.median(
                r["samples"] / r["w_inside"] for r in rs if r["w_inside"])
            row["file_bytes_per_sample"] = statistics.median(
                r["bytes"] / r["samples"] for r in rs)
        # What the stacks held (stackstat): the workload's hot samples
        # (leaf in bench_spin_hot) with the whole chain up to spin_thread.
        st = [r for r in rs if r.get("st_stacks")]
        if st:
            row["stacks"] = {
                "hot_share": spread([r["st_hot"] / r["st_stacks"] for r in st]),
                "chain_of_hot": spread([r["st_chain"] / r["st_hot"] for r in st if r["st_hot"]]),
                "kernel_share": spread([r["st_kernel"] / r["st_stacks"] for r in st]),
                "frames_p50": statistics.median(r["st_frames_p50"] for r in st),
                "hot_user_p50": statistics.median(r["st_hot_user_p50"] for r in st),
                "errors": sum(r.get("st_errors", 0) for r in st)}
            if base_tool == "adprof":
                row["stacks"]["frames_per_sample"] = statistics.median(
                    r["w_stack_frames"] / r["samples"] for r in rs)
        return row

    rows = []
    floors = {}
    for rate in sorted({1000, maxr} - {None}):
        floor = pick("floor", rate)
        floors[rate] = statistics.median(r["per_sample"] for r in floor) if floor else None
        floors[(rate, "norep")] = statistics.median(
            r["per_sample"] - r["rep_per_sample"] for r in floor) if floor else None
        for tool in tools:
            row = make_row(tool, rate, floors[rate])
            if row:
                rows.append(row)
    # adprof-tick: adprof with the module's prof_latency_ms at 100 (not 1000).
    for tool in tools_g + ("adprof-tick",):
        row = make_row(tool, 1000, floors.get(1000))
        if row:
            rows.append(row)

    # adprof against the others, above the floor: the ratio of the
    # medians, and paired round by round, each run less its own round's
    # floor (the host's load moves a round's tools together). Bytes: the
    # stream's (netlink) and the file's per sample against perf.data's.
    ratios = []
    pairs = [(a, o, rate) for rate in sorted({1000, maxr} - {None})
             for a, o in (("adprof", "perf"), ("adprof", "bpftrace"))]
    pairs += [("adprof-g", "perf-g", 1000), ("adprof-g", "bpftrace-g", 1000),
              ("adprof-tick", "perf", 1000)]
    for a, o, rate in pairs:
        ra = [x for x in rows if x["tool"] == a and x["rate_hz"] == rate]
        ro = [x for x in rows if x["tool"] == o and x["rate_hz"] == rate]
        if not ra or not ro or ra[0]["above_floor"] is None:
            continue
        ra, ro = ra[0], ro[0]
        paired = []
        for x in pick(a, rate):
            y, f = pick(o, rate, x["rep"]), pick("floor", rate, x["rep"])
            if y and f and y[0]["per_sample"] - f[0]["per_sample"]:
                paired.append((x["per_sample"] - f[0]["per_sample"]) /
                              (y[0]["per_sample"] - f[0]["per_sample"]))
        fn = floors.get((rate, "norep"))
        na, no = ra["norep_per_sample"]["median"] - fn, ro["norep_per_sample"]["median"] - fn
        e = {"a": a, "o": o, "rate_hz": rate,
             "above_floor_norep": (na, no), "of_medians_norep": na / no if no else None,
             "above_floor": (ra["above_floor"], ro["above_floor"]),
             "of_medians": ra["above_floor"] / ro["above_floor"] if ro["above_floor"] else None,
             "paired": spread(paired)}
        if o.startswith("perf"):
            e["bytes"] = (ra["wire_bytes_per_sample"], ra["file_bytes_per_sample"],
                          ro["file_bytes_per_sample"])
        ratios.append(e)

    # The stop's growth with the samples, between the two rates of each
    # round: work a tool leaves for its exit (perf's drain and build-id
    # pass over its file, bpftrace's printing of more keys).
    deferred = []
    if maxr and maxr != 1000:
        for tool in tools:
            v = []
            for lo in pick(tool, 1000):
                hi = pick(tool, maxr, lo["rep"])
                if hi and hi[0]["w_inside"] != lo["w_inside"]:
                    v.append((hi[0]["stop_extra"] - lo["stop_extra"]) /
                             (hi[0]["w_inside"] - lo["w_inside"]))
            if v:
                deferred.append({"tool": tool, "per_sample": spread(v),
                                 "stop_1k": spread([r["stop_extra"] for r in pick(tool, 1000)]),
                                 "stop_max": spread([r["stop_extra"] for r in pick(tool, maxr)])})

    # The sweep: samples per second and CPU against -F, and loss.
    sweep = []
    for r in runs:
        if r["rep"] != "sweep":
            continue
        secs = r["work"]["ns"] / 1e9
        e = {"tool": r["tool"], "rate_hz": r["rate"], "samples": r.get("samples", 0),
             "lost": r.get("lost", 0), "gaps": r.get("gaps", 0),
             "overruns": r.get("overruns", 0), "throttle": r.get("throttle", 0),
             "rc": r.get("rc", 0),
             "per_cpu_s": r.get("w_inside", 0) / secs / ncpu}
        e["lossless"] = (e["rc"] == 0 and not e["lost"] and not e["gaps"] and
                         not e["overruns"] and e["samples"] > 0)
        sweep.append(e)

    # Where adprof's cost goes: per sample taken inside the workload.
    cal = {}
    for what, n in (("write", 8 << 20), ("read", 100)):
        v = []
        for rep in (1, 2, 3):
            x = seg("cal%d-%s-%s" % (rep, what, "tmpfs" if what == "write" else "maps"),
                    "start", "work")
            y = seg("cal%d-%s-null" % (rep, what), "start", "work")
            if x and y:
                v.append((corr(x) - corr(y)) / n)
        cal[what] = spread(v)
    # Stack-less at both rates, and with call stacks (kernel-g, sink-g,
    # adprof-g, perf-g, bpftrace-g) at 1 kHz, under the stack-less names.
    variants = [(rate, "") for rate in sorted({1000, maxr} - {None})] + [(1000, "-g")]
    parts = []
    for rate, g in variants:
        p = {"rate_hz": rate, "stacks": bool(g)}
        for tool in ("kernel", "sink", "adprof"):
            rs = pick(tool + g, rate)
            if not rs:
                continue
            p[tool] = {
                "runs": len(rs),
                "inside": statistics.median(r["w_inside"] for r in rs),
                "per_sample": spread([r["per_sample"] for r in rs]),
                "user_per_sample": spread([r["user_per_sample"] for r in rs]),
                "records_per_sample": statistics.median(
                    (r["samples"] + r.get("comm", 0)) / r["samples"] for r in rs),
                "fit": split_time(rs, 0),
            }
            if tool == "adprof":
                p[tool]["maps_inside"] = statistics.median(r["w_maps_inside"] for r in rs)
                p[tool]["file_bytes_inside"] = statistics.median(
                    r["w_file_bytes"] * r["w_inside"] / r["samples"] for r in rs)
                p[tool]["stop_insns"] = spread([r["stop_extra"] for r in rs])
            if tool == "sink":
                p[tool]["wire_bytes_per_sample"] = statistics.median(
                    r["bytes"] / r["samples"] for r in rs)
                p[tool]["overruns"] = sum(r.get("overruns", 0) for r in rs)
        tk = pick("adprof-tick", rate) if not g else []
        if tk:
            p["tick"] = {"runs": len(tk),
                         "inside": statistics.median(r["w_inside"] for r in tk),
                         "per_sample": spread([r["per_sample"] for r in tk]),
                         "user_per_sample": spread([r["user_per_sample"] for r in tk]),
                         "msgs_per_sample": statistics.median(r["w_msgs"] / r["samples"] for r in tk)}
            if "adprof" in p:
                p["adprof"]["msgs_per_sample"] = statistics.median(
                    r["w_msgs"] / r["samples"] for r in pick("adprof", rate))
        for d in diag:
            if not g and d.get("rate") == rate and d.get("msgs"):
                p["syscalls_per_msg"] = {k: round(v / d["msgs"], 2) for k, v in d.items()
                                         if k in ("recvfrom", "recvmsg", "poll", "write", "writev",
                                                  "openat", "read", "wait4")}
                p["syscalls_run"] = d
        parts.append(p)

    # The breakdown by function: the work segment's hot blocks (those
    # counted at the .work marker), named by the guest's kallsyms.
    by_func = []
    if funcs:
        def fn_counts(r):
            c = {}
            for k, v in at[r["label"] + ".work"]["hot"].items():
                name = "[other blocks]" if k == "other" else funcs(int(k, 16))
                c[name] = c.get(name, 0) + v
            return c
        bare_fn = [fn_counts(r) for r in full]
        for rate, g in variants:
            cols = {}
            for tool in ("floor", "kernel", "sink", "adprof", "perf", "bpftrace"):
                rs = pick(tool + (g if tool != "floor" else ""), rate)
                if not rs:
                    continue
                per = [fn_counts(r) for r in rs]
                names = set().union(*per, *bare_fn)
                cols[tool] = {n: statistics.median(
                    (p.get(n, 0) - statistics.median(b.get(n, 0) for b in bare_fn)) / r["w_inside"]
                    for p, r in zip(per, rs)) for n in names}
            if len(cols) > 1:
                by_func.append({"rate_hz": rate, "stacks": bool(g), "per_sample": cols})

    rounds = info.get("round", 0)	# the last "round=N done"
    res = {"guest": {"ncpu": ncpu, "reps": info.get("reps") if done else
                     "%s of %s" % (rounds, info.get("reps")),
                     "cut_short": not done,
                     "calls": calls,
                     "perf": info.get("perf"), "bpftrace": info.get("bpftrace"),
                     "max_rate_hz": maxr, "sweep": info.get("sweep"),
                     "perf_event_max_sample_rate": info.get("max_sample_rate")},
           "host_load_at_end": load.strip(),
           "counter_check": loops, "bare_window_user_insns": user_fixed,
           "background": background, "baseline": base,
           "bpf_stats_per_run": bpf_stats, "bpf_stats_calibration": stats,
           "symbols_borrowed": borrowed, "table": rows, "ratios": ratios, "stop_growth": deferred, "by_function": by_func, "sweep": sweep, "calibration": cal, "breakdown": parts,
           "errors": errors, "runs": runs}
    summ = summary_mode(runs, rows, floors, bare, corr, calls, maxr, ncpu, pick)
    if summ["rows"] and funcs:
        summ["by_function"] = sum_by_function(summ["rows"], by_func, bare, at, funcs)
    if summ["rows"]:
        sres = {k: res[k] for k in ("guest", "host_load_at_end", "background",
                                    "baseline", "bpf_stats_per_run", "errors")}
        sres.update(summ)
        json.dump(sres, open(outdir + "/summary.json", "w"), indent=1)
        write_summary(outdir + "/summary.txt", sres)
    json.dump(res, open(outdir + "/profile.json", "w"), indent=1)
    write_txt(outdir + "/profile.txt", res)
    write_md(outdir + "/adprof-cost.md", res)
    print(open(outdir + "/profile.txt").read())
    if summ["rows"]:
        print(open(outdir + "/summary.txt").read())


def summary_mode(runs, rows, floors, bare, corr, calls, maxr, ncpu, pick):
    """Summary mode (tool adprof-sum, adprof-sum-g): each run is a whole
    adprofctl record --summary inside the window, so its samples are
    exactly the window's, and its extra instructions hold adprofctl's
    start and stop too. Each round has it at two workload lengths: the
    cost per sample is the difference of their extras over the
    difference of their samples (the fixed part cancels), the extras
    against the bare runs of the same length (medians, corrected for
    background as every segment). Also: that fixed part, the all-in cost
    of the long run (extra / samples), and bytes per sample, summary
    against raw adprof: the netlink bytes adprofctl counted received
    over the samples it reported (both whole sessions). The two lengths
    are a row's own (the shortest and longest workload its runs have),
    each with bare runs of the same length."""
    lens = {}
    for n in {r["calls"] for r in bare}:
        b = [r for r in bare if r["calls"] == n]
        lens[n] = {"work": statistics.median(corr(r["work"]) for r in b),
                   "user": statistics.median(r["work"]["user"] for r in b),
                   "rep": statistics.median(r["work"]["rep"] for r in b)}
    out, cmp_ = [], []
    for tool, rate, others in (("adprof-sum", 1000, ("bpftrace", "adprof")),
                               ("adprof-sum", maxr, ("bpftrace", "adprof")),
                               ("adprof-sum-g", 1000, ("bpftrace-g", "adprof-g"))):
        rs = [r for r in runs if r["tool"] == tool and r["rate"] == rate and r["rep"] != "sweep"
              and r["calls"] in lens]
        if len({r["calls"] for r in rs}) < 2:
            continue
        short, long_ = min(r["calls"] for r in rs), max(r["calls"] for r in rs)
        per_round = []
        for rep in sorted({r["rep"] for r in rs}):
            lo = [r for r in rs if r["rep"] == rep and r["calls"] == short]
            hi = [r for r in rs if r["rep"] == rep and r["calls"] == long_]
            if not lo or not hi or hi[0]["samples"] <= lo[0]["samples"]:
                continue
            lo, hi = lo[0], hi[0]
            ex = {k: (corr(x["work"]) - lens[x["calls"]]["work"]) for k, x in (("lo", lo), ("hi", hi))}
            us = {k: x["work"]["user"] - lens[x["calls"]]["user"] for k, x in (("lo", lo), ("hi", hi))}
            rp = {k: x["work"]["rep"] - lens[x["calls"]]["rep"] for k, x in (("lo", lo), ("hi", hi))}
            ds = hi["samples"] - lo["samples"]
            ps = (ex["hi"] - ex["lo"]) / ds
            per_round.append({
                "rep": rep, "samples": (lo["samples"], hi["samples"]),
                "labels": (lo["label"], hi["label"]),
                "per_sample": ps,
                "user_per_sample": (us["hi"] - us["lo"]) / ds,
                "rep_per_sample": (rp["hi"] - rp["lo"]) / ds,
                "fixed": ex["hi"] - ps * hi["samples"],
                "all_in": ex["hi"] / hi["samples"],
                "per_cpu_s": hi["samples"] / (hi["work"]["ns"] / 1e9) / ncpu,
                "rx_per_sample": hi["rx"] / hi["samples"] if hi["samples"] else None,
                "counts_per_sample": hi["counts"] / hi["samples"] if hi["samples"] else None,
                "lost": lo["lost"] + hi["lost"], "rc": lo["rc"] or hi["rc"]})
        if not per_round:
            continue
        fl = floors.get(rate)
        row = {"tool": tool, "rate_hz": rate, "rounds": len(per_round),
               "calls": (short, long_),
               "samples_long": spread([x["samples"][1] for x in per_round]),
               "samples_short": spread([x["samples"][0] for x in per_round]),
               "samples_per_cpu_s": statistics.median(x["per_cpu_s"] for x in per_round),
               "insns_per_sample": spread([x["per_sample"] for x in per_round]),
               "user_per_sample": spread([x["user_per_sample"] for x in per_round]),
               "rep_per_sample": spread([x["rep_per_sample"] for x in per_round]),
               "fixed_insns": spread([x["fixed"] for x in per_round]),
               "all_in_per_sample": spread([x["all_in"] for x in per_round]),
               "rx_bytes_per_sample": statistics.median(x["rx_per_sample"] for x in per_round),
               "count_records_per_sample": statistics.median(x["counts_per_sample"] for x in per_round),
               "lost": sum(x["lost"] for x in per_round),
               "failed": sum(1 for x in per_round if x["rc"]),
               "per_round": per_round}
        row["above_floor"] = row["insns_per_sample"]["median"] - fl if fl is not None else None
        out.append(row)
        # Against the others above the same floor: of the medians, and
        # paired by round (each less its round's floor).
        for o in others:
            ro = [x for x in rows if x["tool"] == o and x["rate_hz"] == rate]
            if not ro:
                continue
            ro = ro[0]
            paired = []
            for x in per_round:
                y, f = pick(o, rate, x["rep"]), pick("floor", rate, x["rep"])
                if y and f and y[0]["per_sample"] - f[0]["per_sample"]:
                    paired.append((x["per_sample"] - f[0]["per_sample"]) /
                                  (y[0]["per_sample"] - f[0]["per_sample"]))
            e = {"a": tool, "o": o, "rate_hz": rate,
                 "above_floor": (row["above_floor"], ro["above_floor"]),
                 "of_medians": (row["above_floor"] / ro["above_floor"]
                                if ro["above_floor"] and row["above_floor"] is not None else None),
                 "paired": spread(paired)}
            if o.startswith("adprof"):
                raw = [r["rx"] / r["samples"] for r in pick(o, rate) if r.get("rx") and r["samples"]]
                if raw:
                    e["rx_bytes_per_sample"] = (row["rx_bytes_per_sample"], statistics.median(raw))
                    e["bytes_ratio"] = row["rx_bytes_per_sample"] / statistics.median(raw)
            cmp_.append(e)
    others = [{"tool": r["tool"], "rate_hz": r["rate_hz"], "runs": r["runs"],
               "samples": r["samples"]["median"],
               "insns_per_sample": r["insns_per_sample"], "above_floor": r["above_floor"],
               "rx_bytes_per_sample": statistics.median(
                   x["rx"] / x["samples"] for x in pick(r["tool"], r["rate_hz"])
                   if x.get("rx") and x.get("samples")) if r["tool"].startswith("adprof") else None}
              for r in rows if r["tool"] in ("adprof", "adprof-g", "bpftrace", "bpftrace-g", "floor")]
    return {"rows": out, "compare": cmp_, "others": others,
            "floors": {str(k): v for k, v in floors.items() if not isinstance(k, tuple)}}


def sum_by_function(rows, by_func, bare, at, funcs):
    """Where summary mode's cost goes, by function: for each round, the
    hot blocks' instructions of the long run less those of the short,
    less the same difference of the bare runs of those lengths (medians),
    over the difference of samples; medians over rounds. Beside it, the
    floor's and bpftrace's per sample at the same rate (profile.txt's
    by-function breakdown, against the bare runs of their length)."""
    def fn_counts(label):
        c = {}
        for k, v in at[label + ".work"]["hot"].items():
            name = "[other blocks]" if k == "other" else funcs(int(k, 16))
            c[name] = c.get(name, 0) + v
        return c
    bare_fn = {}
    for r in bare:
        bare_fn.setdefault(r["calls"], []).append(fn_counts(r["label"]))
    out = []
    for row in rows:
        short, long_ = row["calls"]
        if short not in bare_fn or long_ not in bare_fn:
            continue
        per = []
        for x in row["per_round"]:
            lo, hi = fn_counts(x["labels"][0]), fn_counts(x["labels"][1])
            per.append((lo, hi, x["samples"][1] - x["samples"][0]))
        names = set().union(*(set(lo) | set(hi) for lo, hi, _ in per),
                            *bare_fn[short], *bare_fn[long_])
        bmed = {n: statistics.median(b.get(n, 0) for b in bare_fn[long_]) -
                statistics.median(b.get(n, 0) for b in bare_fn[short]) for n in names}
        cost = {n: statistics.median((hi.get(n, 0) - lo.get(n, 0) - bmed[n]) / ds
                                     for lo, hi, ds in per) for n in names}
        g = row["tool"].endswith("-g")
        other = {}
        for b in by_func:
            if b["rate_hz"] == row["rate_hz"] and b["stacks"] == g:
                other = b["per_sample"]
        e = {"tool": row["tool"], "rate_hz": row["rate_hz"], "per_sample": {"sum": cost}}
        for t in ("floor", "bpftrace"):
            if t in other:
                e["per_sample"][t] = other[t]
        out.append(e)
    return out


def write_summary(path, res):
    g = res["guest"]
    with open(path, "w") as f:
        def p(s=""):
            f.write(s + "\n")
        p("adprof summary mode in guest instructions (bench/profile, insn TCG plugin)")
        p("QEMU/TCG, one thread, %s vCPUs; workload spinfix -t 2 N (fixed work), N as each"
          % g.get("ncpu"))
        p("row says (short/long);")
        p("%s rounds; perf: %s; bpftrace: %s; host load at the end: %s"
          % (g.get("reps"), g.get("perf"), g.get("bpftrace"), res["host_load_at_end"]))
        p()
        p("adprof-sum: adprofctl record --summary -F F -o FILE -- spinfix, the whole")
        p("recording inside the window, so the samples it reports are exactly the")
        p("window's (count records have no time to pick them by). Each round runs")
        p("it at both lengths; cost per sample = (extra insns of the long run -")
        p("extra of the short) / (samples of the long - samples of the short),")
        p("each extra against the bare runs of its length: adprofctl's own start")
        p("and stop cancel. fixed M: what is left of the long run's extra after")
        p("that (start and stop); all-in: the long run's extra / its samples.")
        p("Other tools' rows (adprof raw, bpftrace, floor) are profile.txt's method,")
        p("from the same boot: extra of the workload / samples inside it.")
        p("bytes/smp: netlink bytes adprofctl received / samples it reported.")
        p("Medians over rounds [min..max]; >floor: above the floor's median.")
        p()
        p("%-13s %6s %7s %8s %22s %6s %5s %5s %8s %18s %9s %9s %5s"
          % ("tool", "rate", "N", "samples", "insns/sample", ">floor", "user", "rep",
             "fixed M", "all-in", "bytes/smp", "cnt/smp", "lost"))
        for r in res["rows"]:
            s = r["insns_per_sample"]
            p("%-13s %6d %7s %8.0f %22s %6s %5.0f %5.0f %8.2f %18s %9.2f %9.4f %5d"
              % (r["tool"], r["rate_hz"], "%d/%d" % tuple(r["calls"]),
                 r["samples_long"]["median"],
                 "%.0f [%.0f..%.0f]" % (s["median"], s["min"], s["max"]),
                 "%.0f" % r["above_floor"] if r["above_floor"] is not None else "-",
                 r["user_per_sample"]["median"], r["rep_per_sample"]["median"],
                 r["fixed_insns"]["median"] / 1e6,
                 "%.0f [%.0f..%.0f]" % (r["all_in_per_sample"]["median"],
                                        r["all_in_per_sample"]["min"],
                                        r["all_in_per_sample"]["max"]),
                 r["rx_bytes_per_sample"], r["count_records_per_sample"], r["lost"]))
        p()
        p("The other tools of the same boot (profile.txt's method):")
        for r in res["others"]:
            s = r["insns_per_sample"]
            p("%-13s %6d %8.0f %22s %6s %48s"
              % (r["tool"], r["rate_hz"], r["samples"],
                 "%.0f [%.0f..%.0f]" % (s["median"], s["min"], s["max"]),
                 "%.0f" % r["above_floor"] if r["above_floor"] is not None else "-",
                 "%.2f" % r["rx_bytes_per_sample"] if r["rx_bytes_per_sample"] else "-"))
        p()
        p("Per round (samples short/long, insns/sample, fixed M, samples/cpu/s):")
        for r in res["rows"]:
            for x in r["per_round"]:
                p("  %-13s %6d rep %s  %6d/%-6d %7.0f %7.2f %6.0f"
                  % (r["tool"], r["rate_hz"], x["rep"], x["samples"][0], x["samples"][1],
                     x["per_sample"], x["fixed"] / 1e6, x["per_cpu_s"]))
        p()
        p("Summary against the others, instructions per sample above the floor:")
        p("of the medians, and paired by round (each less its round's floor);")
        p("bytes per sample received, summary / raw adprof:")
        for e in res["compare"]:
            a, o = e["above_floor"]
            line = "  %-13s / %-11s %6d Hz %6.0f / %6.0f = %s" % (
                e["a"], e["o"], e["rate_hz"], a, o,
                "%.2f" % e["of_medians"] if e["of_medians"] is not None else "-")
            if e["paired"]:
                line += "  paired %.2f [%.2f..%.2f]" % (
                    e["paired"]["median"], e["paired"]["min"], e["paired"]["max"])
            if "bytes_ratio" in e:
                line += "  bytes %.2f / %.2f = %.3f" % (
                    e["rx_bytes_per_sample"][0], e["rx_bytes_per_sample"][1], e["bytes_ratio"])
            p(line)
        for e in res.get("by_function", []):
            cols = [t for t in ("sum", "bpftrace", "floor") if t in e["per_sample"]]
            c = e["per_sample"]["sum"]
            top = sorted(c, key=lambda n: -abs(c[n]))[:12]
            p()
            p("%s at %d Hz by function (the plugin's hot blocks, guest kallsyms):"
              % (e["tool"], e["rate_hz"]))
            p("instructions per sample, summary's long run less its short one less the")
            p("bare runs' difference; bpftrace and floor as in profile.json's by_function")
            p("(the workload's window less the bare one, over its samples):")
            p("  %-34s" % "function" + "".join("%10s" % t for t in cols))
            for n in top:
                p("  %-34s" % n[:34] + "".join(
                    "%10.0f" % e["per_sample"][t].get(n, 0) for t in cols))
            own = sum(v for n, v in c.items() if n.endswith("[adprof]"))
            p("  adprof's own functions: %.0f per sample" % own)
        if res["errors"]:
            p()
            p("Errors reported by the guest:")
            for e in res["errors"]:
                p("  " + e)


def fmt(s, f="%.0f"):
    if not s:
        return "-"
    return (f + " [" + f + ".." + f + "]") % (s["median"], s["min"], s["max"])


def mega(s):
    return "%.1f" % (s["median"] / 1e6) if s else "-"


def write_txt(path, res):
    g = res["guest"]
    with open(path, "w") as f:
        p = lambda *a: print(*a, file=f)
        p("adprof profiler benchmark in guest instructions (insn TCG plugin)")
        p("QEMU/TCG, one thread, %s vCPUs; workload spinfix -t 2 %s (fixed work); %s rounds"
          % (g["ncpu"], g["calls"], g["reps"]))
        p("perf: %s; bpftrace: %s; host load at the end: %s"
          % (g["perf"], g["bpftrace"], res["host_load_at_end"]))
        if g.get("cut_short"):
            p("The boot was cut short after %s whole rounds; the runs of the next round" % g["reps"])
            p("that have all their marks are included.")
        p("")
        p("Cost per sample = (instructions during the workload with the tool - without it,")
        p("both corrected for background) / samples the tool took during the workload;")
        p("median [min..max] over rounds. >floor: above the floor's median at that rate.")
        p("user/kernel: the cost's split by address; rep: how much of it are iterations")
        p("of rep-prefixed string instructions (memset, clear_page, copies), which TCG")
        p("counts once per iteration. start/stop: the tool's fixed costs,")
        p("launching it until the workload starts, and from the workload's end until it")
        p("has exited, in millions of instructions (medians, less the bare run's).")
        p("slowdown: wall time of the workload against the bare one of the same round.")
        p("%-10s %6s %7s %21s %6s %5s %6s %5s %7s %7s %19s %9s" % (
            "tool", "rate", "samples", "insns/sample", ">floor", "user", "kernel", "rep",
            "start M", "stop M", "slowdown", "bytes/smp"))
        for r in res["table"]:
            bps = r.get("file_bytes_per_sample")
            if r["tool"].startswith("adprof"):
                bps = "%.1f/%.1f" % (r["wire_bytes_per_sample"], r["file_bytes_per_sample"])
            elif bps is not None:
                bps = "%.2f" % bps
            p("%-10s %6d %7.0f %21s %6s %5.0f %6.0f %5.0f %7s %7s %19s %9s" % (
              r["tool"], r["rate_hz"], r["samples"]["median"], fmt(r["insns_per_sample"]),
              "%.0f" % r["above_floor"] if r["above_floor"] is not None else "-",
              r["user_per_sample"]["median"], r["kernel_per_sample"]["median"],
              r["rep_per_sample"]["median"],
              mega(r["start_insns"]), mega(r["stop_insns"]),
              fmt(r["slowdown"], "%.3f"), bps or "-"))
        p("")
        p("adprof: adprofctl record -F F -o FILE (tmpfs); perf: perf record -a -e cpu-clock -F F;")
        p("bpftrace: profile:hz:F { @[pid, reg(\"ip\")] = count(); }; floor: profile:hz:F { }.")
        p("Samples: adprof's by their times, perf's between the exec of the insnmark")
        p("processes around the workload, bpftrace's and the floor's the BPF program's")
        p("run count (kernel.bpf_stats_enabled, read just outside the workload); the")
        p("%.0f instructions bpf_stats adds to each run are taken out of their costs" % res["bpf_stats_per_run"])
        p("(measured: getppid() under an empty tracepoint program, with and without).")
        p("bytes/smp: adprof netlink/file, perf perf.data, bpftrace its printed map.")
        if any(r["tool"].endswith("-g") for r in res["table"]):
            p("With call stacks (-g rows, 1 kHz, same rounds, bare runs and floor):")
            p("adprof-g: adprofctl record -g (depth 127); perf-g: perf record -a -g")
            p("(frame pointers, perf's default; kernel.perf_event_max_stack 127);")
            p("bpftrace-g: profile:hz:F { @[kstack, ustack] = count(); }.")
        p("")
        gs = [r for r in res["table"] if r.get("stacks")]
        if gs:
            p("What the stacks held (bench/tools/stackstat, samples inside the workload;")
            p("bpftrace's: its whole map): hot = the leaf in bench_spin_hot; chain = of")
            p("those, the user stack going on spin_level3, 2, 1, spin_thread; frames: median")
            p("frames of a sample, pc included; medians over rounds:")
            for r in gs:
                st = r["stacks"]
                p("  %-10s hot %5.1f%%  chain %5.1f%% [%.1f..%.1f] of hot  frames %d"
                  " (hot: %d user)  with kernel frames %4.1f%%%s" % (
                  r["tool"], 100 * st["hot_share"]["median"],
                  100 * st["chain_of_hot"]["median"], 100 * st["chain_of_hot"]["min"],
                  100 * st["chain_of_hot"]["max"], st["frames_p50"], st["hot_user_p50"],
                  100 * st["kernel_share"]["median"],
                  "  stack errors %d" % st["errors"] if st["errors"] else ""))
            p("")
        if res.get("ratios"):
            p("adprof against the others, instructions per sample above the floor:")
            p("of the medians, and paired by round (each run less its round's floor),")
            p("median [min..max]; bytes per sample: adprof's stream (netlink) and file")
            p("against perf.data; norep: the same without rep string iterations:")
            for e in res["ratios"]:
                p("  %-11s / %-10s %6d Hz  %5.0f / %5.0f = %.2f  paired %s  norep %.2f%s" % (
                  e["a"], e["o"], e["rate_hz"], e["above_floor"][0], e["above_floor"][1],
                  e["of_medians"] if e["of_medians"] is not None else float("nan"),
                  fmt(e["paired"], "%.2f"),
                  e["of_medians_norep"] if e["of_medians_norep"] is not None else float("nan"),
                  "  bytes %.1f netlink, %.1f file / %.1f = %.2f" % (
                      e["bytes"][0], e["bytes"][1], e["bytes"][2],
                      e["bytes"][0] / e["bytes"][2]) if "bytes" in e else ""))
            p("")
        p("Per sample and per second: the same extra instructions fitted over the rounds")
        p("as a*samples + b*seconds of workload (TCG's sample rate follows the host's")
        p("load, so work done per tick or poll shows as a per-second cost):")
        p("  %-10s %6s %12s %14s %14s %12s" % ("tool", "rate", "per sample", "M per second",
                                             "rep/sample", "rep M/s"))
        for r in res["table"]:
            ft = r.get("fit")
            if ft:
                p("  %-10s %6d %12.0f %14.2f %14.0f %12.2f" % (
                  r["tool"], r["rate_hz"], ft["per_sample"], ft["per_second"] / 1e6,
                  ft["rep_per_sample"], ft["rep_per_second"] / 1e6))
        p("")
        if res["stop_growth"]:
            p("Stop cost, %d Hz and %s Hz (M insns), and its growth per sample taken, pairing"
              % (1000, g["max_rate_hz"]))
            p("the two rates of each round: the work a tool defers to its exit. Add it to the")
            p("cost while sampling for a per-sample cost that includes it:")
            for d in res["stop_growth"]:
                while_max = [r for r in res["table"] if r["tool"] == d["tool"] and
                             r["rate_hz"] == g["max_rate_hz"]]
                p("  %-8s stop %7s / %7s M   growth %21s insns/sample%s" % (
                  d["tool"], mega(d["stop_1k"]), mega(d["stop_max"]), fmt(d["per_sample"]),
                  "  (all-in at %s Hz: %.0f)" % (g["max_rate_hz"],
                  while_max[0]["insns_per_sample"]["median"] + d["per_sample"]["median"])
                  if while_max else ""))
            p("")
        for r in res["table"]:
            if r["tool"].startswith("bpftrace") and "keys" in r:
                p("bpftrace at %d Hz%s: %.0f keys in its map (cap 65536), the map's counts"
                  " %.2f x the runs inside the window" % (
                  r["rate_hz"], " (stacks)" if r["tool"].endswith("-g") else "",
                  r["keys"], r["map_over_runs"]))
        p("")
        p("Spread: IQR of insns/sample; samples per second of workload and CPU:")
        for r in res["table"]:
            s = r["insns_per_sample"]
            p("  %-10s %6d  IQR %.0f..%.0f  samples/cpu/s %.0f%s%s" % (
              r["tool"], r["rate_hz"], s["q1"], s["q3"], r["samples_per_cpu_s"],
              "  lost %d" % r["lost"] if r["lost"] else "",
              "  FAILED runs %d" % r["failed"] if r["failed"] else ""))
        p("")
        p("Counter check: user instructions between two markers around N turns of a")
        p("2-instruction loop (expected 2N + 2: the mov and one marker):")
        for l in res["counter_check"]:
            p("  %-16s N=%-9d user %-10d (2N%+d)  kernel %d (interrupts meanwhile)" % (
              l["label"], l["turns"], l["user"], l["user_minus_2n"], l["kernel"]))
        u = res["bare_window_user_insns"]
        p("  bare workload: user instructions %d..%d over %d runs"
          % (u["min"], u["max"], u["n"]))
        bg = res["background"]
        p("")
        p("Background: kernel instructions of the bare workload = %.0f + %.0f per ms"
          % (bg["intercept"], bg["per_ms"]))
        p("  (R^2 %.3f over %d runs of %s calls); each segment is corrected by -%.0f/ms."
          % (bg["r2"], bg["n"], "/".join(str(n) for n in bg["lengths"]), bg["per_ms"]))
        p("")
        p("Sweep (one run each; the benchmark's high rate: %s Hz):" % g["max_rate_hz"])
        for e in res["sweep"]:
            p("  %-7s %7d Hz  %-8s %6.0f samples/cpu/s  lost %d gaps %d overruns %d throttle %d" % (
              e["tool"], e["rate_hz"], "lossless" if e["lossless"] else "LOSSY",
              e["per_cpu_s"], e["lost"], e["gaps"], e["overruns"], e["throttle"]))
        for e in res["errors"]:
            p("  error: " + e)


def write_md(path, res):
    g = res["guest"]
    cal = res["calibration"]
    with open(path, "w") as f:
        p = lambda *a: print(*a, file=f)
        p("# Where adprof's cost goes")
        p("")
        p("Written by `bench/profile` (see `bench/profile-report.py`); %s rounds, one boot,"
          % g["reps"])
        p("QEMU/TCG with one thread, 2 vCPUs, `spinfix -t 2 %s`." % g["calls"])
        p("")
        p("Method: guest instructions counted by the insn TCG plugin during the workload")
        p("(insnmark before and after it), corrected for background that grows with")
        p("wall time and less the bare workload's, divided by the samples adprof took")
        p("during the workload (their CLOCK_MONOTONIC times against insnmark's).")
        p("Three configurations, alternating with the others in every round:")
        p("")
        p("- **kernel**: `adprofctl start --detach --max-bufs 1024`, nobody subscribed:")
        p("  the cpu-clock overflow handler writes the per-CPU buffers and the tick")
        p("  rotates them onto the list, where they stay (the stream worker finds no")
        p("  listener). A subscriber takes them after the window, when the session stops.")
        p("- **sink**: the same with `nlsink` subscribed all along, which only recv()s")
        p("  each message into memory touched in advance: adds the stream worker,")
        p("  building and multicasting the messages, and the socket receive.")
        p("- **record**: `adprofctl record -o /tmp/a.data` (tmpfs), the benchmark's own")
        p("  adprof run: adds its receive (one recvfrom() a message into one buffer)")
        p("  and parse, the sequence and pid bookkeeping, `/proc/PID/maps` snapshots")
        p("  and the writes to the file (one writev() a message).")
        p("")
        p("Reading it. The stage medians come from different rounds, whose host load")
        p("set TCG's sample rate, so work done per tick (rotation, allocating the next")
        p("buffer, waking the stream worker and adprofctl) weighs differently per sample")
        p("in each: the fitted columns split every configuration's instructions into a")
        p("per-sample and a per-second part over the rounds, and are the better split.")
        p("In the table by function, the floor's column is the cpu-clock sampling")
        p("interrupt itself (hrtimer, perf core, an empty BPF program), which every tool")
        p("pays; `adprof_prof_sample` and `ktime_get_mono_fast_ns` (with the extra")
        p("`read_hpet`: the guest's clocksource is the HPET) are adprof's own handler;")
        p("`clear_page_erms` is the zeroing of a newly allocated buffer (Debian's kernel")
        p("has init_on_alloc; TCG counts `rep stosb` once per byte): buffers now come")
        p("back to a pool once streamed, so record and sink no longer allocate, but in")
        p("the kernel configuration nobody takes them off the list, so each tick still")
        p("allocates one: its `clear_page_erms` belongs to that configuration, not to a")
        p("session with a reader, and the overflow-handler row is that much too high")
        p("(and sink - kernel that much too low). `copy_user_enhanced_fast_string` and")
        p("`memset_erms` in sink and record are the copies to the socket and to")
        p("adprofctl (one recvfrom a message) and the allocator's zeroing of each")
        p("message; `[user]` is adprofctl's own code. With call stacks, `__orc_find`,")
        p("`unwind_next_frame` and the like are the kernel unwinder (perf runs the same),")
        p("`adprof_fp_walk` the user walk.")
        p("")
        p("Calibrations in the same boot: writing to tmpfs in 4 KiB writes costs %s"
          % ("%.2f insns/byte" % cal["write"]["median"] if cal.get("write") else "?"))
        p("(dd to tmpfs against /dev/null); reading a small /proc/PID/maps (busybox cat)")
        p("costs %s insns (against reading /dev/null)." %
          ("%.0f" % cal["read"]["median"] if cal.get("read") else "?"))
        p("")
        for part in res["breakdown"]:
            k, s, r = part.get("kernel"), part.get("sink"), part.get("adprof")
            if not (k and s and r):
                continue
            rate = part["rate_hz"]
            g = part.get("stacks")
            km, sm, rm = (x["per_sample"]["median"] for x in (k, s, r))
            ku, su, ru = (x["user_per_sample"]["median"] for x in (k, s, r))
            writes = cal["write"]["median"] * r["file_bytes_inside"] / r["inside"] if cal.get("write") else None
            maps = cal["read"]["median"] * r["maps_inside"] / r["inside"] if cal.get("read") else None
            p("## %d Hz per CPU%s" % (rate, ", with call stacks (`-g`)" if g else ""))
            p("")
            p("Samples inside the workload (median): kernel %d, sink %d, record %d;"
              % (k["inside"], s["inside"], r["inside"]))
            p("%.3f records per sample (comm records)." % r["records_per_sample"])
            p("")
            kf, sf, rf = (x["fit"] or {"per_sample": 0, "per_second": 0} for x in (k, s, r))
            p("insns/sample: the medians over rounds; fitted: the same instructions as")
            p("a per-sample part and a per-second part (ticks, polls).")
            p("")
            p("| stage | insns/sample | of it user | fitted per sample | fitted M/s | how |")
            p("| --- | ---: | ---: | ---: | ---: | --- |")
            p("| overflow handler + tick rotation | %.0f | %.0f | %.0f | %.2f | kernel %s |" % (
              km, ku, kf["per_sample"], kf["per_second"] / 1e6, fmt(k["per_sample"])))
            # Nobody reads the kernel configuration's buffers back, so
            # its ticks allocate (and zero) buffers a reader's would not.
            zk = [bf for bf in res["by_function"] if bf["rate_hz"] == rate and
                  bool(bf.get("stacks")) == bool(g) and "kernel" in bf["per_sample"] and
                  "sink" in bf["per_sample"]]
            if zk:
                z = (zk[0]["per_sample"]["kernel"].get("clear_page_erms", 0) -
                     zk[0]["per_sample"]["sink"].get("clear_page_erms", 0))
                p("| of it: zeroing buffers no reader gave back (`clear_page_erms`, kernel - sink) | ~%.0f | | | | so with a reader: ~%.0f, and the next stage ~%.0f |"
                  % (z, km - z, sm - km + z))
            p("| stream worker, netlink send, socket receive | %.0f | %.0f | %.0f | %.2f | sink - kernel (sink %s) |"
              % (sm - km, su - ku, sf["per_sample"] - kf["per_sample"],
                 (sf["per_second"] - kf["per_second"]) / 1e6, fmt(s["per_sample"])))
            p("| `adprofctl record` | %.0f | %.0f | %.0f | %.2f | record - sink (record %s) |"
              % (rm - sm, ru - su, rf["per_sample"] - sf["per_sample"],
                 (rf["per_second"] - sf["per_second"]) / 1e6, fmt(r["per_sample"])))
            if writes is not None:
                p("| of it: file writes (tmpfs) | ~%.0f | | | | %.0f bytes written in the window x %.2f insns/byte |"
                  % (writes, r["file_bytes_inside"], cal["write"]["median"]))
            if maps is not None:
                p("| of it: /proc/PID/maps reads | ~%.0f | | | | %.1f reads in the window x %.0f insns |"
                  % (maps, r["maps_inside"], cal["read"]["median"]))
            if writes is not None and maps is not None:
                p("| of it: the rest (receive loop, libnl, bookkeeping) | ~%.0f | | | | |"
                  % (rm - sm - writes - maps))
            p("| total during the workload | %.0f | %.0f | %.0f | %.2f | |" % (
              rm, ru, rf["per_sample"], rf["per_second"] / 1e6))
            t = part.get("tick")
            if t:
                p("| record rotating every 100 ms tick (`prof_latency_ms=100`) | %.0f | %.0f | | | %s; %.1f samples a message (1 s latency: %.1f) |"
                  % (t["per_sample"]["median"], t["user_per_sample"]["median"],
                     fmt(t["per_sample"]), 1 / t["msgs_per_sample"],
                     1 / r["msgs_per_sample"]))
                p("| what the 1 s latency saves: work per message at 100 ms | ~%.0f | | | | record at 100 ms - record |"
                  % (t["per_sample"]["median"] - rm))
            p("")
            p("After the workload, stopping (the last batches, the maps of every process")
            p("seen, closing the file) costs %.1f M instructions once." % (r["stop_insns"]["median"] / 1e6))
            p("")
            for bf in res["by_function"]:
                if bf["rate_hz"] != rate or bool(bf.get("stacks")) != bool(g):
                    continue
                cols = [t for t in ("floor", "kernel", "sink", "adprof", "perf", "bpftrace")
                        if t in bf["per_sample"]]
                if not cols:
                    continue
                names = set()
                for t in ("kernel", "sink", "adprof"):
                    if t in bf["per_sample"]:
                        top = sorted(bf["per_sample"][t].items(), key=lambda x: -x[1])[:14]
                        names |= {n for n, v in top if v >= 10}
                names = sorted(names, key=lambda n: -bf["per_sample"].get("adprof", {}).get(n, 0))
                sb = res.get("symbols_borrowed")
                if sb:
                    p("(This boot printed no symbols: names from %s's, shifted by %s for" % (sb["from"], sb["kaslr_shift"]))
                    p("KASLR; adprof's own from kernel/adprof.ko, loaded at %s.)" % sb["module_base"])
                    p("")
                p("By function (hot blocks of the plugin, instructions per sample above the")
                p("bare workload's, median over rounds; columns: the floor, the three")
                p("configurations, and perf and bpftrace for comparison):")
                p("")
                p("| function | " + " | ".join((c if c != "adprof" else "record") +
                                             (" -g" if g and c != "floor" else "") for c in cols) + " |")
                p("| --- |" + " ---: |" * len(cols))
                for n in names:
                    p("| `%s` | " % n + " | ".join("%.0f" % bf["per_sample"][c].get(n, 0) for c in cols) + " |")
                p("| all of them | " + " | ".join("%.0f" % sum(bf["per_sample"][c].get(n, 0) for n in names)
                                                 for c in cols) + " |")
                p("| everything | " + " | ".join("%.0f" % sum(bf["per_sample"][c].values()) for c in cols) + " |")
                p("")
            if "syscalls_per_msg" in part:
                p("`perf stat` of the syscalls of one `adprofctl record` (children included),")
                p("per SAMPLES message: %s (%d messages)." % (
                  ", ".join("%s %.2f" % kv for kv in sorted(part["syscalls_per_msg"].items())),
                  part["syscalls_run"]["msgs"]))
                p("")


if __name__ == "__main__":
    main()
