package org.vnetlab.emulator.dnsmasq;

import java.util.HashMap;
import java.util.Map;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqConfParser;

/** Settings read from real configuration text: the reference host's conf and libvirt's test confs. */
final class Configurations {
    static final String REF_HOSTSFILE = "/tmp/vo-oracle.4jT0KJ/default.hostsfile";
    static final String REF_ADDNHOSTS = "/tmp/vo-oracle.4jT0KJ/default.addnhosts";
    static final String LIBVIRT_HOSTSFILE = "/var/lib/libvirt/dnsmasq/default.hostsfile";
    static final String LIBVIRT_ADDNHOSTS = "/var/lib/libvirt/dnsmasq/default.addnhosts";

    private Configurations() {}

    /** The conf dnsmasq 2.90 ran with on the reference host, with these side-file contents (default: empty). */
    static DnsmasqSettings reference(Map<String, String> sideFiles) {
        Map<String, String> files = new HashMap<>(Map.of(REF_HOSTSFILE, "", REF_ADDNHOSTS, ""));
        files.putAll(sideFiles);
        return read("dnsmasq-default.conf", ReferenceFrames.articleText("dnsmasq-default.conf"), files);
    }

    /** One of libvirt's networkxml2confdata outputs, with libvirt's default side files empty unless given. */
    static DnsmasqSettings libvirt(String conf, Map<String, String> sideFiles) throws InputException {
        Map<String, String> files = new HashMap<>(Map.of(LIBVIRT_HOSTSFILE, "", LIBVIRT_ADDNHOSTS, "",
                "/var/lib/libvirt/dnsmasq/private.hostsfile", "", "/var/lib/libvirt/dnsmasq/private.addnhosts", "",
                "/var/lib/libvirt/dnsmasq/local.addnhosts", ""));
        files.putAll(sideFiles);
        String text = ReferenceFiles.libvirt("tests/networkxml2confdata/" + conf);
        return LibvirtSettings.from(conf, DnsmasqConfParser.parse(conf, text), files);
    }

    private static DnsmasqSettings read(String name, String text, Map<String, String> files) {
        try {
            return LibvirtSettings.from(name, DnsmasqConfParser.parse(name, text), files);
        } catch (InputException e) {
            throw new AssertionError(e);
        }
    }
}
