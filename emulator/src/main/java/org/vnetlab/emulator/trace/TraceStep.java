package org.vnetlab.emulator.trace;

/** One thing that happened to a packet; each kind renders itself as one trace line. */
public sealed interface TraceStep {

    String render();

    /** The packet met a netfilter hook. */
    record HookEntered(String hook, String packet) implements TraceStep {
        public String render() { return "hook " + hook + ": " + packet; }
    }

    /** A base chain (a table's built-in chain, or conntrack/NAT machinery) was entered. */
    record ChainEntered(String table, String chain, int priority) implements TraceStep {
        public String render() { return "  " + table + " " + chain + " (priority " + priority + ")"; }
    }

    /** A rule was evaluated; {@code ref} is {@code table:chain #n}. */
    record RuleEvaluated(String ref, String text, boolean matched) implements TraceStep {
        public String render() { return "    " + ref + " " + text + (matched ? "  => match" : "  -- no match"); }
    }

    /** A rule's target took effect ({@code verdict} like ACCEPT, DROP, jump CHAIN, MASQUERADE, LOG). */
    record Verdict(String ref, String verdict) implements TraceStep {
        public String render() { return "    " + ref + " verdict " + verdict; }
    }

    /** The end of a built-in chain (or RETURN from it): its policy applied. */
    record PolicyApplied(String chain, String policy) implements TraceStep {
        public String render() { return "    " + chain + " policy " + policy; }
    }

    /** A user chain ended (or returned) and evaluation went back to the caller. */
    record Returned(String from, String to) implements TraceStep {
        public String render() { return "    return from " + from + " to " + to; }
    }

    /** Conntrack's view of the packet: state and the connection as {@code conntrack -L} prints it. */
    record Conntrack(String state, String connection) implements TraceStep {
        public String render() { return "  conntrack: " + state + (connection.isEmpty() ? "" : " " + connection); }
    }

    /** A NAT binding was created (first packet) or applied (rewrite of this packet). */
    record Nat(String what, String detail) implements TraceStep {
        public String render() { return "  nat: " + what + " " + detail; }
    }

    /** Routing and stack decisions between hooks. */
    record Stack(String detail) implements TraceStep {
        public String render() { return "  " + detail; }
    }

    /** A line the packet caused in the kernel log (LOG target, conntrack messages). */
    record KernelLog(String line) implements TraceStep {
        public String render() { return "  kernel: " + line; }
    }
}
