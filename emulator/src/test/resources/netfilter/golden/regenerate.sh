#!/bin/sh
# Regenerates the golden outputs next to this script from everything.rules with the real iptables
# (v1.8.9 nf_tables on the reference machine), inside a throw-away network namespace so the host's own
# rules are never touched. Run as root: sh regenerate.sh
set -eu
cd "$(dirname "$0")"
ns="vnl-golden-$$"
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
run() { ip netns exec "$ns" "$@"; }
run iptables --version > iptables-version.txt
run iptables-restore -c < everything.rules
for t in raw mangle nat filter; do
  run iptables-save -t "$t" | grep -v '^#' > "save-$t.txt"
  run iptables-save -c -t "$t" | grep -v '^#' > "save-c-$t.txt"
  run iptables -t "$t" -S > "S-$t.txt"
  run iptables -t "$t" -S -v > "S-v-$t.txt"
  run iptables -t "$t" -L -n > "L-n-$t.txt"
  run iptables -t "$t" -L -n -v > "L-n-v-$t.txt"
  run iptables -t "$t" -L -n -v -x --line-numbers > "L-n-v-x-line-$t.txt"
  run iptables -t "$t" -L > "L-$t.txt"
  run iptables -t "$t" -L -v > "L-v-$t.txt"
done
run iptables -S INPUT 3 > S-INPUT-3.txt
run iptables -S LIBVIRT_OUT > S-LIBVIRT_OUT.txt
run iptables -L LIBVIRT_FWI -n -v > L-LIBVIRT_FWI.txt
