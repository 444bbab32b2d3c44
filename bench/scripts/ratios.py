#!/usr/bin/env python3
"""The ratios docs/benchmarks.md reports, from JMH JSON: fast path against each baseline and the targets.

usage: python3 bench/scripts/ratios.py results-t1.json results-t2.json
"""
import json
import sys


def load(paths):
    out = []
    for p in paths:
        out += json.load(open(p))
    return out


def pick(rs, bench, threads=1, **params):
    for r in rs:
        if r["benchmark"].endswith("." + bench) and r.get("threads", 1) == threads \
                and all(str(r["params"].get(k)) == str(v) for k, v in params.items()):
            return r["primaryMetric"]["score"]
    return None


def main():
    rs = load(sys.argv[1:])
    E = "EstablishedTranslationBench.translate"
    print("| comparison | ratio |")
    print("|---|---|")
    for proto in ["UDP", "TCP", "ICMP"]:
        for d in ["OUTBOUND", "INBOUND"]:
            f = pick(rs, E, flows=64000, proto=proto, direction=d, choice="UNIFORM")
            raw = pick(rs, "RawRewriteBaseline.rewrite", proto=proto, direction=d)
            if f and raw:
                print(f"| raw floor / fast path, {proto} {d.lower()}, 64 k uniform | {raw / f:.2f} |")
    f = pick(rs, E, flows=64000, proto="UDP", direction="OUTBOUND", choice="UNIFORM")
    p = pick(rs, "Pcap4jBaseline.rebuild")
    if f and p:
        print(f"| fast path / pcap4j rebuild, UDP outbound, 64 k | {f / p:.0f} |")
    for flows in [1000, 64000, 1000000]:
        for d in ["OUTBOUND", "INBOUND"]:
            f = pick(rs, E, flows=flows, proto="UDP", direction=d, choice="UNIFORM")
            h = pick(rs, "HashMapConntrackBaseline.translate", flows=flows, direction=d)
            if f and h:
                print(f"| fast path / HashMap conntrack, UDP {d.lower()}, {flows} flows | {f / h:.2f} |")
    for flows in [64000, 1000000]:
        one = pick(rs, E, flows=flows, proto="UDP", direction="OUTBOUND", choice="UNIFORM")
        two = pick(rs, E, threads=2, flows=flows, proto="UDP", direction="OUTBOUND", choice="UNIFORM")
        if one and two:
            print(f"| 2 threads / 1 thread, UDP outbound, {flows} flows | {two / one:.2f} |")
    hooks = pick(rs, "FullPathBench.forward", path="HOOKS")
    off = pick(rs, "FullPathBench.forward", path="HOOKS_OFFLOAD")
    if hooks and off:
        print(f"| full path with fast path / without (PathRunner variant) | {off / hooks:.0f} |")


if __name__ == "__main__":
    main()
