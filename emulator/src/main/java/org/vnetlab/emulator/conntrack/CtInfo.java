package org.vnetlab.emulator.conntrack;

/**
 * How a packet relates to its connection (enum ip_conntrack_info): its direction and whether it is the
 * first packet, an ordinary one, or an ICMP error about the connection.
 */
public enum CtInfo {
    ESTABLISHED(Direction.ORIGINAL),
    RELATED(Direction.ORIGINAL),
    NEW(Direction.ORIGINAL),
    ESTABLISHED_REPLY(Direction.REPLY),
    RELATED_REPLY(Direction.REPLY);

    private final Direction direction;

    CtInfo(Direction direction) { this.direction = direction; }

    public Direction direction() { return direction; }

    public boolean isRelated() { return this == RELATED || this == RELATED_REPLY; }

    public static CtInfo established(Direction d) { return d == Direction.ORIGINAL ? ESTABLISHED : ESTABLISHED_REPLY; }

    public static CtInfo related(Direction d) { return d == Direction.ORIGINAL ? RELATED : RELATED_REPLY; }
}
