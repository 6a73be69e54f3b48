#!/usr/bin/env python3
"""bench/scale/scale.py — EdgeTwin scale benchmark: scenario generator and driver (stdlib only).

  scale.py generate N [--duration 1h] [-o FILE]
      Writes a scenario with N devices in "districts" of 5000 devices, each district made of
      three sites: a LoRaWAN site (2500 water meters, 4 gateways on an 800 m grid, EU868, 14 dBm,
      fastest SF that reaches, radius 350 m), a cellular site (1500 NB-IoT gas meters, one eNB,
      PSM) and a plant (1000 machine sensors on Wi-Fi, one edge gateway). A last, partial
      district takes the remainder in the same proportions (50 % LoRa, 30 % NB-IoT, 20 % machines).
      Traffic: LoRa meters every 30 min, NB-IoT meters every hour, machines every 266.667 s, so a
      device sends 4.0 messages per hour on average. One gateway per ~833 devices, each with its
      own 100 Mbit/s 10 ms backhaul to the load balancer (round-robin); brokers = max(2, ceil(N/100k));
      one cloud node with max(4, ceil(N/50k)) cores running one "ingest" service subscribed to "#":
      every message goes radio -> gateway -> backhaul -> LB -> broker -> cloud. Network model CM02.

  scale.py run [--sizes 10000,100000,1000000] [--repeat 1] [--timeout 600] [--out DIR]
               [--edgetwin PATH] [--baseline PATH] [--no-startup] [--no-baseline]
      For each N: generates the scenario, runs `edgetwin run --quiet` for a start-up probe
      (duration 1 s) and for one simulated hour under /usr/bin/time -v, then
      bench_simgrid_baseline with the same devices, gateways, brokers and rate, and prints the
      comparison table (also written to DIR/results.json and DIR/table.md).
"""
import argparse
import json
import math
import os
import re
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

DISTRICT = 5000
SHARE = {"lora": 0.5, "cell": 0.3, "plant": 0.2}
PERIOD_S = {"lora": 1800.0, "cell": 3600.0}
RATE_PER_HOUR = 4.0
# machines: (4 - 0.5*2 - 0.3*1) / 0.2 = 13.5 messages per hour
PERIOD_S["plant"] = 3600.0 / ((RATE_PER_HOUR - SHARE["lora"] * 2 - SHARE["cell"] * 1) / SHARE["plant"])


def brokers_for(n):
    return max(2, math.ceil(n / 100000))


def cloud_cores_for(n):
    return max(4, math.ceil(n / 50000))


def split(n):
    """Devices per district and kind: full districts of 5000 and one partial district."""
    out = []
    left = n
    while left > 0:
        d = min(DISTRICT, left)
        lora = round(d * SHARE["lora"])
        cell = round(d * SHARE["cell"])
        plant = d - lora - cell
        out.append({"lora": lora, "cell": cell, "plant": plant})
        left -= d
    return out


def gw(name, **extra):
    g = {"name": name, "cpu": "1Gf", "cores": 2, "cost_per_message": "300kf"}
    g.update(extra)
    return g


