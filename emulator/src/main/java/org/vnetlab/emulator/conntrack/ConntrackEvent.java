package org.vnetlab.emulator.conntrack;

import java.util.Set;

/**
 * A conntrack event as {@code conntrack -E} shows it: the type ([NEW], [UPDATE], [DESTROY]) and the entry's
 * state when the event was delivered (events are cached while a packet is processed and delivered when it
 * passes the confirm point, like the kernel's ecache).
 */
public record ConntrackEvent(long timeNanos, Type type, Set<Kind> kinds, long entryId, String text) {

    public enum Type { NEW, UPDATE, DESTROY }

    /** The event bits (enum ip_conntrack_events) the emulator raises. */
    public enum Kind { NEW, RELATED, DESTROY, REPLY, ASSURED, PROTOINFO, MARK, NATSEQADJ }

    static ConntrackEvent of(long now, Type type, Set<Kind> kinds, ConntrackEntry e) {
        String tag = switch (type) {
            case NEW -> "[NEW]";
            case UPDATE -> "[UPDATE]";
            case DESTROY -> "[DESTROY]";
        };
        return new ConntrackEvent(now, type, Set.copyOf(kinds), e.id(),
                String.format("%9s %s id=%d", tag, e.format(now, false), e.id()));
    }

    /** The line {@code conntrack -E -o timestamp} prints: {@code [sec.usec]\t    [NEW] udp 17 30 …}. */
    public String withTimestamp() {
        return String.format("[%d.%06d]\t%s", timeNanos / 1_000_000_000L, (timeNanos % 1_000_000_000L) / 1000, text);
    }

    @Override
    public String toString() { return text; }
}
