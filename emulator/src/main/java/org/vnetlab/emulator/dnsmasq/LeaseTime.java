package org.vnetlab.emulator.dnsmasq;

import java.util.Locale;
import java.util.Optional;

/**
 * A DHCP lease length in seconds, or {@link #INFINITE}. dnsmasq raises anything shorter than two minutes to
 * 120 s (option.c), so a parsed time never falls below {@link #MINIMUM_SECONDS}.
 */
public record LeaseTime(long seconds) {
    /** 0xffffffff on the wire (option 51): the lease never expires and T1/T2 are not sent. */
    public static final LeaseTime INFINITE = new LeaseTime(0xffff_ffffL);
    /** dnsmasq's default when a dhcp-range gives no lease time. */
    public static final LeaseTime DEFAULT = new LeaseTime(3600);
    public static final long MINIMUM_SECONDS = 120;

    public LeaseTime {
        if (seconds < 0 || seconds > 0xffff_ffffL) throw new IllegalArgumentException("lease time out of range: " + seconds);
    }

    public boolean isInfinite() { return seconds == INFINITE.seconds; }

    /**
     * Parses dnsmasq's lease-time syntax: "infinite", or a number with an optional unit s, m, h, d or w
     * ("1h", "200s", "45m", "3600"). Empty when the text is not a lease time (dnsmasq then reads the field as
     * something else, e.g. a host name).
     */
    public static Optional<LeaseTime> parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("infinite")) return Optional.of(INFINITE);
        if (t.isEmpty()) return Optional.empty();
        long factor = 1;
        char last = t.charAt(t.length() - 1);
        switch (last) {
            case 's' -> factor = 1;
            case 'm' -> factor = 60;
            case 'h' -> factor = 3600;
            case 'd' -> factor = 86_400;
            case 'w' -> factor = 604_800;
            default -> { }
        }
        String digits = Character.isDigit(last) ? t : t.substring(0, t.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 10) return Optional.empty();
        long value = Long.parseLong(digits) * factor;
        if (value >= INFINITE.seconds) return Optional.of(INFINITE);
        return Optional.of(new LeaseTime(Math.max(MINIMUM_SECONDS, value)));
    }

    /** As dnsmasq's prettyprint_time writes it in its log: "1h", "3m20s", "infinite". */
    public String pretty() {
        if (isInfinite()) return "infinite";
        long t = seconds;
        StringBuilder sb = new StringBuilder();
        long days = t / 86_400;
        long hours = (t % 86_400) / 3600;
        long minutes = (t % 3600) / 60;
        long secs = t % 60;
        if (days > 0) sb.append(days).append('d');
        if (hours > 0) sb.append(hours).append('h');
        if (minutes > 0) sb.append(minutes).append('m');
        if (secs > 0 || sb.length() == 0) sb.append(secs).append('s');
        return sb.toString();
    }

    @Override
    public String toString() { return pretty(); }
}
