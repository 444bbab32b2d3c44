#!/bin/bash
# Regenerates the goldens here with the REAL iptables-nft and nft, each case in a fresh private network
# namespace (the root namespace's rulesets are never touched). Needs root, iptables 1.8.9 (nf_tables) and
# nftables 1.0.6 built with libxtables (Debian 12): that nft translates iptables-nft's xt matches and targets
# with iptables' own xlate code, and prints "xt match NAME" where the translation fails.
#
#   record.sh [CASE.rules ...]     (all by default)
#     CASE.rules (an iptables-save file) is loaded with iptables-nft-restore, saved with iptables-nft-save and that
#     canonical form (tables, chains and rules in iptables-save's order: what vnetlab's dumps hold) loaded into a
#     second fresh namespace; then
#       CASE.saved           that iptables-nft-save output (its comment lines, which carry the date, left out)
#       CASE.golden          nft list ruleset
#       CASE.handles.golden  nft -a list ruleset
#       CASE.filter.golden   nft list table ip filter (when the case has a filter table)
#       CASE.stderr          what nft printed on stderr (its "managed by iptables-nft" warnings)
#     CASE.ipsets, when it exists, is loaded with `ipset restore` into each fresh namespace first (ipsets are per
#     network namespace; -m set and -j SET need their sets to exist);
#     CASE.commands (iptables command lines, one per line) instead of CASE.rules: run one by one in an empty
#     namespace, as libvirt's iptables backend does; CASE.commands.golden is nft -a list ruleset right after them
#     (tables and chains as single commands create them), and their iptables-nft-save output goes on as above;
#     and, when CASE.then exists (iptables command lines, one per line, run after the load):
#       CASE.then.golden     nft -a list ruleset after them
set -u
here=$(cd "$(dirname "$0")" && pwd)
NS=vnl-iptnft-$$
trap 'ip netns del "$NS" 2>/dev/null' EXIT

fresh() {
  ip netns del "$NS" 2>/dev/null
  ip netns add "$NS"
  ip -n "$NS" link set lo up
  if [ -e "$case.ipsets" ]; then ip netns exec "$NS" ipset restore <"$case.ipsets"; fi
}

cd "$here" || exit 1
run_lines() {  # iptables command lines from file $1 in the namespace
  while IFS= read -r line; do
    [ -n "$line" ] && [ "${line#\#}" = "$line" ] || continue
    eval "ip netns exec \"$NS\" iptables-nft ${line#iptables }" || echo "$1: failed: $line" >&2
  done <"$1"
}

[ $# -gt 0 ] || set -- *.rules *.commands
for f in "$@"; do
  case=${f%.rules}
  case=${case%.commands}
  fresh
  if [ "$f" = "$case.commands" ]; then
    run_lines "$f"
    ip netns exec "$NS" nft -a list ruleset >"$case.commands.golden" 2>/dev/null
  else
    ip netns exec "$NS" iptables-nft-restore <"$f" || { echo "$f: iptables-nft-restore failed" >&2; continue; }
  fi
  canonical=$(ip netns exec "$NS" iptables-nft-save)
  fresh
  printf '%s\n' "$canonical" | grep -v '^#' >"$case.saved"
  ip netns exec "$NS" iptables-nft-restore <"$case.saved"
  ip netns exec "$NS" nft list ruleset >"$case.golden" 2>"$case.stderr"
  ip netns exec "$NS" nft -a list ruleset >"$case.handles.golden" 2>/dev/null
  rm -f "$case.filter.golden" "$case.then.golden"
  if ip netns exec "$NS" nft list table ip filter >/dev/null 2>&1; then
    ip netns exec "$NS" nft list table ip filter >"$case.filter.golden" 2>/dev/null
  fi
  if [ -e "$case.then" ]; then
    run_lines "$case.then"
    ip netns exec "$NS" nft -a list ruleset >"$case.then.golden" 2>/dev/null
  fi
done
echo "$(iptables-nft --version); nft: $(nft --version)"
