#!/usr/bin/env python3
"""Mpps against concurrent flows, from JMH's JSON output (-rf json), as an SVG (stdlib only).

usage: python3 bench/scripts/plot_mpps.py results.json docs/benchmarks-mpps.svg

Two panels (uniform and Zipf flow choice); one line per protocol and direction of
EstablishedTranslationBench at one thread, with the score error as bars; the HashMap
baseline (UDP) in grey and the raw-rewrite floor (UDP outbound) as a dotted level.
"""
import json
import math
import sys
from xml.sax.saxutils import escape

COLORS = {"UDP": "#1f77b4", "TCP": "#d62728", "ICMP": "#2ca02c"}
DASH = {"OUTBOUND": "", "INBOUND": "6,4"}


def load(path):
    with open(path) as f:
        return json.load(f)


def short(name):
    return name.rsplit(".", 2)[-2]


def series(results):
    est, hashmap, raw = {}, {}, None
    for r in results:
        b, p, m = short(r["benchmark"]), r.get("params", {}), r["primaryMetric"]
        if r.get("threads", 1) != 1:
            continue
        mpps, err = m["score"] / 1e6, (m.get("scoreError") or 0) / 1e6
        if isinstance(m.get("scoreError"), str) or math.isnan(err):
            err = 0
        if b == "EstablishedTranslationBench":
            est.setdefault((p["choice"], p["proto"], p["direction"]), []).append((int(p["flows"]), mpps, err))
        elif b == "HashMapConntrackBaseline":
            hashmap.setdefault(p["direction"], []).append((int(p["flows"]), mpps, err))
        elif b == "RawRewriteBaseline" and p.get("proto") == "UDP" and p.get("direction") == "OUTBOUND":
            raw = mpps
    return est, hashmap, raw


def main():
    results = load(sys.argv[1])
    out = sys.argv[2]
    est, hashmap, raw = series(results)
    ymax = max([v for pts in est.values() for _, v, e in pts] + [v for pts in hashmap.values() for _, v, _ in pts]
               + ([raw] if raw else []) + [1])
    ymax = math.ceil(ymax * 1.1 / 5) * 5
    W, H, panel_w, top, left, ph = 1180, 430, 400, 50, 70, 330
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{W/2}" y="22" text-anchor="middle" font-size="15">vnetlab fast path: established-flow NAT '
           f'translation, 1 thread (Mpps, 60-byte frames)</text>']
    flows_ticks = [1000, 64000, 1000000]
    lx0, lx1 = math.log10(700), math.log10(1.5e6)

    def x(px0, flows):
        return px0 + (math.log10(flows) - lx0) / (lx1 - lx0) * panel_w

    def y(v):
        return top + ph - v / ymax * ph

    for i, choice in enumerate(["UNIFORM", "ZIPF"]):
        px0 = left + i * (panel_w + 110)
        svg.append(f'<text x="{px0 + panel_w/2}" y="{top - 8}" text-anchor="middle" font-weight="bold">'
                   f'{"uniform" if choice == "UNIFORM" else "Zipf (s = 0.99)"} flow choice</text>')
        svg.append(f'<rect x="{px0}" y="{top}" width="{panel_w}" height="{ph}" fill="none" stroke="#444"/>')
        step = 5 if ymax <= 50 else 10
        for v in range(0, int(ymax) + 1, step):
            svg.append(f'<line x1="{px0}" x2="{px0 + panel_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>')
            svg.append(f'<text x="{px0 - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v}</text>')
        for f in flows_ticks:
            svg.append(f'<line x1="{x(px0, f):.1f}" x2="{x(px0, f):.1f}" y1="{top}" y2="{top + ph}" stroke="#eee"/>')
            label = {1000: "1 k", 64000: "64 k", 1000000: "1 M"}[f]
            svg.append(f'<text x="{x(px0, f):.1f}" y="{top + ph + 16}" text-anchor="middle">{label}</text>')
        svg.append(f'<text x="{px0 + panel_w/2}" y="{top + ph + 34}" text-anchor="middle">concurrent flows (log scale)</text>')
        svg.append(f'<text transform="translate({px0 - 40},{top + ph/2}) rotate(-90)" text-anchor="middle">Mpps</text>')
        if raw:
            svg.append(f'<line x1="{px0}" x2="{px0 + panel_w}" y1="{y(raw):.1f}" y2="{y(raw):.1f}" stroke="#888" '
                       f'stroke-dasharray="2,3"/>')
            svg.append(f'<text x="{px0 + panel_w - 4}" y="{y(raw) - 4:.1f}" text-anchor="end" fill="#666">'
                       f'raw rewrite floor (UDP out) {raw:.1f}</text>')
        lines = [((p, d), pts) for (c, p, d), pts in est.items() if c == choice]
        if choice == "UNIFORM":
            lines += [(("HashMap", d), pts) for d, pts in hashmap.items()]
        for (p, d), pts in sorted(lines):
            pts = sorted(pts)
            color = COLORS.get(p, "#999")
            path = " ".join(f'{"M" if k == 0 else "L"}{x(px0, f):.1f},{y(v):.1f}' for k, (f, v, _) in enumerate(pts))
            svg.append(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2" stroke-dasharray="{DASH[d]}"/>')
            for f, v, e in pts:
                cx = x(px0, f)
                if e > 0:
                    svg.append(f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y(v - e):.1f}" y2="{y(v + e):.1f}" stroke="{color}"/>')
                    for yy in (v - e, v + e):
                        svg.append(f'<line x1="{cx - 4:.1f}" x2="{cx + 4:.1f}" y1="{y(yy):.1f}" y2="{y(yy):.1f}" stroke="{color}"/>')
                svg.append(f'<circle cx="{cx:.1f}" cy="{y(v):.1f}" r="3" fill="{color}"/>')
    ly = top + 14
    lx = left + 2 * panel_w + 120
    for p in ["UDP", "TCP", "ICMP", "HashMap"]:
        for d in ["OUTBOUND", "INBOUND"]:
            if p == "HashMap" and not hashmap:
                continue
            name = f'{p if p != "HashMap" else "HashMap baseline (UDP)"} {"out (SNAT)" if d == "OUTBOUND" else "in (de-NAT)"}'
            svg.append(f'<line x1="{lx}" x2="{lx + 24}" y1="{ly}" y2="{ly}" stroke="{COLORS.get(p, "#999")}" stroke-width="2" '
                       f'stroke-dasharray="{DASH[d]}"/>')
            svg.append(f'<text x="{lx + 30}" y="{ly + 4}" font-size="11">{escape(name)}</text>')
            ly += 18
    svg.append("</svg>")
    with open(out, "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
