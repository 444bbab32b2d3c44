#!/bin/bash
# Regenerates the golden files of this folder with the REAL nft: each CASE.nft is loaded with `nft -f` into a
# fresh private network namespace (veth interfaces virbr0, enp3s0, enp0s7, docker0, eth0 exist there, so
# iif/oif resolve), and `nft list ruleset` is written to CASE.golden; a file that nft refuses gets CASE.error
# (nft's message) instead. CASE.golden loaded again the same way gives CASE.relisted (nft's listing is not
# always a fixed point: a one-element set it printed is read back as a plain match).
# The root namespace's ruleset is never touched. Needs root and nftables.
# Recorded with nftables v1.0.6 (Debian 12) on Linux 6.x.
set -u
cd "$(dirname "$0")"
NS=vnl-q-golden-$$
trap 'ip netns del "$NS" 2>/dev/null' EXIT
[ $# -gt 0 ] || set -- *.nft
fresh() {
  ip netns del "$NS" 2>/dev/null
  ip netns add "$NS"
  ip -n "$NS" link set lo up
  for d in virbr0 enp3s0 enp0s7 docker0 eth0; do ip -n "$NS" link add "$d" type veth peer name "${d}p"; done
}
for f in "$@"; do
  [ -e "$f" ] || continue
  case=${f%.nft}
  fresh
  rm -f "$case.golden" "$case.error" "$case.relisted"
  if err=$(ip netns exec "$NS" nft -f "$f" 2>&1); then
    ip netns exec "$NS" nft list ruleset >"$case.golden"
    fresh
    ip netns exec "$NS" nft -f "$case.golden" && ip netns exec "$NS" nft list ruleset >"$case.relisted"
  else
    printf '%s\n' "$err" >"$case.error"
  fi
done
echo "nft: $(nft --version)"
