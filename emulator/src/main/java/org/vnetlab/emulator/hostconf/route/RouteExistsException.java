package org.vnetlab.emulator.hostconf.route;

/**
 * The kernel refused to add a route because one with the same table, prefix, TOS and metric is there
 * ({@code ip route add}), or an identical one is ({@code ip route append}). iproute2 prints the kernel's
 * answer: {@code RTNETLINK answers: File exists}.
 */
public final class RouteExistsException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Route existing;

    public RouteExistsException(Route existing) {
        super("RTNETLINK answers: File exists");
        this.existing = existing;
    }

    /** The route already in the table that the new one collides with. */
    public Route existing() { return existing; }
}
