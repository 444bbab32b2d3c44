package org.vnetlab.emulator.nftables.syntax;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.nftables.Family;
import org.vnetlab.emulator.nftables.NftCommand;
import org.vnetlab.emulator.nftables.NftCounters;
import org.vnetlab.emulator.nftables.NftPrinter;
import org.vnetlab.emulator.nftables.NftRuleset;
import org.vnetlab.emulator.nftables.NftScript;
import org.vnetlab.emulator.nftables.NftTable;
import org.vnetlab.emulator.nftables.Source;

/**
 * The {@code nft} command a sysadmin (or libvirt) types: options {@code -a} (handles), {@code -e} (echo what was
 * added), {@code -c} (check only), {@code -f FILE}, {@code -s} (stateless listing: no counter values) — also
 * combined ({@code -ae}) and long — then commands: {@code add|insert|replace|delete rule}, {@code add|create|delete|flush
 * table|chain|set|map}, {@code add|delete element}, {@code list ruleset|tables|table|chains|chain|set|map},
 * {@code flush ruleset}. The run is a transaction: exit 0 with the new ruleset, or exit 1 with nft's kind of
 * message and the ruleset unchanged.
 *
 * <p>Not reproduced: the {@code # new generation N by process PID (nft)} line {@code -e} prints (neither number
 * is knowable), JSON output ({@code -j}) and the interactive mode.
 */
public final class NftCommandLine {

    /** What a run printed and left behind. */
    public record Result(NftRuleset ruleset, int exitCode, String stdout, String stderr, List<NftRuleset.AddedRule> added) {
        public boolean ok() { return exitCode == 0; }
    }

    private record Options(boolean handles, boolean echo, boolean check, boolean stateless, Optional<String> file, List<String> words) {}

    private NftCommandLine() {}

    /**
     * Runs {@code nft ARGS} against {@code ruleset}; {@code counters} are what listings show; {@code files} gives the
     * content of a file named by {@code -f} (empty: no such file).
     */
    public static Result run(NftRuleset ruleset, NftCounters counters, List<String> args, Function<String, Optional<String>> files) {
        try {
            Options o = options(args);
            if (o.file.isPresent() && files.apply(o.file.get()).isEmpty()) {
                return failed(ruleset, "Error: Could not open file \"" + o.file.get() + "\": No such file or directory");
            }
            if (o.file.isEmpty() && o.words.isEmpty()) return failed(ruleset, "Error: no command given");
            return execute(ruleset, counters, args, files);
        } catch (InputException e) {
            return failed(ruleset, "Error: " + e.getMessage());
        }
    }

    /** The commands of {@code nft ARGS} as they will run (the file's, for {@code -f}); nothing is applied. */
    public static NftScript script(List<String> args, Function<String, Optional<String>> files) throws InputException {
        Options o = options(args);
        if (o.file.isPresent()) {
            Optional<String> text = files.apply(o.file.get());
            if (text.isEmpty()) throw new InputException("nft", 1, 0, o.file.get(), "Could not open file \"" + o.file.get() + "\": No such file or directory");
            return NftParser.parse(o.file.get(), text.get());
        }
        if (o.words.isEmpty()) throw new InputException("nft", 1, 0, null, "no command given", "e.g. nft list ruleset");
        return NftParser.parseCommandLine("nft", o.words);
    }

    /**
     * {@link #run}, with a failure raised as the {@link InputException} that made it (nothing changed then);
     * a successful run has exit code 0.
     */
    public static Result execute(NftRuleset ruleset, NftCounters counters, List<String> args, Function<String, Optional<String>> files)
            throws InputException {
        Options o = options(args);
        NftScript script = script(args, files);
        NftRuleset.Applied applied = ruleset.applyLogged(script);
        NftRuleset after = o.check ? ruleset : applied.ruleset();
        StringBuilder out = new StringBuilder();
        NftPrinter printer = new NftPrinter(o.stateless ? new NftCounters() : counters, o.handles);
        int addedIndex = 0;
        // listings see the state of the whole transaction, as nft prints them after the batch
        for (NftCommand c : script.commands()) {
            if (c instanceof NftCommand.Listing l) {
                out.append(listing(applied.ruleset(), printer, l));
            } else if (o.echo && !o.check) {
                if (c instanceof NftCommand.AddRule) {
                    out.append(echoRule(applied.ruleset(), printer, applied.added().get(addedIndex++), o.handles, (NftCommand.AddRule) c));
                } else if (c instanceof NftCommand.AddTable a) {
                    out.append("add table ").append(a.family()).append(' ').append(a.name()).append('\n');
                } else if (c instanceof NftCommand.AddChain a) {
                    NftTable t = applied.ruleset().table(a.family(), a.table()).orElseThrow();
                    var ch = t.chain(a.name()).orElseThrow();
                    out.append("add chain ").append(t.id()).append(' ').append(a.name());
                    ch.base().ifPresent(b -> out.append(" { ").append(b.text(t.family())).append(" }"));
                    if (o.handles) out.append(" # handle ").append(ch.handle());
                    out.append('\n');
                }
            } else if (c instanceof NftCommand.AddRule) {
                addedIndex++;
            }
        }
        return new Result(after, 0, out.toString(), "", o.check ? List.of() : applied.added());
    }

