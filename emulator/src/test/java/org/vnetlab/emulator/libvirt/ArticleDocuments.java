package org.vnetlab.emulator.libvirt;

import java.util.ArrayList;
import java.util.List;

/**
 * The network XML documents of the troubleshooting article, cut out of {@code ref/article/article.txt}: the
 * host's {@code virsh net-dumpxml default}, the "Solution 2" edit that puts {@code <dns>} inside {@code <ip>}
 * (which libvirt refuses), and that edit corrected, with {@code <dns>} directly under {@code <network>}.
 */
public final class ArticleDocuments {
    private ArticleDocuments() {}

    private static List<String> lines() {
        return SharedData.read(SharedData.root().resolve("ref/article/article.txt")).lines().toList();
    }

    /** The dumpxml output, as the article shows it. */
    public static String dumpXml() {
        return cut(lines(), "<network connections='1'>", 0);
    }

    /** The Solution 2 edit, as the user would paste it (the article's four-space indentation removed). */
    public static String solution2Edit() {
        List<String> all = lines();
        int start = indexOf(all, "Solution 2", 0);
        return cut(all, "    <network>", start);
    }

    /** Solution 2 with its {@code <dns>} block moved out of {@code <ip>} to directly under {@code <network>}. */
    public static String solution2Corrected() {
        List<String> in = solution2Edit().lines().toList();
        List<String> dns = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        boolean inDns = false;
        for (String l : in) {
            if (l.trim().startsWith("<dns")) inDns = true;
            if (inDns) dns.add(l.substring(2)); // one level shallower than inside <ip>
            else rest.add(l);
            if (l.trim().equals("</dns>")) inDns = false;
        }
        int ipEnd = rest.indexOf("  </ip>");
        List<String> out = new ArrayList<>(rest.subList(0, ipEnd + 1));
        out.addAll(dns);
        out.addAll(rest.subList(ipEnd + 1, rest.size()));
        return String.join("\n", out) + "\n";
    }

    private static int indexOf(List<String> lines, String marker, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) return i;
        }
        throw new IllegalStateException("article has no '" + marker + "'");
    }

    private static String cut(List<String> lines, String firstLine, int from) {
        int start = -1;
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).equals(firstLine)) {
                start = i;
                break;
            }
        }
        if (start < 0) throw new IllegalStateException("article has no line '" + firstLine + "'");
        String indent = firstLine.substring(0, firstLine.indexOf('<'));
        StringBuilder sb = new StringBuilder();
        for (int i = start; i < lines.size(); i++) {
            String l = lines.get(i);
            sb.append(l.startsWith(indent) ? l.substring(indent.length()) : l).append('\n');
            if (l.trim().equals("</network>")) return sb.toString();
        }
        throw new IllegalStateException("unterminated <network> in article");
    }
}
