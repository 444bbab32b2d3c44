/**
 * The Linux netfilter selftests (tools/testing/selftests/net/netfilter) that concern IPv4 NAT and conntrack,
 * reproduced as a peer suite: each selftest's topology is mapped onto the kernel oracle's (guest — host —
 * LAN — router — internet, a second guest on the bridge), its nft rules written as iptables, its checks
 * written once ({@link org.vnetlab.emulator.selftests.Observed}, {@link org.vnetlab.emulator.selftests.SelftestChecks})
 * and asserted on two runs of the same spec:
 * through the real kernel (src/oracle, one harness run per selftest) and through vnetlab's IP stacks
 * ({@link org.vnetlab.emulator.selftests.Rig}, {@link org.vnetlab.emulator.selftests.EmulatedRun}). Each
 * kernel run is also compared with vnetlab's probe by probe ({@link org.vnetlab.emulator.selftests.Agreement}):
 * outcomes, ICMP errors and their quotes, what reached the internet, counters and conntrack tables. The
 * vnetlab half runs everywhere; the kernel half needs root and the harness's tools. Specs of the same form
 * cover kernel behaviour no selftest checks ({@link org.vnetlab.emulator.selftests.IcmpErrorBudgetSelftest}:
 * the stack's own ICMP errors and REJECT's share one rate-limit budget).
 */
package org.vnetlab.emulator.selftests;
