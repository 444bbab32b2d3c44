package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.emulator.testing.Packets;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.checksum.InternetChecksum;

/** NFQUEUE without a listener, NFLOG, and the header-rewriting TTL/TOS/DSCP targets on a forwarded ping. */
class ExtensionTargetTest {
    static final MacAddress GUEST = MacAddress.parse("52:54:00:aa:bb:01");
    static final MacAddress VIRBR0 = MacAddress.parse("52:54:00:73:62:06");

    PathRunner.Result forward(String rules) throws InputException {
        ArticleHost h = new ArticleHost();
        PathRunner p = new PathRunner(Netfilter.iptables(Rulesets.parse(rules), new RuleCounters(), h, ConntrackSettings.DEFAULTS, 1), h, true);
        return p.receive(Packets.ping("192.168.122.55", "8.8.8.8", 64, 4099, 1), "virbr0", GUEST, VIRBR0, 1);
    }

    static String filter(String rule) {
        return "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n" + rule + "\nCOMMIT\n";
    }

    static String mangle(String rule) {
        return "*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + ":POSTROUTING ACCEPT [0:0]\n" + rule + "\nCOMMIT\n";
    }

    @Test
    void nfqueueDropsWithoutAListenerAndBypassLetsThePacketOn() throws InputException {
        PathRunner.Result dropped = forward(filter("-A FORWARD -j NFQUEUE --queue-num 3"));
        assertThat(dropped.disposition()).isEqualTo(Disposition.DROPPED_BY_RULE);
        assertThat(dropped.trace().toString()).contains("NFQUEUE queue 3: no program listens");
        PathRunner.Result bypassed = forward(filter("-A FORWARD -j NFQUEUE --queue-balance 0:3 --queue-bypass\n-A FORWARD -j DROP"));
        assertThat(bypassed.disposition()).as("bypass accepts for this table: the next rule is not reached").isEqualTo(Disposition.FORWARDED);
    }

    @Test
    void nflogHandsACopyAndTraversalGoesOn() throws InputException {
        PathRunner.Result r = forward(filter("-A FORWARD -j NFLOG --nflog-group 5 --nflog-prefix x\n-A FORWARD -j DROP"));
        assertThat(r.disposition()).isEqualTo(Disposition.DROPPED_BY_RULE);
        assertThat(r.trace().toString()).contains("nflog group 5 prefix \"x\": 192.168.122.55 > 8.8.8.8 proto 1 len 84");
    }

    @Test
    void ttlTosAndDscpRewriteTheHeaderAndKeepItsChecksumValid() throws InputException {
        ByteBuf out = forward(mangle("-A PREROUTING -j TTL --ttl-set 100\n-A FORWARD -j TOS --set-tos 0x10/0x3f\n"
                + "-A POSTROUTING -j DSCP --set-dscp 0x0a")).packet().orElseThrow();
        assertThat((int) out.getUnsignedByte(8)).as("ttl 100, minus one for forwarding").isEqualTo(99);
        assertThat((int) out.getUnsignedByte(1)).isEqualTo(0x0a << 2);
        assertThat(InternetChecksum.compute(out, 0, 20)).as("the header sums to all ones").isZero();
        ByteBuf dec = forward(mangle("-A PREROUTING -j TTL --ttl-dec 63")).packet().orElse(null);
        assertThat(dec).as("ttl 1 cannot be forwarded").isNull();
    }
}
