package org.vnetlab.emulator.netfilter;

import java.util.Optional;

/**
 * What a rule does when it matches ({@code -j}/{@code -g}), as data. {@link None} is a rule without
 * {@code -j}: it only counts, and traversal goes on with the next rule.
 */
public sealed interface Target {

    /** The name after {@code -j} (or {@code -g}), e.g. {@code "MASQUERADE"}, a chain name, or "" for {@link None}. */
    String name();

    /** No {@code -j}: count and continue. */
    record None() implements Target {
        public String name() { return ""; }
    }

    record Accept() implements Target {
        public String name() { return "ACCEPT"; }
    }

    record Drop() implements Target {
        public String name() { return "DROP"; }
    }

    /** Back to the calling chain; in a built-in chain, the chain's policy. */
    record Return() implements Target {
        public String name() { return "RETURN"; }
    }

    /** {@code -j CHAIN}: call a user chain; a RETURN or the end of it comes back here. */
    record Jump(String chain) implements Target {
        public String name() { return chain; }
    }

    /** {@code -g CHAIN}: continue in a user chain without a return point here. */
    record Goto(String chain) implements Target {
        public String name() { return chain; }
    }

    /** {@code -j REJECT [--reject-with ...]}: drop and answer with an ICMP error or TCP RST. */
    record Reject(RejectWith with) implements Target {
        public String name() { return "REJECT"; }
    }

    /** {@code -j MASQUERADE [--to-ports a[-b]] [--random] [--random-fully]} (nat POSTROUTING). */
    record Masquerade(Optional<PortRange> toPorts, boolean random, boolean randomFully) implements Target {
        public static final Masquerade PLAIN = new Masquerade(Optional.empty(), false, false);

        public String name() { return "MASQUERADE"; }
    }

    /** {@code -j SNAT --to-source ... [--random] [--random-fully] [--persistent]}. */
    record Snat(NatRange to, boolean random, boolean randomFully, boolean persistent) implements Target {
        public String name() { return "SNAT"; }
    }

    /** {@code -j DNAT --to-destination ... [--random] [--persistent]}. */
    record Dnat(NatRange to, boolean random, boolean persistent) implements Target {
        public String name() { return "DNAT"; }
    }

    /** {@code -j REDIRECT [--to-ports a[-b]] [--random]}: DNAT to the incoming interface's primary address. */
    record Redirect(Optional<PortRange> toPorts, boolean random) implements Target {
        public String name() { return "REDIRECT"; }
    }

    /**
     * {@code -j LOG}: a kernel log line, then traversal continues. Level is the syslog level (default 4,
     * warning); the prefix is at most 29 characters.
     */
    record Log(Optional<String> prefix, int level, boolean tcpSequence, boolean tcpOptions, boolean ipOptions,
               boolean uid, boolean macDecode) implements Target {
        public static final int DEFAULT_LEVEL = 4;

        public Log {
            if (level < 0 || level > 7) throw new IllegalArgumentException("log level " + level);
        }

        public String name() { return "LOG"; }
    }

    /**
     * {@code -j MARK}: every form (--set-mark, --and-mark, --or-mark, --xor-mark, --set-xmark) is stored, and
     * printed, as the kernel's xmark operation {@code mark = (mark & ~mask) ^ value}; traversal continues.
     */
    record Mark(long value, long mask) implements Target {
        public String name() { return "MARK"; }
    }

    /** What {@code -j CONNMARK} does. */
    enum ConnmarkMode { SET, SAVE, RESTORE }

    /**
     * {@code -j CONNMARK} (revision 1 semantics): SET {@code ctmark = (ctmark & ~ctmask) ^ value};
     * SAVE {@code ctmark = (ctmark & ~ctmask) ^ (mark & nfmask)}; RESTORE
     * {@code mark = (mark & ~nfmask) ^ (ctmark & ctmask)}. For SET, nfmask is unused (0).
     */
    record Connmark(ConnmarkMode mode, long value, long ctmask, long nfmask) implements Target {
        public String name() { return "CONNMARK"; }
    }

    /** {@code -j CHECKSUM --checksum-fill}: compute a missing (offloaded) checksum; traversal continues. */
    record Checksum() implements Target {
        public String name() { return "CHECKSUM"; }
    }

    /**
     * Do not track the packet (raw table): {@code -j NOTRACK}, or {@code -j CT --notrack} when
     * {@code viaCt}. Same effect; the flag only keeps the spelling for printing.
     */
    record Notrack(boolean viaCt) implements Target {
        public String name() { return viaCt ? "CT" : "NOTRACK"; }
    }

    /**
     * {@code -j TCPMSS --set-mss N} or {@code --clamp-mss-to-pmtu} (then {@code mss} is 0): rewrite the MSS
     * option of SYN packets; traversal continues.
     */
    record Tcpmss(boolean clampToPmtu, int mss) implements Target {
        public Tcpmss {
            if (clampToPmtu ? mss != 0 : (mss < 0 || mss > 65535)) throw new IllegalArgumentException("mss " + mss);
        }

        public String name() { return "TCPMSS"; }
    }
    /**
     * {@code -j NFLOG}: hand a copy to nfnetlink_log group {@code group}; no verdict, traversal continues.
     * {@code size} empty: the whole packet; {@code threshold} 0: the kernel default (1).
     */
    record Nflog(int group, Optional<String> prefix, Optional<Long> size, int threshold) implements Target {
        public String name() { return "NFLOG"; }
    }

    /**
     * {@code -j NFQUEUE}: hand the packet to a userspace program on queue {@code first} (or one of
     * {@code first..first+total-1} with --queue-balance). With nobody listening the kernel drops it, unless
     * {@code bypass}: then it goes on as if accepted by this table.
     */
    record Nfqueue(int first, int total, boolean balance, boolean bypass, boolean cpuFanout) implements Target {
        public String name() { return "NFQUEUE"; }
    }

    /** What {@code -j TTL} does to the TTL. */
    enum TtlOperation { SET, INC, DEC }

    /** {@code -j TTL --ttl-set|--ttl-inc|--ttl-dec N} (mangle only). */
    record Ttl(TtlOperation operation, int value) implements Target {
        public String name() { return "TTL"; }
    }

    /** {@code -j TOS}: {@code tos = (tos & ~mask) ^ value} (every spelling is stored so; mangle only). */
    record Tos(int value, int mask) implements Target {
        public String name() { return "TOS"; }
    }

    /** {@code -j DSCP --set-dscp N}: the upper six bits of the TOS byte (ECN kept; mangle only). */
    record Dscp(int dscp) implements Target {
        public String name() { return "DSCP"; }
    }

    /** One {@code -j SET} operation: the set and which addresses/ports form the member. */
    record SetOperation(String set, java.util.List<Match.SetDirection> directions) {
        public SetOperation { directions = java.util.List.copyOf(directions); }
    }

    /** {@code -j SET [--add-set ...] [--del-set ...] [--exist] [--timeout N]}: traversal continues. */
    record SetTarget(Optional<SetOperation> add, Optional<SetOperation> delete, boolean exist, java.util.OptionalLong timeout)
            implements Target {
        public String name() { return "SET"; }
    }
}
