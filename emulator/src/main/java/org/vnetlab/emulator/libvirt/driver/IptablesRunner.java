package org.vnetlab.emulator.libvirt.driver;

import java.util.List;
import org.vnetlab.emulator.input.InputException;

/**
 * How libvirt's firewall code reaches the host's live IPv4 ruleset: by running {@code iptables} with an
 * argument vector, as {@code virFirewallApply} runs {@code /usr/sbin/iptables}. A failing command changes
 * nothing and raises iptables' own error text.
 */
@FunctionalInterface
public interface IptablesRunner {
    /** Runs {@code iptables ARGS...}; returns what it printed (the {@code --list-rules} output, else ""). */
    String run(List<String> args) throws InputException;
}
