package org.vnetlab.emulator.libvirt.driver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.libvirt.ArticleDocuments;
import org.vnetlab.emulator.libvirt.SharedData;

/**
 * {@code virsh net-dumpxml} prints libvirt's re-serialisation of what it parsed (virNetworkDefFormat), not the
 * user's text: single quotes, two-space indents, libvirt's element and attribute order, defaults spelled out,
 * a generated MAC for the bridge, {@code forward dev=} turned into the pool's first {@code <interface>}.
 */
class NetDumpxmlTest {
    private final DriverRig rig = new DriverRig();

    private String defineAndDump(String file, String xml) throws Exception {
        rig.files.put(file, xml);
        VirshResult r = rig.virsh.run("virsh net-define " + file);
        assertThat(r.stderr()).isEmpty();
        String name = r.stdout().split(" ")[1];
        String dump = rig.virsh.run("virsh net-dumpxml " + name).stdout();
        String mac = rig.daemon.definition(name).mac().map(Object::toString).orElse("");
        assertThat(mac).startsWith("52:54:00:");
        return dump.replace("  <mac address='" + mac + "'/>\n", "  <mac address='(generated)'/>\n");
    }

    private static String shared(String name) {
        return SharedData.read(SharedData.libvirt("tests/networkxml2confdata/" + name));
    }

    @Test
    void forwardDevBecomesThePoolsInterfaceAndForwardersKeepDomainBeforeAddr() throws Exception {
        assertThat(defineAndDump("fwd.xml", shared("nat-network-dns-forwarders.xml"))).isEqualTo("""
                <network>
                  <name>default</name>
                  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9c</uuid>
                  <forward dev='eth0' mode='nat'>
                    <interface dev='eth0'/>
                  </forward>
                  <bridge name='virbr0' stp='on' delay='0'/>
                  <mac address='(generated)'/>
                  <dns>
                    <forwarder addr='8.8.8.8'/>
                    <forwarder addr='8.8.4.4'/>
                    <forwarder domain='example.com' addr='192.168.1.1'/>
                    <forwarder domain='www.example.com'/>
                  </dns>
                  <ip address='192.168.122.1' netmask='255.255.255.0'>
                  </ip>
                </network>

                """);
    }

    @Test
    void leaseTimesAndStaticHostsComeBackAsWritten() throws Exception {
        String in = shared("leasetime-seconds.xml");
        String expected = in.replace("  <bridge name='virbr0' stp='on' delay='0'/>\n",
                "  <bridge name='virbr0' stp='on' delay='0'/>\n  <mac address='(generated)'/>\n");
        assertThat(defineAndDump("lease.xml", in)).isEqualTo(expected + "\n");
    }

    @Test
    void dnsmasqOptionsKeepTheirNamespaceAndElementsAreReordered() throws Exception {
        assertThat(defineAndDump("opts.xml", shared("dnsmasq-options.xml"))).isEqualTo("""
                <network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>
                  <name>default</name>
                  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>
                  <forward dev='eth1' mode='nat'>
                    <interface dev='eth1'/>
                  </forward>
                  <bridge name='virbr0' stp='on' delay='0'/>
                  <mac address='(generated)'/>
                  <ip address='192.168.122.1' netmask='255.255.255.0'>
                    <dhcp>
                      <range start='192.168.122.2' end='192.168.122.254'/>
                    </dhcp>
                  </ip>
                  <dnsmasq:options>
                    <dnsmasq:option value='foo=bar'/>
                    <dnsmasq:option value='cname=*.cloudapps.example.com,master.example.com'/>
                  </dnsmasq:options>
                </network>

                """);
    }

    @Test
    void anIsolatedNetworkGetsTheFirstFreeBridgeAndItsPrefixFormKept() throws Exception {
        String xml = "<network><ip prefix=\"24\" address=\"10.9.0.1\"/><name>lab</name></network>";
        String dump = defineAndDump("iso.xml", xml);
        assertThat(dump).matches("""
                (?s)<network>
                  <name>lab</name>
                  <uuid>[0-9a-f-]{36}</uuid>
                  <bridge name='virbr0' stp='on' delay='0'/>
                  <mac address='\\(generated\\)'/>
                  <ip address='10.9.0.1' prefix='24'>
                  </ip>
                </network>

                """);
    }

    @Test
    void theArticlesDumpRoundTripsExactlyAndOnlyLiveXmlCountsConnections() throws Exception {
        String article = ArticleDocuments.dumpXml();
        rig.daemon.adopt(article, true);
        rig.daemon.plugGuest("win10", "default", org.vnetlab.protocols.MacAddress.parse("52:54:00:3b:7d:11"));
        assertThat(rig.virsh.run("virsh net-dumpxml default").stdout()).isEqualTo(article + "\n");
        assertThat(rig.virsh.run("virsh net-dumpxml --inactive default").stdout())
                .isEqualTo(article.replace("<network connections='1'>", "<network>") + "\n");
    }

    @Test
    void unknownElementsAreDroppedWithoutValidationAndRefusedWithIt() throws Exception {
        String edit = ArticleDocuments.solution2Edit();
        rig.files.put("edit.xml", edit);
        VirshResult strict = rig.virsh.run("virsh net-define --validate edit.xml");
        assertThat(strict.exitStatus()).isEqualTo(1);
        assertThat(strict.stderr()).contains("Extra element ip in interleave");
        VirshResult lenient = rig.virsh.run("virsh net-define edit.xml");
        assertThat(lenient.stdout()).isEqualTo("Network default defined from edit.xml\n\n");
        assertThat(rig.virsh.run("virsh net-dumpxml default").stdout()).doesNotContain("dns");
        assertThat(rig.daemon.notes()).contains("network 'default': libvirt ignores /network/ip/dns");
    }

    @Test
    void editingARunningNetworkChangesOnlyItsNextConfiguration() throws Exception {
        rig.daemon.adopt(ArticleDocuments.dumpXml(), true);
        VirshResult r = rig.virsh.netEdit("default", xml -> xml.replace("192.168.122.254", "192.168.122.100"));
        assertThat(r.stdout()).isEqualTo("Network default XML configuration edited.\n\n");
        assertThat(rig.virsh.run("virsh net-dumpxml default").stdout()).contains("end='192.168.122.254'");
        assertThat(rig.virsh.run("virsh net-dumpxml --inactive default").stdout()).contains("end='192.168.122.100'");
        assertThat(rig.virsh.netEdit("default", xml -> xml).stdout()).isEqualTo("Network default XML configuration not changed.\n\n");
        rig.virsh.run("virsh net-destroy default");
        rig.virsh.run("virsh net-start default");
        assertThat(rig.virsh.run("virsh net-dumpxml default").stdout()).contains("end='192.168.122.100'");
    }

    @Test
    void aRefusedEditShowsLibvirtsErrorAndThePrompt() throws Exception {
        rig.daemon.adopt(ArticleDocuments.dumpXml(), true);
        VirshResult r = rig.virsh.netEdit("default", xml -> xml.replace("192.168.122.254", "192.168.123.254"));
        assertThat(r.exitStatus()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("error: internal error: range 192.168.122.2 - 192.168.123.254 is not entirely within"
                + " network 192.168.122.0/24\n");
        assertThat(r.stdout()).isEqualTo("\rFailed. Try again? [y,n,f,?]: \r\n\n");
    }
}
