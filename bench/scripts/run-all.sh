#!/usr/bin/env bash
# The full benchmark run behind docs/benchmarks.md: builds the jar, runs every benchmark at one thread,
# the established path again at two threads, the capacity measurement, and draws the plot.
# Usage: bench/scripts/run-all.sh [out-dir]   (default bench/results; takes ~20 min on 2 quiet cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-bench/results}
mkdir -p "$out"
mvn -B -q -o package -pl bench -am -DskipTests
{ uptime; nproc; grep -m1 'model name' /proc/cpuinfo; java -version 2>&1; } > "$out/machine.txt"
java -jar bench/target/benchmarks.jar -rf json -rff "$out/results-t1.json" -prof gc 2>&1 | tee "$out/results-t1.txt"
java -jar bench/target/benchmarks.jar EstablishedTranslationBench -t 2 -p proto=UDP -p direction=OUTBOUND \
    -p choice=UNIFORM -p flows=64000,1000000 -rf json -rff "$out/results-t2.json" 2>&1 | tee "$out/results-t2.txt"
java -Xms6g -Xmx6g -cp bench/target/benchmarks.jar org.vnetlab.bench.TableCapacity 1000000 2 2>&1 | tee "$out/capacity.txt"
uptime >> "$out/machine.txt"
python3 bench/scripts/plot_mpps.py "$out/results-t1.json" docs/benchmarks-mpps.svg
