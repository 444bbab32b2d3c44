package org.vnetlab.emulator.netfilter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * IP protocol names as iptables resolves them: its own short list first ({@code tcp udp udplite icmp esp ah
 * sctp mh all}), then {@code /etc/protocols}. vnetlab embeds the Debian/netbase {@code /etc/protocols} names
 * so results do not depend on the machine running the emulator.
 */
public final class IpProtocols {
    private static final Map<String, Integer> BY_NAME = new LinkedHashMap<>();
    private static final Map<Integer, String> BY_NUMBER = new LinkedHashMap<>();

    static {
        // netbase /etc/protocols, primary names; the first name listed for a number is the one printed
        String table = "ip 0 hopopt 0 icmp 1 igmp 2 ggp 3 ipencap 4 st 5 tcp 6 egp 8 igp 9 pup 12 udp 17 hmp 20 "
                + "xns-idp 22 rdp 27 iso-tp4 29 dccp 33 xtp 36 ddp 37 idpr-cmtp 38 ipv6 41 ipv6-route 43 "
                + "ipv6-frag 44 idrp 45 rsvp 46 gre 47 esp 50 ah 51 skip 57 ipv6-icmp 58 ipv6-nonxt 59 "
                + "ipv6-opts 60 rspf 73 vmtp 81 eigrp 88 ospf 89 ax.25 93 ipip 94 etherip 97 encap 98 pim 103 "
                + "ipcomp 108 vrrp 112 l2tp 115 isis 124 sctp 132 fc 133 mobility-header 135 udplite 136 "
                + "mpls-in-ip 137 manet 138 hip 139 shim6 140 wesp 141 rohc 142 ethernet 143";
        String[] w = table.split(" ");
        for (int i = 0; i < w.length; i += 2) {
            int n = Integer.parseInt(w[i + 1]);
            BY_NAME.putIfAbsent(w[i], n);
            BY_NUMBER.putIfAbsent(n, w[i]);
        }
        // iptables' built-in names (xtables_chain_protos) win over /etc/protocols
        BY_NAME.put("all", 0);
        BY_NAME.put("mh", 135);
        BY_NAME.put("icmpv6", 58);
        BY_NUMBER.put(58, "ipv6-icmp");
    }

    private IpProtocols() {}

    /** The number for a (lower-case) protocol name, {@code all} being 0. */
    public static Optional<Integer> number(String name) { return Optional.ofNullable(BY_NAME.get(name)); }

    /**
     * The name iptables-save prints for a protocol number: the {@code xtables_chain_protos} name for tcp, udp,
     * udplite, icmp, esp, ah, sctp, else the /etc/protocols name, else empty (then the number is printed).
     */
    public static Optional<String> name(int number) {
        if (number == 0) return Optional.empty();
        return Optional.ofNullable(BY_NUMBER.get(number));
    }
}
