#!/bin/sh
# Records, for each line of inputs.txt, what the real iptables (v1.8.9 nf_tables on the reference machine)
# prints back with -S, inside a throw-away network namespace. Run as root: sh regenerate.sh
set -eu
cd "$(dirname "$0")"
ns="vnl-canon-$$"
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
# the sets the -m set / -j SET lines name (ipset contents are not part of a ruleset; iptables asks the kernel)
ip netns exec "$ns" ipset create f2b-sshd hash:ip
ip netns exec "$ns" ipset create nets hash:net
ip netns exec "$ns" ipset create ipp hash:ip,port
: > expected.txt
grep -v '^#' inputs.txt | while IFS='|' read -r where opts; do
  set -- $where
  t=$1; c=$2
  opts=$(echo "$opts" | sed 's/^ *//')
  ip netns exec "$ns" iptables -t "$t" -F "$c"
  if eval ip netns exec "$ns" iptables -t "$t" -A "$c" $opts 2>/dev/null; then
    out=$(ip netns exec "$ns" iptables -t "$t" -S "$c" | tail -n 1)
  else
    out="ERROR"
  fi
  printf '%s %s | %s | %s\n' "$t" "$c" "$opts" "$out" >> expected.txt
done
