/**
 * The netfilter core as the kernel runs it: per hook, base chains ordered by priority (conntrack −200,
 * iptables' raw −300, mangle −150, nat −100/100, filter 0, security 50, confirm last); ACCEPT ends one base
 * chain, DROP ends the packet. {@link org.vnetlab.emulator.netfilter.hook.Netfilter#hook} is what an IP stack
 * calls at each hook; {@link org.vnetlab.emulator.netfilter.hook.PathRunner} drives a packet through a whole
 * path (PREROUTING → routing → INPUT/FORWARD → POSTROUTING, or OUTPUT → routing → POSTROUTING) for tests,
 * traces and benchmarks. More base chains (nftables) register with their own priorities.
 */
package org.vnetlab.emulator.netfilter.hook;
