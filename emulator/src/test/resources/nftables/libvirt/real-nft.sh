#!/bin/bash
# Golden files for libvirt's nftables backend, from the REAL nft: for each NAME-linux.nftables of libvirt's test
# data (../shared/ref/libvirt, tests/ and derived/), a fresh private network namespace (with a bridge virbr0 and
# an interface enp0s7, as the commands use them) runs base.nftables then NAME-linux.nftables as libvirt runs
# them (the files are shell command lines), and records:
#   NAME.golden  `nft list ruleset` afterwards
#   NAME.echo    what the `nft -ae insert rule ...` commands printed, without nft's "# new generation N by
#                process PID" lines (their numbers are not reproducible)
# The root namespace's ruleset is never touched. Needs root and nftables.
set -u
here=$(cd "$(dirname "$0")" && pwd)
shared=${VNETLAB_SHARED:-$here/../../../../../../../shared}
lib=$shared/ref/libvirt
NS=vnl-q-libvirt-$$
trap 'ip netns del "$NS" 2>/dev/null' EXIT
for f in "$lib"/tests/networkxml2firewalldata/*-linux.nftables "$lib"/derived/networkxml2firewalldata/*-linux.nftables; do
  name=$(basename "$f" -linux.nftables)
  ip netns del "$NS" 2>/dev/null
  ip netns add "$NS"
  ip -n "$NS" link set lo up
  ip -n "$NS" link add virbr0 type bridge
  ip -n "$NS" link add enp0s7 type veth peer name enp0s7p
  ip netns exec "$NS" bash "$lib/tests/networkxml2firewalldata/base.nftables" >/dev/null 2>&1
  ip netns exec "$NS" bash "$f" 2>&1 | grep -v '^# new generation' >"$here/$name.echo"
  ip netns exec "$NS" nft list ruleset >"$here/$name.golden"
done
echo "nft: $(nft --version)"
