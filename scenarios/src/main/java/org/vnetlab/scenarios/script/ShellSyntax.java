package org.vnetlab.scenarios.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.input.InputException;

/**
 * The small part of shell syntax a scenario step understands: words and quotes, {@code sudo}, {@code &&},
 * {@code ||}, {@code ;}, {@code < FILE}, {@code > FILE}, {@code >> FILE} and {@code <<MARK} here-documents.
 * Anything else that a shell would treat specially (pipes, background jobs, substitutions, other
 * redirections) is refused with its position rather than passed on as an argument.
 */
public final class ShellSyntax {
    private ShellSyntax() {}

    /** Finds the here-document marker of a command text, if any: its word and the terminator. */
    public static Optional<Word> hereDocMarker(List<Word> words) {
        for (Word w : words) {
            if (!w.quoted() && w.raw().startsWith("<<") && !w.raw().startsWith("<<<")) return Optional.of(w);
        }
        return Optional.empty();
    }

    /** The terminator line of a {@code <<MARK}, {@code <<'MARK'}, {@code <<"MARK"} or {@code <<-MARK} word. */
    public static String terminator(Word marker) {
        String m = marker.raw().substring(2);
        if (m.startsWith("-")) m = m.substring(1);
        if (m.length() >= 2 && (m.startsWith("'") && m.endsWith("'") || m.startsWith("\"") && m.endsWith("\""))) {
            m = m.substring(1, m.length() - 1);
        }
        return m;
    }

    /**
     * Parses a step's command text.
     *
     * @param hereDoc the here-document body when the text has a {@code <<MARK} word
     */
    public static CommandLine parse(LogicalLine source, Optional<String> hereDoc) throws InputException {
        List<Word> words;
        try {
            words = Words.split(source.text());
        } catch (Words.UnclosedQuote q) {
            throw source.at(q.offset).error(String.valueOf(q.quote), "unclosed quote", "close it on the same line, or end the line with \\ to continue it");
        }
        if (words.isEmpty()) throw source.at(0).error(null, "empty command", "write the command after 'on NODE:'");
        List<CommandLine.Part> parts = new ArrayList<>();
        CommandLine.Connector connector = CommandLine.Connector.FIRST;
        List<Word> current = new ArrayList<>();
        Optional<Invocation.Stdin> stdin = Optional.empty();
        Optional<Invocation.Redirect> stdout = Optional.empty();
        for (int i = 0; i < words.size(); i++) {
            Word w = words.get(i);
            String raw = w.raw();
            if (w.quoted() && !raw.startsWith("<<")) {
                current.add(w);
                continue;
            }
            CommandLine.Connector next = switch (raw) {
                case "&&" -> CommandLine.Connector.AND;
                case "||" -> CommandLine.Connector.OR;
                case ";" -> CommandLine.Connector.SEQUENCE;
                default -> null;
            };
            if (next != null) {
                parts.add(new CommandLine.Part(connector, invocation(source, w, current, stdin, stdout)));
                connector = next;
                current = new ArrayList<>();
                stdin = Optional.empty();
                stdout = Optional.empty();
                continue;
            }
            if (raw.startsWith("<<<")) {
                throw source.at(w.offset()).error(raw, "here-strings are not supported", "use a here-document: <<EOF, the lines, then EOF");
            }
            if (raw.startsWith("<<")) {
                String body = hereDoc.orElseThrow(() -> new IllegalStateException("here-document body missing"));
                if (stdin.isPresent()) throw source.at(w.offset()).error(raw, "standard input given twice");
                stdin = Optional.of(new Invocation.Stdin.HereDoc(terminator(w), body));
                continue;
            }
            if (raw.startsWith(">>") || raw.startsWith(">") || raw.startsWith("<")) {
                boolean append = raw.startsWith(">>");
                String op = append ? ">>" : raw.substring(0, 1);
                String rest = raw.substring(op.length());
                Word target;
                if (!rest.isEmpty()) {
                    target = new Word(rest, rest, w.offset() + op.length(), false);
                } else {
                    if (i + 1 >= words.size()) throw source.at(w.offset()).error(raw, "a file name must follow '" + op + "'");
                    target = words.get(++i);
                }
                if (target.raw().startsWith("&") || target.raw().startsWith(">") || target.raw().startsWith("<")) {
                    throw source.at(w.offset()).error(raw, "this redirection is not supported", "only < FILE, > FILE, >> FILE and <<EOF are");
                }
                if (op.equals("<")) {
                    if (stdin.isPresent()) throw source.at(w.offset()).error(raw, "standard input given twice");
                    stdin = Optional.of(new Invocation.Stdin.FromFile(target.value(), target));
                } else {
                    if (stdout.isPresent()) throw source.at(w.offset()).error(raw, "output redirected twice");
                    stdout = Optional.of(new Invocation.Redirect(target.value(), append, target));
                }
                continue;
            }
            if (raw.equals("|") || raw.startsWith("|")) {
                throw source.at(w.offset()).error(raw, "pipes are not supported",
                        "run the command alone: the transcript shows its whole output, and expectations can check it with => output \"TEXT\"");
            }
            if (raw.equals("&")) throw source.at(w.offset()).error(raw, "background jobs are not supported");
            if (raw.matches("[0-9]+[<>].*")) {
                throw source.at(w.offset()).error(raw, "this redirection is not supported", "only < FILE, > FILE, >> FILE and <<EOF are");
            }
            if (raw.contains("$(") || raw.contains("`")) {
                throw source.at(w.offset()).error(raw, "command substitution is not supported", "write the value itself");
            }
            if (raw.endsWith(";") && raw.length() > 1) {
                throw source.at(w.offset() + raw.length() - 1).error(";", "put blanks around ';'", null);
            }
            current.add(w);
        }
        Word last = words.get(words.size() - 1);
        parts.add(new CommandLine.Part(connector, invocation(source, last, current, stdin, stdout)));
        return new CommandLine(source, parts);
    }

    private static Invocation invocation(LogicalLine source, Word at, List<Word> words, Optional<Invocation.Stdin> stdin,
                                         Optional<Invocation.Redirect> stdout) throws InputException {
        boolean sudo = false;
        List<Word> ws = new ArrayList<>(words);
        if (!ws.isEmpty() && !ws.get(0).quoted() && ws.get(0).raw().equals("sudo")) {
            sudo = true;
            ws.remove(0);
            if (!ws.isEmpty() && ws.get(0).raw().startsWith("-")) {
                throw source.at(ws.get(0).offset()).error(ws.get(0).raw(), "sudo options are not supported", "the emulated nodes run every command as root; write sudo COMMAND or just COMMAND");
            }
        }
        if (ws.isEmpty()) throw source.at(at.offset()).error(at.raw(), "missing command");
        return new Invocation(ws, stdin, stdout, sudo);
    }
}
