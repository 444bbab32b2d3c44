#!/usr/bin/env python3
"""Markdown tables from JMH JSON (-rf json): every benchmark with its score, 99.9% error and allocation.

usage: python3 bench/scripts/table.py results-t1.json [results-t2.json ...]
"""
import json
import sys


def fmt_rate(score, err, unit):
    if unit == "ops/s" and score >= 1e6:
        return f"{score/1e6:.2f} ± {err/1e6:.2f} M/s"
    if unit == "ops/s" and score >= 1e3:
        return f"{score/1e3:.1f} ± {err/1e3:.1f} k/s"
    return f"{score:.1f} ± {err:.1f} {unit}"


def main():
    print("| benchmark | parameters | threads | score (± 99.9 % CI) | B/op (gc) |")
    print("|---|---|---|---|---|")
    for path in sys.argv[1:]:
        for r in json.load(open(path)):
            name = r["benchmark"].rsplit(".", 2)
            params = ", ".join(f"{k}={v}" for k, v in r.get("params", {}).items())
            m = r["primaryMetric"]
            err = m.get("scoreError")
            err = 0.0 if not isinstance(err, (int, float)) or err != err else err
            alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
            alloc = f'{alloc["score"]:.1f}' if alloc else "–"
            print(f'| {name[-2]}.{name[-1]} | {params} | {r.get("threads", 1)} | {fmt_rate(m["score"], err, m["scoreUnit"])} | {alloc} |')


if __name__ == "__main__":
    main()
