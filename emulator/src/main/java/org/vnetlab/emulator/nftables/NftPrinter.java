package org.vnetlab.emulator.nftables;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code nft list} output, byte for byte as nft 1.0.6 prints it: tables one after another, inside a table its
 * sets then its chains separated by blank lines, one tab per level, rules in canonical form with counters as
 * loaded plus what the engine counted, {@code # handle N} comments with {@code -a}, and named sets' elements
 * wrapped the way nft wraps them (5 per line for numbers, ports and protocols; 2 for IPv4 addresses and
 * conntrack states; one per line for other types; anonymous sets on one line).
 */
public final class NftPrinter {
    private static final String WRAP = ",\n\t\t\t     ";

    /** Where the rules of tables another tool manages count (iptables-nft's rules count in iptables' counters). */
    @FunctionalInterface
    public interface ManagedCounters {
        /** Packets and bytes of rule {@code index} (0-based) of {@code chain} in {@code table}, if known. */
        java.util.Optional<Stmt.Counter> counter(NftTable table, String chain, int index);
    }

    private static final java.util.regex.Pattern COUNTER = java.util.regex.Pattern.compile("counter packets \\d+ bytes \\d+");

    private final NftCounters counters;
    private final boolean handles;
    private final ManagedCounters managed;

    public NftPrinter(NftCounters counters, boolean handles) { this(counters, handles, (t, c, i) -> java.util.Optional.empty()); }

    public NftPrinter(NftCounters counters, boolean handles, ManagedCounters managed) {
        this.counters = counters;
        this.handles = handles;
        this.managed = managed;
    }

    /** Without counts and handles: how the ruleset was loaded. */
    public static NftPrinter plain() { return new NftPrinter(new NftCounters(), false); }

    /** {@code nft list ruleset [FAMILY]}. */
    public String ruleset(NftRuleset r, Optional<Family> family) {
        StringBuilder sb = new StringBuilder();
        for (NftTable t : r.tables()) if (family.isEmpty() || t.family() == family.get()) sb.append(table(t));
        return sb.toString();
    }

    public String ruleset(NftRuleset r) { return ruleset(r, Optional.empty()); }

    /** {@code nft list table FAMILY NAME}. */
    public String table(NftTable t) {
        StringBuilder sb = new StringBuilder("table ").append(t.id()).append(" {").append(handle(t.handle())).append('\n');
        t.comment().ifPresent(c -> sb.append("\tcomment \"").append(c).append("\"\n"));
        List<String> blocks = new ArrayList<>();
        for (NftSet s : t.sets()) blocks.add(set(t, s));
        for (NftChain c : t.chains()) blocks.add(chain(t, c));
        sb.append(String.join("\n", blocks));
        return sb.append("}\n").toString();
    }

    /** {@code nft list chain FAMILY TABLE NAME}: the chain inside its table's braces. */
    public String chainInTable(NftTable t, NftChain c) {
        return "table " + t.id() + " {\n" + chain(t, c) + "}\n";
    }

    /** {@code nft list set FAMILY TABLE NAME}. */
    public String setInTable(NftTable t, NftSet s) {
        return "table " + t.id() + " {\n" + set(t, s) + "}\n";
    }

    /** {@code nft list tables}. */
    public String tables(NftRuleset r, Optional<Family> family) {
        StringBuilder sb = new StringBuilder();
        for (NftTable t : r.tables()) if (family.isEmpty() || t.family() == family.get()) sb.append("table ").append(t.id()).append('\n');
        return sb.toString();
    }

    /** {@code nft list chains}: each table with its chains' headers only. */
    public String chains(NftRuleset r, Optional<Family> family) {
        StringBuilder sb = new StringBuilder();
        for (NftTable t : r.tables()) {
            if (family.isPresent() && t.family() != family.get()) continue;
            sb.append("table ").append(t.id()).append(" {\n");
            for (NftChain c : t.chains()) {
                sb.append("\tchain ").append(c.name()).append(" {\n");
                c.base().ifPresent(b -> sb.append("\t\t").append(b.text(t.family())).append('\n'));
                sb.append("\t}\n");
            }
            sb.append("}\n");
        }
        return sb.toString();
    }

    String chain(NftTable t, NftChain c) {
        StringBuilder sb = new StringBuilder("\tchain ").append(c.name()).append(" {").append(handle(c.handle())).append('\n');
        c.comment().ifPresent(x -> sb.append("\t\tcomment \"").append(x).append("\"\n"));
        c.base().ifPresent(b -> sb.append("\t\t").append(b.text(t.family())).append('\n'));
        for (int i = 0; i < c.rules().size(); i++) {
            NftRule r = c.rules().get(i);
            String text = rule(t, r);
            if (t.managedBy().isPresent()) {
                java.util.Optional<Stmt.Counter> now = managed.counter(t, c.name(), i);
                if (now.isPresent()) text = COUNTER.matcher(text).replaceFirst(now.get().text(t.family()));
            }
            sb.append("\t\t").append(text).append(handle(r.handle())).append('\n');
        }
        return sb.append("\t}\n").toString();
    }

    /** A rule's text with its counters as they stand now. */
    public String rule(NftTable t, NftRule r) {
        List<Stmt> shown = new ArrayList<>();
        for (int i = 0; i < r.statements().size(); i++) {
            Stmt s = r.statements().get(i);
            if (s instanceof Stmt.Counter c) s = counters.current(new NftCounters.Key(t.handle(), r.handle(), i), c);
            shown.add(s);
        }
        return new NftRule(r.handle(), shown, r.comment()).text(t.family());
    }

    String set(NftTable t, NftSet s) {
        StringBuilder sb = new StringBuilder("\t").append(s.isVerdictMap() ? "map " : "set ").append(s.name()).append(" {")
                .append(handle(s.handle())).append('\n');
        sb.append("\t\t").append(s.typeof().map(x -> "typeof " + x.text()).orElse("type " + s.keyType().nftName()));
        if (s.isVerdictMap()) sb.append(" : verdict");
        sb.append('\n');
        if (!s.flags().isEmpty()) {
            List<String> f = new ArrayList<>();
            for (NftSet.Flag x : NftSet.Flag.values()) if (s.flags().contains(x)) f.add(x.text());
            sb.append("\t\tflags ").append(String.join(",", f)).append('\n');
        }
        if (s.autoMerge()) sb.append("\t\tauto-merge\n");
        s.comment().ifPresent(c -> sb.append("\t\tcomment \"").append(c).append("\"\n"));
        if (!s.elements().isEmpty()) {
            sb.append("\t\telements = { ");
            int perLine = perLine(s.keyType());
            int count = 0;
            for (int i = 0; i < s.elements().size(); i++) {
                NftSet.Element e = s.elements().get(i);
                if (i > 0) {
                    if (perLine > 0 && count < perLine) {
                        sb.append(", ");
                    } else {
                        sb.append(WRAP);
                        count = 0;
                    }
                }
                sb.append(Stmt.elementText(s.keyType(), e.key()));
                e.verdict().ifPresent(v -> sb.append(" : ").append(v.text()));
                count++;
            }
            sb.append(" }\n");
        }
        return sb.append("\t}\n").toString();
    }

    /** nft's calculate_delim: how many elements of a named set share a line (0: one per line). */
    private static int perLine(DataType t) {
        return switch (t) {
            case NFPROTO, INET_PROTO, INET_SERVICE, TCP_FLAG, MARK, IFACE, CT_DIR -> 5;
            case IPV4_ADDR, CT_STATE, CT_STATUS, PKTTYPE -> 2;
            default -> 0;
        };
    }

    private String handle(long h) { return handles ? " # handle " + h : ""; }
}
