#!/bin/bash
# Differential oracle: each case in a fresh namespace (lo up, bridge virbr0 with an address, veth vnet0/eth0g).
set -u
cd "$(dirname "$0")"
mk() {
  ip netns add vnl-e-diff
  X="ip netns exec vnl-e-diff"
  $X ip link set lo up
  $X ip link add virbr0 type bridge
  $X ip addr add 192.168.122.1/24 brd + dev virbr0
  $X ip link set virbr0 up
  $X ip link add vnet0 type veth peer name eth0g
  $X ip link set vnet0 master virbr0
}
rmns() { ip netns del vnl-e-diff; }
mk; ip netns exec vnl-e-diff sysctl -a 2>/dev/null | grep -v -E '^kernel\.(random\.(boot_id|uuid|entropy_avail)|hostname|ns_last_pid)|^fs\.(dentry-state|file-nr|inode-nr|inode-state)' > base-sysctl-a.txt; rmns
out=oracle.txt; : > $out
while IFS= read -r line; do
  [ -z "$line" ] && continue
  IFS=$'\t' read -r -a args <<< "$line"
  mk
  ip netns exec vnl-e-diff sysctl -a 2>/dev/null | sort > before.txt
  ip netns exec vnl-e-diff sysctl "${args[@]}" > so.txt 2> se.txt; rc=$?
  ip netns exec vnl-e-diff sysctl -a 2>/dev/null | sort > after.txt
  rmns
  { printf '=== %s\n' "$line"; echo '--- stdout'; cat so.txt; echo '--- stderr'; cat se.txt; echo "--- exit $rc"; echo '--- changed'; comm -13 before.txt after.txt | grep -v -E '^(fs|kernel)\.'; } >> $out
done < cases.txt
rm -f before.txt after.txt so.txt se.txt