def generate(n, duration="1h", seed=1):
    sites, links, traffic = [], [], []
    gateways = 0
    for i, d in enumerate(split(n)):
        tag = "d%04d" % i
        if d["lora"]:
            site = tag + "-lora"
            names = ["gw-nw", "gw-ne", "gw-sw", "gw-se"]
            xy = [("-400m", "400m"), ("400m", "400m"), ("-400m", "-400m"), ("400m", "-400m")]
            sites.append({
                "name": site,
                "lora": {"region": "EU868"},
                "gateways": [gw(nm, x=x, y=y) for nm, (x, y) in zip(names, xy)],
                "device_groups": [{
                    "name": "water-meters", "count": d["lora"], "gateways": names,
                    "access": {"model": "lora", "sf_assignment": "smallest", "radius": "350m",
                               "tx_power": "14dBm"}}]})
            traffic.append({"group": site + "/water-meters", "pattern": "periodic", "period": "30min",
                            "jitter": "1min", "payload": "20B"})
            for nm in names:
                links.append({"name": "bh-%s-%s" % (site, nm), "between": ["%s/%s" % (site, nm), "lb"],
                              "bandwidth": "100Mbps", "latency": "10ms"})
            gateways += 4
        if d["cell"]:
            site = tag + "-cell"
            sites.append({
                "name": site,
                "gateways": [gw("enb")],
                "device_groups": [{
                    "name": "gas-meters", "count": d["cell"], "gateways": ["enb"],
                    "access": {"model": "cellular", "technology": "nb-iot", "mcl": 140,
                               "power_saving": "psm"}}]})
            traffic.append({"group": site + "/gas-meters", "pattern": "periodic", "period": "1h",
                            "jitter": "5min", "payload": "50B"})
            links.append({"name": "bh-%s-enb" % site, "between": ["%s/enb" % site, "lb"],
                          "bandwidth": "100Mbps", "latency": "10ms"})
            gateways += 1
        if d["plant"]:
            site = tag + "-plant"
            sites.append({
                "name": site,
                "gateways": [gw("edge")],
                "device_groups": [{
                    "name": "machines", "count": d["plant"], "gateways": ["edge"],
                    "access": {"model": "short-range", "technology": "wifi"}}]})
            traffic.append({"group": site + "/machines", "pattern": "periodic",
                            "period": "%dms" % round(PERIOD_S["plant"] * 1000), "jitter": "5s",
                            "payload": "64B"})
            links.append({"name": "bh-%s-edge" % site, "between": ["%s/edge" % site, "lb"],
                          "bandwidth": "100Mbps", "latency": "10ms"})
            gateways += 1
    links.append({"name": "cluster", "between": ["lb", "brokers"], "bandwidth": "10Gbps", "latency": "200us"})
    links.append({"name": "cloud", "between": ["brokers", "cloud/k8s-1"], "bandwidth": "10Gbps", "latency": "1ms"})
    sc = {
        "name": "scale-%d" % n,
        "description": "bench/scale: %d devices (50%% LoRa water meters, 30%% NB-IoT gas meters, 20%% Wi-Fi "
                       "machine sensors), 4 messages per device per hour, every message radio -> gateway -> "
                       "LB -> broker -> cloud ingest. Generated by bench/scale/scale.py." % n,
        "seed": seed,
        "duration": duration,
        "warmup": "0s",
        "engine": {"network_model": "CM02"},
        "platform": {
            "sites": sites,
            "links": links,
            "load_balancer": {"cpu": "4Gf", "cores": 2, "cost_per_message": "20kf", "policy": "round-robin"},
            "brokers": {"count": brokers_for(n), "cpu": "2Gf", "cores": 1, "cost_per_publish": "60kf",
                        "cost_per_delivery": "30kf"},
            "cloud": {"nodes": [{"name": "k8s-1", "cpu": "2Gf", "cores": cloud_cores_for(n)}]},
        },
        "workload": {
            "traffic": traffic,
            "services": [{"name": "ingest", "node": "cloud/k8s-1", "subscribe": ["#"],
                          "cost_per_message": "200kf"}],
        },
        "outputs": {"interval": "5min"},
    }
    return sc, gateways


