package org.vnetlab.emulator.hostconf.guest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.emulator.hostconf.text.NotedLine;
import org.vnetlab.emulator.hostconf.text.ShellPrompt;
import org.vnetlab.emulator.hostconf.text.SourceText;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * Reads English {@code ipconfig} and {@code ipconfig /all} output (Windows XP to 11; CRLF or LF; a pasted
 * prompt line; just one adapter block, as users often paste). Field lines are
 * {@code    Label . . . . : value}, continuation lines (more DNS servers or gateways) are indented to the
 * value column. Labels vnetlab does not know are kept as fields; a block with no known label at all (another
 * language) is an error.
 */
public final class IpconfigParser {
    private static final Pattern HEADER = Pattern.compile("^(Windows(?: \\S+)? IP Configuration)\\s*$");
    private static final Pattern ADAPTER = Pattern.compile("^(\\S.*?) adapter (.+):\\s*$");
    private static final Pattern STATE = Pattern.compile("^(.*?)\\((Preferred|Duplicate|Tentative|Deprecated)\\)$");

    private IpconfigParser() {}

    public static WindowsIpconfig parse(String file, String content) throws InputException {
        SourceText src = SourceText.of(file, content);
        List<IpconfigField> global = new ArrayList<>();
        List<IpconfigAdapter> adapters = new ArrayList<>();
        List<NotedLine> noted = new ArrayList<>();
        String kind = null, name = null;
        int adapterLine = 0;
        List<IpconfigField> fields = null;
        List<IpconfigField> target = global;
        boolean sawHeader = false;
        for (int n = 1; n <= src.lineCount(); n++) {
            String line = src.line(n);
            if (SourceText.isBlank(line)) continue; // Windows separates every block with blank lines
            if (ShellPrompt.isCommandEcho(line, "ipconfig")) {
                noted.add(new NotedLine(n, line, "shell prompt with the command"));
                continue;
            }
            Matcher h = HEADER.matcher(line);
            if (h.matches()) {
                if (sawHeader || !adapters.isEmpty() || fields != null) throw src.error(n, 1, line.strip(), "second ipconfig output in one file");
                sawHeader = true;
                continue;
            }
            Matcher a = ADAPTER.matcher(line);
            if (a.matches()) {
                if (fields != null) adapters.add(finish(src, adapterLine, kind, name, fields));
                kind = a.group(1);
                name = a.group(2);
                adapterLine = n;
                fields = new ArrayList<>();
                target = fields;
                continue;
            }
            int indent = SourceText.indent(line) - 1;
            if (indent == 0) throw src.error(n, 1, line.split("\\s+")[0], "not ipconfig output",
                    "vnetlab reads English ipconfig; a header reads 'Ethernet adapter NAME:'");
            int colon = leaderColon(line);
            if (colon < 0 && indent < 20) colon = line.indexOf(':'); // "Label: value" without a leader (other languages)
            if (colon > 0) {
                String label = line.substring(0, colon).strip();
                while (label.endsWith(".") || label.endsWith(" ")) label = label.substring(0, label.length() - 1);
                String value = line.substring(colon + 1).strip();
                if (label.isEmpty()) throw src.error(n, indent + 1, line.strip(), "field without a label");
                String after = line.substring(colon + 1);
                check(src, n, colon + 2 + after.length() - after.stripLeading().length(), label, value);
                target.add(new IpconfigField(label, value.isEmpty() ? List.of() : List.of(value)));
            } else if (indent >= 20 && !target.isEmpty()) {
                // a further value of the field above (DNS Servers, Default Gateway, DNS Suffix Search List)
                IpconfigField last = target.remove(target.size() - 1);
                String value = line.strip();
                check(src, n, indent + 1, last.label(), value);
                List<String> values = new ArrayList<>(last.values());
                values.add(value);
                target.add(new IpconfigField(last.label(), values));
            } else {
                throw src.error(n, indent + 1, line.strip().split("\\s+")[0], "not an ipconfig field line",
                        "fields read '   Label . . . . : value'");
            }
        }
        if (fields != null) adapters.add(finish(src, adapterLine, kind, name, fields));
        if (adapters.isEmpty()) {
            throw src.error(Math.max(1, src.lineCount()), 1, null, "no adapter block ('Ethernet adapter NAME:') in ipconfig output");
        }
        boolean detailed = !global.isEmpty() || adapters.stream().anyMatch(x -> x.field("Physical Address").isPresent()
                || x.field("Description").isPresent());
        return new WindowsIpconfig(detailed, global, adapters, noted);
    }

    /** Index of the colon that ends the dotted leader: the first ':' preceded by a blank or a dot. */
    private static int leaderColon(String line) {
        for (int i = 1; i < line.length(); i++) {
            if (line.charAt(i) == ':' && (line.charAt(i - 1) == ' ' || line.charAt(i - 1) == '.')) return i;
        }
        return -1;
    }

    private static IpconfigAdapter finish(SourceText src, int line, String kind, String name, List<IpconfigField> fields)
            throws InputException {
        boolean known = fields.stream().anyMatch(f -> IpconfigLabels.ADAPTER.contains(f.label()));
        if (!fields.isEmpty() && !known) {
            throw src.error(line, 1, kind + " adapter " + name, "no field label vnetlab knows in this adapter block",
                    "vnetlab reads English ipconfig output; run 'chcp 437' and paste it in English if you can");
        }
        return new IpconfigAdapter(kind, name, fields);
    }

    /** Values of typed fields must read as what they claim: an address, a mask, a MAC. */
    private static void check(SourceText src, int line, int column, String label, String value) throws InputException {
        if (value.isEmpty()) return;
        try {
            switch (label) {
                case "IPv4 Address": case "IP Address": case "Autoconfiguration IPv4 Address": case "Autoconfiguration IP Address": {
                    Matcher m = STATE.matcher(value);
                    Ipv4Address.parse(m.matches() ? m.group(1) : value);
                    break;
                }
                case "Subnet Mask":
                    if (Ipv4Prefix.maskLength(Ipv4Address.parse(value)) < 0) {
                        throw src.error(line, column, value, "subnet mask is not contiguous");
                    }
                    break;
                case "DHCP Server":
                    Ipv4Address.parse(value);
                    break;
                case "Physical Address":
                    // tunnel adapters print 8 bytes (00-00-00-00-00-00-00-E0); only 6-byte ones are MACs
                    if (value.split("-").length == 6) MacAddress.parse(value);
                    else if (!value.matches("[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2})*")) throw new IllegalArgumentException(value);
                    break;
                case "Default Gateway": case "DNS Servers":
                    if (!value.contains(":")) Ipv4Address.parse(value);
                    break;
                default:
                    break;
            }
        } catch (IllegalArgumentException e) {
            throw src.error(line, column, value, "not a valid " + label);
        }
    }
}
