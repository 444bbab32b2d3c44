/**
 * iptables' text formats over the {@code netfilter} model: the iptables-save/iptables-restore file format
 * ({@link org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser},
 * {@link org.vnetlab.emulator.netfilter.iptables.IptablesSave}), the {@code iptables} command line a
 * sysadmin or libvirt types ({@link org.vnetlab.emulator.netfilter.iptables.IptablesCommand}), the
 * {@code -L}/{@code -S} listings, and a lint for rules that load but do not mean what they seem to.
 * Parsing follows iptables 1.8.9 (legacy and nft variants), surprises included; every error is an
 * {@link org.vnetlab.emulator.input.InputException} and nothing is half-loaded.
 */
package org.vnetlab.emulator.netfilter.iptables;
