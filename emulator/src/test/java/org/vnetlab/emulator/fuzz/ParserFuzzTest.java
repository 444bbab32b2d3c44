package org.vnetlab.emulator.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.vnetlab.emulator.input.InputException;

/**
 * One Jazzer harness per parser of user input ({@link TextParsers}): whatever the text, the parser returns a
 * model or throws a well-formed {@link InputException}; any other exception, a hang or an attack on the host
 * (Jazzer's sanitizers watch for file, network, command and regex abuse) is a finding. Under {@code mvn test}
 * each harness replays its seeds in {@code ParserFuzzTestInputs/<method>/}; with {@code JAZZER_FUZZ=1} it
 * fuzzes (docs/reliability.md).
 */
class ParserFuzzTest {
    private static final String FILE = "fuzzed.txt";

    private static void check(TextParser parser, byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            parser.parse(FILE, text);
        } catch (InputException e) {
            InputErrors.assertWellFormed(e, FILE);
        }
    }

    @FuzzTest
    void iptablesSave(byte[] data) { check(TextParsers.IPTABLES_SAVE, data); }

    @FuzzTest
    void iptablesScript(byte[] data) { check(TextParsers.IPTABLES_SCRIPT, data); }

    @FuzzTest
    void iptablesCommand(byte[] data) { check(TextParsers.IPTABLES_COMMAND, data); }

    @FuzzTest
    void libvirtCommandLog(byte[] data) { check(TextParsers.LIBVIRT_COMMAND_LOG, data); }

    @FuzzTest
    void networkXml(byte[] data) { check(TextParsers.NETWORK_XML, data); }

    @FuzzTest
    void networkSchema(byte[] data) { check(TextParsers.NETWORK_SCHEMA, data); }

    @FuzzTest
    void dnsmasqConf(byte[] data) { check(TextParsers.DNSMASQ_CONF, data); }

    @FuzzTest
    void dnsmasqDhcpHosts(byte[] data) { check(TextParsers.DNSMASQ_DHCP_HOSTS, data); }

    @FuzzTest
    void dnsmasqAddnHosts(byte[] data) { check(TextParsers.DNSMASQ_ADDN_HOSTS, data); }

    @FuzzTest
    void ipRoute(byte[] data) { check(TextParsers.IP_ROUTE, data); }

    @FuzzTest
    void routeN(byte[] data) { check(TextParsers.ROUTE_N, data); }

    @FuzzTest
    void ipAddr(byte[] data) { check(TextParsers.IP_ADDR, data); }

    @FuzzTest
    void ipBrief(byte[] data) { check(TextParsers.IP_BRIEF, data); }

    @FuzzTest
    void sysctlDump(byte[] data) { check(TextParsers.SYSCTL_DUMP, data); }

    @FuzzTest
    void sysctlConf(byte[] data) { check(TextParsers.SYSCTL_CONF, data); }

    @FuzzTest
    void sysctlLoad(byte[] data) { check(TextParsers.SYSCTL_LOAD, data); }

    @FuzzTest
    void resolvConf(byte[] data) { check(TextParsers.RESOLV_CONF, data); }

    @FuzzTest
    void ipconfig(byte[] data) { check(TextParsers.IPCONFIG, data); }

    @FuzzTest
    void hostDumpFile(byte[] data) { check(TextParsers.HOST_DUMP_FILE, data); }

    @FuzzTest
    void ipsetSave(byte[] data) { check(TextParsers.IPSET_SAVE, data); }

    @FuzzTest
    void networkConf(byte[] data) { check(TextParsers.NETWORK_CONF, data); }

    @FuzzTest
    void nftFile(byte[] data) { check(TextParsers.NFT_FILE, data); }

    @FuzzTest
    void nftCommands(byte[] data) { check(TextParsers.NFT_COMMANDS, data); }

    @FuzzTest
    void iptablesRestore(byte[] data) { check(TextParsers.IPTABLES_RESTORE, data); }
}
