package org.vnetlab.emulator.libvirt.firewall;

import java.util.ArrayList;
import java.util.List;

/**
 * One command libvirt runs to set up a network's firewall: the program and its arguments exactly as libvirt
 * passes them (long options, {@code -w} to wait for the xtables lock, {@code "!"} as its own argument).
 * Plain data, so the emulator can apply it through its iptables/nft command parsers and undo it later.
 */
public record FirewallCommand(Tool tool, List<String> args) {

    public FirewallCommand {
        args = List.copyOf(args);
    }

    public enum Tool {
        IPTABLES("iptables"), IP6TABLES("ip6tables"), NFT("nft");

        private final String program;

        Tool(String program) {
            this.program = program;
        }

        public String program() { return program; }
    }

    static FirewallCommand of(Tool tool, String... args) {
        return new FirewallCommand(tool, List.of(args));
    }

    /** The whole command line: program name, then the arguments. */
    public List<String> argv() {
        List<String> out = new ArrayList<>(args.size() + 1);
        out.add(tool.program);
        out.addAll(args);
        return out;
    }

    @Override
    public String toString() { return String.join(" ", argv()); }
}
