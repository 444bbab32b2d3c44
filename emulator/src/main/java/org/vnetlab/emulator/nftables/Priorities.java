package org.vnetlab.emulator.nftables;

import java.util.List;
import java.util.OptionalInt;

/**
 * Chain priority names as nft knows them (nft's std_prios): raw −300, mangle −150, dstnat −100, filter 0,
 * security 50, srcnat 100; the bridge family has its own (dstnat −300, filter −200, out 100, srcnat 300).
 * dstnat is only a name on prerouting and srcnat only on postrouting; out only on the bridge's output.
 * {@code nft list} prints a priority within 10 of a name usable there as {@code name ± offset}, anything
 * else as a number.
 */
public final class Priorities {
    private record Named(String name, int value) {}

    private static final List<Named> IP = List.of(new Named("raw", -300), new Named("mangle", -150),
            new Named("dstnat", -100), new Named("filter", 0), new Named("security", 50), new Named("srcnat", 100));
    private static final List<Named> BRIDGE = List.of(new Named("dstnat", -300), new Named("filter", -200),
            new Named("out", 100), new Named("srcnat", 300));
    private static final int NEAR = 10;

    private Priorities() {}

    /** The value of a priority name where {@code family} and {@code hook} allow it. */
    public static OptionalInt value(String name, Family family, NftHook hook) {
        for (Named n : names(family)) {
            if (n.name.equals(name) && usable(n, family, hook)) return OptionalInt.of(n.value);
        }
        return OptionalInt.empty();
    }

    /** How {@code nft list} prints a priority: {@code filter}, {@code srcnat + 5}, {@code -20}. */
    public static String format(int priority, Family family, NftHook hook) {
        for (Named n : names(family)) {
            if (!usable(n, family, hook)) continue;
            int offset = priority - n.value;
            if (offset == 0) return n.name;
            if (Math.abs(offset) <= NEAR) return n.name + (offset > 0 ? " + " : " - ") + Math.abs(offset);
        }
        return Integer.toString(priority);
    }

    private static List<Named> names(Family family) { return family == Family.BRIDGE ? BRIDGE : IP; }

    private static boolean usable(Named n, Family family, NftHook hook) {
        if (family == Family.BRIDGE) {
            return switch (n.name) {
                case "filter" -> true;
                case "dstnat" -> hook == NftHook.PREROUTING;
                case "out" -> hook == NftHook.OUTPUT;
                case "srcnat" -> hook == NftHook.POSTROUTING;
                default -> false;
            };
        }
        return switch (n.name) {
            case "dstnat" -> isIpFamily(family) && hook == NftHook.PREROUTING;
            case "srcnat" -> isIpFamily(family) && hook == NftHook.POSTROUTING;
            default -> true;
        };
    }

    private static boolean isIpFamily(Family f) { return f == Family.IP || f == Family.IP6 || f == Family.INET; }
}
