package org.vnetlab.scenarios.expect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.scenarios.expect.Observation.DnsOutcome;
import org.vnetlab.scenarios.expect.Observation.Icmp;
import org.vnetlab.scenarios.expect.Observation.Probe;
import org.vnetlab.scenarios.expect.Observation.Resolution;

/** Expectations against observations: each kind holds exactly when the network did that, and says what it saw otherwise. */
class ExpectationTest {

    static Ipv4Address ip(String s) { return Ipv4Address.parse(s); }

    static Observed seen(int exit, Observation... obs) { return new Observed("", "", exit, List.of(obs)); }

    static Expectation.Check check(String expectation, Observed o) throws ExpectationSyntaxException {
        return ExpectationParser.parse(expectation).check(o);
    }

    static final Observed REPLY = seen(0, Probe.reply(ip("8.8.8.8")));
    static final Observed TIMEOUT = seen(1, Probe.timeout());
    // the article host's REJECT answering an inbound ping: port unreachable from the host's LAN address
    static final Observed REJECTED = seen(1, Probe.icmp(new Icmp(3, 3, ip("192.168.0.10"))));
    static final Observed TTL = seen(1, Probe.icmp(new Icmp(11, 0, ip("192.168.0.1"))));
    static final Observed RST = seen(1, Probe.reset(ip("142.250.1.1")));

    @Test
    void probeOutcomes() throws Exception {
        assertThat(check("reply", REPLY).passed()).isTrue();
        assertThat(check("reply from 8.8.8.8", REPLY).passed()).isTrue();
        assertThat(check("reply from 1.1.1.1", REPLY)).isEqualTo(new Expectation.Check(false, "reply from 1.1.1.1", "reply from 8.8.8.8"));
        assertThat(check("reply", TIMEOUT)).isEqualTo(new Expectation.Check(false, "reply", "timeout"));
        assertThat(check("timeout", TIMEOUT).passed()).isTrue();
        assertThat(check("timeout", REPLY).got()).isEqualTo("reply from 8.8.8.8");
        assertThat(check("reset", RST).passed()).isTrue();
        assertThat(check("reset", REJECTED).got()).isEqualTo("unreachable port from 192.168.0.10");
        assertThat(check("ttl-exceeded from 192.168.0.1", TTL).passed()).isTrue();
    }

    @Test
    void unreachableWithCodeAndSender() throws Exception {
        assertThat(check("unreachable", REJECTED).passed()).isTrue();
        assertThat(check("unreachable port", REJECTED).passed()).isTrue();
        assertThat(check("unreachable icmp-port-unreachable from 192.168.0.10", REJECTED).passed()).isTrue();
        assertThat(check("unreachable code 3", REJECTED).passed()).isTrue();
        assertThat(check("unreachable admin-prohibited", REJECTED))
                .isEqualTo(new Expectation.Check(false, "unreachable admin-prohibited", "unreachable port from 192.168.0.10"));
        assertThat(check("unreachable host from 192.168.0.10", REJECTED).passed()).isFalse();
    }

    @Test
    void leases() throws Exception {
        Observed lease = seen(0, new Observation.Lease(ip("192.168.122.55"), 24, Optional.of(ip("192.168.122.1")),
                List.of(ip("192.168.122.1")), Optional.of(ip("192.168.122.1"))));
        assertThat(check("lease", lease).passed()).isTrue();
        assertThat(check("lease 192.168.122.0/24 gateway 192.168.122.1 dns 192.168.122.1", lease).passed()).isTrue();
        assertThat(check("lease 192.168.122.55 server 192.168.122.1", lease).passed()).isTrue();
        assertThat(check("lease 192.168.122.0/25", lease).passed()).isFalse();
        assertThat(check("lease dns 8.8.8.8,1.1.1.1", lease))
                .isEqualTo(new Expectation.Check(false, "lease dns 8.8.8.8,1.1.1.1",
                        "lease 192.168.122.55/24 gateway 192.168.122.1 dns 192.168.122.1 server 192.168.122.1"));
        Observed none = seen(1, new Observation.NoLease("no DHCPOFFER"));
        assertThat(check("lease", none).got()).isEqualTo("no-lease (no DHCPOFFER)");
        assertThat(check("no lease", none).passed()).isTrue();
        assertThat(check("no-lease", lease).passed()).isFalse();
    }

    @Test
    void nameLookups() throws Exception {
        Observed answer = seen(0, new Resolution(DnsOutcome.ANSWER, "google.com", List.of(ip("142.250.1.1")), Optional.of(ip("192.168.122.1"))));
        Observed servfail = seen(1, new Resolution(DnsOutcome.SERVFAIL, "google.com", List.of(), Optional.empty()));
        Observed silent = seen(1, new Resolution(DnsOutcome.TIMEOUT, "google.com", List.of(), Optional.empty()));
        assertThat(check("142.250.1.1", answer).passed()).isTrue();
        assertThat(check("resolves 142.250.1.1", answer).passed()).isTrue();
        assertThat(check("142.250.72.14", answer).got()).isEqualTo("resolves 142.250.1.1");
        assertThat(check("SERVFAIL", servfail).passed()).isTrue();
        assertThat(check("NXDOMAIN", servfail).got()).isEqualTo("SERVFAIL");
        assertThat(check("refused", servfail).passed()).isFalse();
        assertThat(check("timeout", silent).passed()).isTrue();
        assertThat(check("142.250.1.1", silent).got()).isEqualTo("timeout");
    }

    @Test
    void pingingANameThatDoesNotResolveSaysSo() throws Exception {
        Observed o = seen(1, new Resolution(DnsOutcome.TIMEOUT, "google.com", List.of(), Optional.empty()));
        assertThat(check("reply", o).got()).isEqualTo("timeout");
    }

    @Test
    void exitStatusAndText() throws Exception {
        Observed virshError = new Observed("", "error: Failed to define network from default.xml\n"
                + "error: XML document failed to validate against schema\n", 1, List.of());
        assertThat(check("error", virshError).passed()).isTrue();
        assertThat(check("exit 1", virshError).passed()).isTrue();
        assertThat(check("error failed to VALIDATE   against", virshError).passed()).isTrue();
        assertThat(check("error \"not allowed\"", virshError).got()).isEqualTo("exit 1: \"error: Failed to define network from default.xml\"");
        assertThat(check("ok", virshError)).isEqualTo(new Expectation.Check(false, "ok",
                "exit 1: \"error: Failed to define network from default.xml\""));
        Observed started = Observed.text("Network default started\n\n", 0);
        assertThat(check("ok output \"Network default started\"", started).passed()).isTrue();
        assertThat(check("error", started).got()).isEqualTo("exit 0: \"Network default started\"");
        assertThat(check("exit 0", started).passed()).isTrue();
    }

    @Test
    void aProbeExpectationOnACommandThatSentNothing() throws Exception {
        assertThat(check("reply", Observed.text("Network default started\n", 0)).got())
                .isEqualTo("exit 0: \"Network default started\"");
    }

    @Test
    void clausesCombine() throws Exception {
        assertThat(ExpectationParser.parse("exit 1 error \"Index of deletion too big\"").clauses()).hasSize(2);
        assertThat(ExpectationParser.parse("unreachable port from 192.168.0.10").describe())
                .isEqualTo("unreachable port from 192.168.0.10");
    }
}
