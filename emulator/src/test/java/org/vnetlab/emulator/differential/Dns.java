package org.vnetlab.emulator.differential;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.vnetlab.protocols.Ipv4Address;

/**
 * The DNS bytes of the rig: the probe's query (one question, EDNS OPT 1232, like oracle_probe.py) and the
 * internet resolver's answer (dnsmasq with {@code --address=/google.com/142.250.1.1}: authoritative, one A).
 * Only the transport matters for netfilter; the messages are real so the exchange reads right in a capture.
 */
final class Dns {
    private static final String[] RCODES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};

    private Dns() {}

    static byte[] query(int qid, String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        short16(out, qid);
        short16(out, 0x0100);
        short16(out, 1);
        short16(out, 0);
        short16(out, 0);
        short16(out, 1);
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.write(0);
        short16(out, 1);
        short16(out, 1);
        out.write(0);
        short16(out, 41);
        short16(out, 1232);
        short16(out, 0);
        short16(out, 0);
        short16(out, 0);
        return out.toByteArray();
    }

    /** The answer to {@code query}: same id and question, AA RD RA, one A record for {@code address}. */
    static byte[] answer(byte[] query, Ipv4Address address) {
        int end = 12;
        while (query[end] != 0) end += (query[end] & 0xff) + 1;
        end += 5; // root label, type, class
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(query, 0, 2);
        short16(out, 0x8580);
        short16(out, 1);
        short16(out, 1);
        short16(out, 0);
        short16(out, 0);
        out.write(query, 12, end - 12);
        short16(out, 0xc00c);
        short16(out, 1);
        short16(out, 1);
        short16(out, 0);
        short16(out, 0);
        short16(out, 4);
        out.writeBytes(address.toBytes());
        return out.toByteArray();
    }

    static String rcode(byte[] message) {
        if (message.length < 12) return "malformed";
        int code = message[3] & 0x0f;
        return code < RCODES.length ? RCODES[code] : Integer.toString(code);
    }

    private static void short16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v & 0xff);
    }
}