# ---------------------------------------------------------------------------------------------
def time_v(cmd, timeout):
    """Runs cmd under /usr/bin/time -v; returns (rc, stdout, stderr, max_rss_kib, elapsed_s)."""
    t0 = time.monotonic()
    # Own process group, so a timeout ends the measured program too (not only /usr/bin/time).
    p = subprocess.Popen(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return (-9, "", "", None, time.monotonic() - t0, None)
    elapsed = time.monotonic() - t0
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([0-9.]+)", err))
    return rc, out, err, int(m.group(1)) if m else None, elapsed, cpu


def run_edgetwin(exe, scen, out, timeout):
    rc, _, err, rss, elapsed, cpu = time_v([exe, "run", scen, "--quiet", "--out", out], timeout)
    r = {"rc": rc, "elapsed_s": elapsed, "max_rss_kib": rss, "cpu_s": cpu}
    if rc not in (0, 1):
        r["error"] = err[-2000:]
        return r
    with open(os.path.join(out, "manifest.json")) as f:
        man = json.load(f)
    with open(os.path.join(out, "summary.json")) as f:
        summ = json.load(f)
    t = summ["totals"]
    r.update({"wall_s": man["wall_time_s"], "events": man["events"], "peak_rss_kib": man["peak_rss_kib"],
              "simulated_end": man["simulated_end"], "partial": man["partial"],
              "sent": t.get("sent"), "delivered": t.get("delivered"), "lost": t.get("lost")})
    return r


def run_baseline(exe, n, gateways, timeout, extra=()):
    cmd = [exe, "--devices", str(n), "--gateways", str(gateways), "--brokers", str(brokers_for(n)),
           "--cloud-cores", str(cloud_cores_for(n)), "--rate", str(RATE_PER_HOUR), "--duration", "3600"] + list(extra)
    rc, out, err, rss, elapsed, cpu = time_v(cmd, timeout)
    r = {"rc": rc, "elapsed_s": elapsed, "max_rss_kib": rss, "cpu_s": cpu, "cmd": " ".join(cmd)}
    m = re.search(r"^baseline (.*)$", out, re.M)
    if rc != 0 or not m:
        r["error"] = (err or "")[-2000:]
        return r
    for kv in m.group(1).split():
        k, v = kv.split("=", 1)
        r[k] = float(v)
    return r


def fit(xs, ys):
    """Least-squares slope and intercept."""
    n = len(xs)
    if n < 2:
        return None, None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None, None
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return b, my - b * mx


def fmt(v, f="%.1f"):
    return "-" if v is None else f % v


def table(rows):
    hdr = ("| N | sent | delivered | start-up s | wall s | CPU s | events | events/s | msgs/s | sim/wall "
           "| peak RSS MiB | B/device | µs/msg | base wall s | base CPU s | base msgs/s | base RSS MiB "
           "| base µs/msg | ratio wall | ratio CPU | A-base CPU s | A-ratio CPU | load avg |")
    lines = [hdr, "|" + "---|" * (hdr.count("|") - 1)]
    for r in rows:
        e, b, s = r.get("edgetwin", {}), r.get("baseline", {}), r.get("startup", {})
        wall = e.get("wall_s")
        msgs = e.get("delivered")
        rss = e.get("max_rss_kib") or e.get("peak_rss_kib")
        us = wall / msgs * 1e6 if wall and msgs else None
        bus = b["wall_s"] / b["delivered"] * 1e6 if b.get("delivered") else None
        ucpu = e["cpu_s"] / msgs * 1e6 if e.get("cpu_s") and msgs else None
        bcpu = b["cpu_s"] / b["delivered"] * 1e6 if b.get("cpu_s") and b.get("delivered") else None
        a = r.get("baseline_analytic", {})
        acpu = a["cpu_s"] / a["delivered"] * 1e6 if a.get("cpu_s") and a.get("delivered") else None
        load = r.get("loadavg")
        lines.append("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["n"], fmt(e.get("sent"), "%d"), fmt(msgs, "%d"), fmt(s.get("wall_s"), "%.2f"),
            fmt(wall, "%.1f") + ("" if e.get("rc") in (0, 1) else " (rc %s)" % e.get("rc")),
            fmt(e.get("cpu_s"), "%.1f"),
            fmt(e.get("events"), "%d"), fmt(e["events"] / wall if wall else None, "%.0f"),
            fmt(msgs / wall if wall and msgs else None, "%.0f"),
            fmt(e.get("simulated_end", 0) / wall if wall else None, "%.0f"),
            fmt(rss / 1024 if rss else None, "%.0f"), fmt(rss * 1024 / r["n"] if rss else None, "%.0f"),
            fmt(us, "%.2f"), fmt(b.get("wall_s"), "%.1f"), fmt(b.get("cpu_s"), "%.1f"),
            fmt(b.get("msgs_per_wall_s"), "%.0f"),
            fmt(b["max_rss_kib"] / 1024 if b.get("max_rss_kib") else None, "%.0f"), fmt(bus, "%.2f"),
            fmt(us / bus if us and bus else None, "%.2f"), fmt(ucpu / bcpu if ucpu and bcpu else None, "%.2f"),
            fmt(a.get("cpu_s"), "%.1f"), fmt(ucpu / acpu if ucpu and acpu else None, "%.2f"),
            "-" if not load else "%.1f-%.1f" % (min(load), max(load))))
    ok = [r for r in rows if r.get("edgetwin", {}).get("wall_s")]
    if len(ok) >= 2:
        slope, icpt = fit([r["n"] for r in ok], [r["edgetwin"]["wall_s"] for r in ok])
        rs, ri = fit([r["n"] for r in ok], [(r["edgetwin"].get("max_rss_kib") or 0) * 1024 for r in ok])
        lines.append("")
        lines.append("EdgeTwin slope (least squares over the points): wall = %.3g s + %.3g µs x N "
                     "(%.1f s per 100 k devices); peak RSS = %.0f MiB + %.0f B x N" %
                     (icpt, slope * 1e6, slope * 1e5, ri / 2 ** 20, rs))
        okc = [r for r in ok if r["edgetwin"].get("cpu_s") and r["edgetwin"].get("delivered")]
        if len(okc) >= 2:
            cs, ci = fit([r["n"] for r in okc], [r["edgetwin"]["cpu_s"] for r in okc])
            lines.append("EdgeTwin CPU slope: CPU = %.3g s + %.3g µs x N; CPU per delivered message: %s µs" %
                         (ci, cs * 1e6, ", ".join("%.1f (N=%d)" % (r["edgetwin"]["cpu_s"] / r["edgetwin"]["delivered"] * 1e6,
                                                               r["n"]) for r in okc)))
    oka = [r for r in rows if r.get("baseline_analytic", {}).get("cpu_s") and r["baseline_analytic"].get("delivered")]
    if len(oka) >= 2:
        cs, ci = fit([r["n"] for r in oka], [r["baseline_analytic"]["cpu_s"] for r in oka])
        lines.append("Baseline --analytic-stages CPU slope: CPU = %.3g s + %.3g µs x N; CPU per message: %s µs" %
                     (ci, cs * 1e6, ", ".join("%.1f (N=%d)" % (r["baseline_analytic"]["cpu_s"] /
                                                                r["baseline_analytic"]["delivered"] * 1e6, r["n"])
                                              for r in oka)))
    okb = [r for r in rows if r.get("baseline", {}).get("wall_s")]
    if len(okb) >= 2:
        slope, icpt = fit([r["n"] for r in okb], [r["baseline"]["wall_s"] for r in okb])
        rs, ri = fit([r["n"] for r in okb], [(r["baseline"].get("max_rss_kib") or 0) * 1024 for r in okb])
        lines.append("Baseline slope: wall = %.3g s + %.3g µs x N; peak RSS = %.0f MiB + %.0f B x N" %
                     (icpt, slope * 1e6, ri / 2 ** 20, rs))
        okc = [r for r in okb if r["baseline"].get("cpu_s") and r["baseline"].get("delivered")]
        if len(okc) >= 2:
            cs, ci = fit([r["n"] for r in okc], [r["baseline"]["cpu_s"] for r in okc])
            lines.append("Baseline CPU slope: CPU = %.3g s + %.3g µs x N; CPU per message: %s µs" %
                         (ci, cs * 1e6, ", ".join("%.1f (N=%d)" % (r["baseline"]["cpu_s"] / r["baseline"]["delivered"] * 1e6,
                                                               r["n"]) for r in okc)))
    return "\n".join(lines)