    private static Result failed(NftRuleset ruleset, String message) {
        return new Result(ruleset, 1, "", message + "\n", List.of());
    }

    private static String echoRule(NftRuleset r, NftPrinter printer, NftRuleset.AddedRule a, boolean handles, NftCommand.AddRule cmd) {
        NftTable t = r.table(a.family(), a.table()).orElseThrow();
        StringBuilder sb = new StringBuilder(a.insert() ? "insert" : "add").append(" rule ").append(t.id()).append(' ').append(a.chain());
        if (cmd.position().isPresent() && cmd.position().get() instanceof NftCommand.Position.Handle h) {
            sb.append(" handle ").append(h.handle());
        }
        sb.append(' ').append(printer.rule(t, a.rule()));
        if (handles) sb.append(" # handle ").append(a.rule().handle());
        return sb.append('\n').toString();
    }

    private static String listing(NftRuleset r, NftPrinter p, NftCommand.Listing l) throws InputException {
        Source src = l.source();
        switch (l.what()) {
            case RULESET:
                return p.ruleset(r, l.family());
            case TABLES:
                return p.tables(r, l.family());
            case CHAINS:
                return p.chains(r, l.family());
            case SETS: {
                StringBuilder sb = new StringBuilder();
                for (NftTable t : r.tables()) {
                    if (l.family().isPresent() && t.family() != l.family().get()) continue;
                    for (var s : t.sets()) sb.append(p.setInTable(t, s));
                }
                return sb.toString();
            }
            default:
                break;
        }
        Family f = l.family().orElse(Family.IP);
        NftTable t = r.table(f, l.table().get()).orElseThrow(() -> src.error("No such file or directory"));
        return switch (l.what()) {
            case TABLE -> p.table(t);
            case CHAIN -> p.chainInTable(t, t.chain(l.name().get()).orElseThrow(() -> src.error("No such file or directory")));
            default -> p.setInTable(t, t.set(l.name().get()).orElseThrow(() -> src.error("No such file or directory")));
        };
    }

    private static Options options(List<String> args) throws InputException {
        boolean handles = false, echo = false, check = false, stateless = false;
        Optional<String> file = Optional.empty();
        int i = 0;
        if (!args.isEmpty() && (args.get(0).equals("nft") || args.get(0).endsWith("/nft"))) i++;
        for (; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("-") || a.equals("-") || isNumber(a)) break;
            if (a.startsWith("--")) {
                switch (a) {
                    case "--handle" -> handles = true;
                    case "--echo" -> echo = true;
                    case "--check" -> check = true;
                    case "--stateless" -> stateless = true;
                    case "--file" -> {
                        if (++i >= args.size()) throw new InputException("nft", 1, 0, a, "--file needs a file name");
                        file = Optional.of(args.get(i));
                    }
                    default -> throw new InputException("nft", 1, 0, a, "unsupported nft option");
                }
                continue;
            }
            for (int k = 1; k < a.length(); k++) {
                char c = a.charAt(k);
                switch (c) {
                    case 'a' -> handles = true;
                    case 'e' -> echo = true;
                    case 'c' -> check = true;
                    case 's' -> stateless = true;
                    case 'n' -> { } // numeric output is already nft 1.0.6's default for ports and protocols here
                    case 'f' -> {
                        if (k + 1 < a.length()) {
                            file = Optional.of(a.substring(k + 1));
                        } else {
                            if (++i >= args.size()) throw new InputException("nft", 1, 0, a, "-f needs a file name");
                            file = Optional.of(args.get(i));
                        }
                        k = a.length();
                    }
                    case 'j' -> throw new InputException("nft", 1, 0, a, "JSON output (-j) is not supported");
                    default -> throw new InputException("nft", 1, 0, a, "unsupported nft option -" + c);
                }
            }
        }
        List<String> words = new ArrayList<>(args.subList(Math.min(i, args.size()), args.size()));
        if (file.isPresent() && !words.isEmpty()) throw new InputException("nft", 1, 0, words.get(0), "-f takes no command words");
        return new Options(handles, echo, check, stateless, file, words);
    }

    private static boolean isNumber(String a) { return a.length() > 1 && a.substring(1).chars().allMatch(Character::isDigit); }
}
