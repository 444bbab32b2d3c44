package org.vnetlab.emulator.hostconf.route;

/**
 * A route scope (RT_SCOPE_*): how far the destination is. An open value: numbers iproute2 has no name for
 * are kept.
 */
public record RouteScope(int value) {
    /** RT_SCOPE_UNIVERSE, printed "global"; iproute2 omits it. */
    public static final RouteScope GLOBAL = new RouteScope(0);
    public static final RouteScope SITE = new RouteScope(200);
    /** Directly attached network. */
    public static final RouteScope LINK = new RouteScope(253);
    /** An address of this host. */
    public static final RouteScope HOST = new RouteScope(254);
    public static final RouteScope NOWHERE = new RouteScope(255);

    public RouteScope {
        if (value < 0 || value > 255) throw new IllegalArgumentException("scope " + value + " not in 0..255");
    }

    /** {@code global}/{@code universe}, {@code site}, {@code link}, {@code host}, {@code nowhere} or 0..255. */
    public static RouteScope parse(String word) {
        switch (word) {
            case "global": case "universe": return GLOBAL;
            case "site": return SITE;
            case "link": return LINK;
            case "host": return HOST;
            case "nowhere": return NOWHERE;
            default:
                if (!word.isEmpty() && word.length() <= 3 && word.chars().allMatch(Character::isDigit)) {
                    return new RouteScope(Integer.parseInt(word));
                }
                throw new IllegalArgumentException("unknown scope '" + word + "'");
        }
    }

    @Override
    public String toString() {
        switch (value) {
            case 0: return "global";
            case 200: return "site";
            case 253: return "link";
            case 254: return "host";
            case 255: return "nowhere";
            default: return Integer.toString(value);
        }
    }
}
