#!/bin/bash
# Regenerates the golden files of a folder here with the REAL nft, each case in a fresh private network
# namespace (the root namespace's ruleset is never touched). Needs root and nftables.
# Recorded with nftables v1.0.6 (Debian 12) on Linux 6.x.
#
#   real-nft.sh listing [CASE.nft ...]    (likewise rejected)
#     each CASE.nft (all by default) is loaded with `nft -f` where veth interfaces virbr0, enp3s0, enp0s7,
#     docker0, eth0 exist (so iif/oif resolve), and `nft list ruleset` is written to CASE.golden; a file nft
#     refuses gets CASE.error (nft's message) instead. CASE.golden loaded again the same way gives
#     CASE.relisted (nft's listing is not always a fixed point: a one-element set it printed is read back as
#     a plain match).
#
#   real-nft.sh libvirt
#     for each NAME-linux.nftables of libvirt's test data (../shared/ref/libvirt, tests/ and derived/), where a
#     bridge virbr0 and an interface enp0s7 exist (the commands use them), runs base.nftables then
#     NAME-linux.nftables as libvirt runs them (the files are shell command lines), and records
#       NAME.golden  `nft list ruleset` afterwards
#       NAME.echo    what the `nft -ae insert rule ...` commands printed, without nft's "# new generation N by
#                    process PID" lines (their numbers are not reproducible)
set -u
here=$(cd "$(dirname "$0")" && pwd)
NS=vnl-q-golden-$$
trap 'ip netns del "$NS" 2>/dev/null' EXIT

# A new namespace $NS with lo up and a veth pair for each name given.
fresh() {
  ip netns del "$NS" 2>/dev/null
  ip netns add "$NS"
  ip -n "$NS" link set lo up
  for d in "$@"; do ip -n "$NS" link add "$d" type veth peer name "${d}p"; done
}

nft_files() {
  cd "$here/$1" || exit 1
  shift
  [ $# -gt 0 ] || set -- *.nft
  for f in "$@"; do
    [ -e "$f" ] || continue
    case=${f%.nft}
    fresh virbr0 enp3s0 enp0s7 docker0 eth0
    rm -f "$case.golden" "$case.error" "$case.relisted"
    if err=$(ip netns exec "$NS" nft -f "$f" 2>&1); then
      ip netns exec "$NS" nft list ruleset >"$case.golden"
      fresh virbr0 enp3s0 enp0s7 docker0 eth0
      ip netns exec "$NS" nft -f "$case.golden" && ip netns exec "$NS" nft list ruleset >"$case.relisted"
    else
      printf '%s\n' "$err" >"$case.error"
    fi
  done
}

libvirt_commands() {
  local out=$here/libvirt
  local lib=${VNETLAB_SHARED:-$here/../../../../../../shared}/ref/libvirt
  for f in "$lib"/tests/networkxml2firewalldata/*-linux.nftables "$lib"/derived/networkxml2firewalldata/*-linux.nftables; do
    name=$(basename "$f" -linux.nftables)
    fresh
    ip -n "$NS" link add virbr0 type bridge
    ip -n "$NS" link add enp0s7 type veth peer name enp0s7p
    ip netns exec "$NS" bash "$lib/tests/networkxml2firewalldata/base.nftables" >/dev/null 2>&1
    ip netns exec "$NS" bash "$f" 2>&1 | grep -v '^# new generation' >"$out/$name.echo"
    ip netns exec "$NS" nft list ruleset >"$out/$name.golden"
  done
}

case "${1:-}" in
  listing|rejected) nft_files "$@" ;;
  libvirt) libvirt_commands ;;
  *) echo "usage: $0 listing|rejected [CASE.nft ...] | libvirt" >&2; exit 2 ;;
esac
echo "nft: $(nft --version)"