def cmd_run(a):
    exe = a.edgetwin or os.path.join(ROOT, "build-scale", "sim", "edgetwin")
    base = a.baseline or os.path.join(ROOT, "build-scale", "bench", "bench_simgrid_baseline")
    os.makedirs(a.out, exist_ok=True)
    rows = []
    for n in [int(x) for x in a.sizes.split(",")]:
        for rep in range(a.repeat):
            row = {"n": n, "rep": rep, "loadavg": [os.getloadavg()[0]]}  # 1-min load average before and after
            sc, gws = generate(n)
            row["gateways"] = gws
            scen = os.path.join(a.out, "scale-%d.json" % n)
            with open(scen, "w") as f:
                json.dump(sc, f, indent=1)
            if not a.no_startup:
                sc1, _ = generate(n, duration="1s")
                scen1 = os.path.join(a.out, "scale-%d-startup.json" % n)
                with open(scen1, "w") as f:
                    json.dump(sc1, f, indent=1)
                row["startup"] = run_edgetwin(exe, scen1, os.path.join(a.out, "run-%d-startup" % n), a.timeout)
                print("N=%d start-up: %s" % (n, json.dumps(row["startup"])), file=sys.stderr, flush=True)
            row["edgetwin"] = run_edgetwin(exe, scen, os.path.join(a.out, "run-%d" % n), a.timeout)
            print("N=%d edgetwin: %s" % (n, json.dumps(row["edgetwin"])), file=sys.stderr, flush=True)
            if not a.no_baseline:
                row["baseline"] = run_baseline(base, n, gws, a.timeout)
                print("N=%d baseline: %s" % (n, json.dumps(row["baseline"])), file=sys.stderr, flush=True)
                # Like for like: EdgeTwin computes a stage alone on its host as a c-server queue
                # without SimGrid executions; the baseline's --analytic-stages does the same.
                row["baseline_analytic"] = run_baseline(base, n, gws, a.timeout, ["--analytic-stages"])
                print("N=%d baseline --analytic-stages: %s" % (n, json.dumps(row["baseline_analytic"])),
                      file=sys.stderr, flush=True)
            row["loadavg"].append(os.getloadavg()[0])
            rows.append(row)
            with open(os.path.join(a.out, "results.json"), "w") as f:
                json.dump(rows, f, indent=1)
    t = table(rows)
    print(t)
    with open(os.path.join(a.out, "table.md"), "w") as f:
        f.write(t + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("n", type=int)
    g.add_argument("--duration", default="1h")
    g.add_argument("-o", "--output")
    r = sub.add_parser("run")
    r.add_argument("--sizes", default="10000,100000,1000000")
    r.add_argument("--repeat", type=int, default=1)
    r.add_argument("--timeout", type=int, default=600)
    r.add_argument("--out", default=os.path.join(ROOT, "results", "scale"))
    r.add_argument("--edgetwin")
    r.add_argument("--baseline")
    r.add_argument("--no-startup", action="store_true")
    r.add_argument("--no-baseline", action="store_true")
    t = sub.add_parser("table", help="reprint the table from a results.json")
    t.add_argument("results")
    a = ap.parse_args()
    if a.cmd == "generate":
        sc, gws = generate(a.n, a.duration)
        text = json.dumps(sc, indent=1)
        if a.output:
            with open(a.output, "w") as f:
                f.write(text + "\n")
            print("%s: %d devices, %d gateways, %d brokers" % (a.output, a.n, gws, brokers_for(a.n)), file=sys.stderr)
        else:
            print(text)
    elif a.cmd == "run":
        cmd_run(a)
    else:
        with open(a.results) as f:
            print(table(json.load(f)))


if __name__ == "__main__":
    main()
