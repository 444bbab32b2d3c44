package org.vnetlab.emulator.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.xml.SecureXmlReader;

/**
 * Hostile network XML that stays under the byte limit but tries the parser's other limits: tens of thousands
 * of elements, one element with more attributes than the JDK's secure processing allows, a name longer
 * than its name limit, a near-megabyte attribute value, XInclude. Each ends as a model or a clear
 * InputException naming the place; none makes the reader fetch anything. (DTDs, entities, XXE, the byte and
 * depth limits: NetworkXmlParserTest.)
 */
class XmlResourceLimitsTest {
    static final String HEAD = "<network>\n  <name>big</name>\n  <bridge name='virbr9'/>\n";

    @Test
    void tensOfThousandsOfDhcpHostsStillParseIntoAModel() throws InputException {
        StringBuilder sb = new StringBuilder(HEAD).append("  <ip address='10.9.0.1' prefix='16'>\n    <dhcp>\n");
        int hosts = 0;
        for (int i = 0; sb.length() < SecureXmlReader.MAX_BYTES - 200; i++, hosts++) {
            sb.append("<host ip='10.9.").append(i / 250 + 1).append('.').append(i % 250 + 1).append("'/>\n");
        }
        sb.append("    </dhcp>\n  </ip>\n</network>\n");

        InputException e = catchThrowableOfType(InputException.class, () -> NetworkXmlParser.parse("many.xml", sb.toString()));

        // a <host> needs a MAC or a name in libvirt: refused at the first one, by line, not after building 20 000
        assertThat(hosts).isGreaterThan(20_000);
        assertThat(e).isNotNull();
        assertThat(e.line()).isEqualTo(6);
    }

    @Test
    void moreAttributesThanSecureProcessingAllowsIsAWellFormednessError() {
        StringBuilder sb = new StringBuilder("<network");
        for (int i = 0; i < 10_001; i++) sb.append(" a").append(i).append("=''");
        sb.append("><name>n</name></network>");

        InputException e = catchThrowableOfType(InputException.class, () -> NetworkXmlParser.parse("attrs.xml", sb.toString()));

        assertThat(e).isNotNull();
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.problem()).startsWith("not well-formed XML");
    }

    @Test
    void anElementNameBeyondTheNameLimitIsRefused() {
        String xml = "<network><" + "n".repeat(5000) + "/></network>";

        InputException e = catchThrowableOfType(InputException.class, () -> NetworkXmlParser.parse("name.xml", xml));

        assertThat(e).isNotNull();
        assertThat(e.problem()).startsWith("not well-formed XML");
    }

    @Test
    void aNearMegabyteAttributeIsReadAndRefusedWithAShortMessage() {
        String value = "1".repeat(SecureXmlReader.MAX_BYTES - 200);
        String xml = HEAD + "  <ip address='" + value + "' prefix='24'/>\n</network>\n";

        InputException e = catchThrowableOfType(InputException.class, () -> NetworkXmlParser.parse("attr.xml", xml));

        assertThat(e).isNotNull();
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.getMessage()).hasSizeLessThan(1000);
    }

    @Test
    void xincludeIsNotFollowed() {
        String xml = "<network xmlns:xi='http://www.w3.org/2001/XInclude'><name>x</name>"
                + "<xi:include href='file:///etc/passwd' parse='text'/></network>";

        InputException e = catchThrowableOfType(InputException.class, () -> NetworkXmlParser.parse("xi.xml", xml));

        // read as an element libvirt does not know, never as an instruction to read /etc/passwd
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).doesNotContain("root:");
    }
}
