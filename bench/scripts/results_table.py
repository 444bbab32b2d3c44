#!/usr/bin/env python3
"""Prints JMH JSON results (one or more files) as the Markdown table docs/benchmarks.md uses:
benchmark, parameters, threads, score ± 99.9 % half-width, B/op from -prof gc (– when not profiled).
Usage: bench/scripts/results_table.py bench/results/results-t1.json [bench/results/results-t2.json]"""
import json
import sys


def rate(ops):
    if ops >= 1e6:
        return f"{ops / 1e6:.2f}", 1e6, "M/s"
    if ops >= 1e3:
        return f"{ops / 1e3:.1f}", 1e3, "k/s"
    return f"{ops:.0f}", 1, "/s"


def main(paths):
    print("| benchmark | parameters | threads | score (± 99.9 % CI) | B/op (gc) |")
    print("|---|---|---|---|---|")
    for path in paths:
        with open(path) as f:
            for r in json.load(f):
                name = ".".join(r["benchmark"].split(".")[-2:])
                params = ", ".join(f"{k}={v}" for k, v in sorted((r.get("params") or {}).items()))
                pm = r["primaryMetric"]
                score, scale, unit = rate(pm["score"])
                err = pm["scoreError"]
                err_text = "–" if err != err else (f"{err / scale:.2f}" if scale > 1 else f"{err:.0f}")
                gc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
                b_op = f"{gc['score']:.1f}" if gc else "–"
                print(f"| {name} | {params} | {r['threads']} | {score} ± {err_text} {unit} | {b_op} |")


if __name__ == "__main__":
    main(sys.argv[1:])
