/**
 * The host's netfilter ruleset as data: tables, chains, rules, matches and targets, immutable and free of
 * evaluation logic (the engine walks it), plus the one mutable thing a ruleset carries, its counters
 * ({@link org.vnetlab.emulator.netfilter.RuleCounters}). Text formats (iptables-save, the iptables command
 * line, {@code -L}/{@code -S}) live in {@code netfilter.iptables}.
 */
package org.vnetlab.emulator.netfilter;
