package org.vnetlab.emulator.netfilter;

/**
 * {@code -i}/{@code -o} (and physdev's names): an interface name, where a trailing {@code +} matches every
 * name with that prefix (so {@code "+"} matches all), optionally inverted. {@link #ANY} is the absent option.
 */
public record InterfaceFilter(String name, boolean inverted) {
    public static final InterfaceFilter ANY = new InterfaceFilter("", false);
    /** IFNAMSIZ - 1: the longest name the kernel stores. */
    public static final int MAX_LENGTH = 15;

    public InterfaceFilter {
        if (name == null) throw new IllegalArgumentException("name is required");
        if (name.length() > MAX_LENGTH) throw new IllegalArgumentException("interface name longer than 15: " + name);
    }

    public boolean isAny() { return name.isEmpty() && !inverted; }

    public boolean isWildcard() { return name.endsWith("+"); }

    /** The test itself: empty name or {@code +} matches every interface, {@code eth+} every {@code eth*}. */
    public boolean matches(String ifname) {
        boolean hit;
        if (name.isEmpty()) hit = true;
        else if (isWildcard()) hit = ifname.startsWith(name.substring(0, name.length() - 1));
        else hit = ifname.equals(name);
        return hit != inverted;
    }
}
