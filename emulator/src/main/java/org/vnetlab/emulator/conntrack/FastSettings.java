package org.vnetlab.emulator.conntrack;

/**
 * The conntrack settings an established packet needs, converted once (when the sysctls change) from
 * {@code Duration}s to nanoseconds, so the fast path does no conversion or map lookup per packet.
 */
final class FastSettings {
    final ConntrackSettings source;
    final long udpStream, icmp, tcpEstablished, tcpRetrans, tcpUnack;
    final int tcpMaxRetrans;
    final boolean checksum, acct, tcpBeLiberal;

    FastSettings(ConntrackSettings s) {
        source = s;
        udpStream = s.udpStreamTimeout().toNanos();
        icmp = s.icmpTimeout().toNanos();
        tcpEstablished = s.tcpTimeout(TcpState.ESTABLISHED).toNanos();
        tcpRetrans = s.tcpRetransTimeout().toNanos();
        tcpUnack = s.tcpUnackTimeout().toNanos();
        tcpMaxRetrans = s.tcpMaxRetrans();
        checksum = s.checksum();
        acct = s.acct();
        tcpBeLiberal = s.tcpBeLiberal();
    }
}
