package org.vnetlab.emulator.hostconf.sysctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.vnetlab.emulator.input.InputException;

/**
 * The {@code sysctl} command as procps-ng 4.0.2 behaves on Linux 6.18 (observed): {@code sysctl KEY...},
 * {@code -n}, {@code -e}, {@code -q}, {@code -a}, {@code -w KEY=VALUE...} (a KEY=VALUE argument writes even
 * without -w) and {@code -p [FILE]} (default /etc/sysctl.conf).
 *
 * <p>What it prints: a read or write echoes {@code KEY = VALUE} (a write echoes the value as written, e.g.
 * {@code 30000   40000}); an unknown key prints {@code sysctl: cannot stat /proc/sys/KEY/PATH: No such file
 * or directory}; a rejected value {@code sysctl: setting key "KEY": Invalid argument}; in a -p file a line
 * without '=' prints {@code sysctl: FILE(LINE): invalid syntax, continuing...} (before anything else) and does
 * not change the exit status; a -p glob key ({@code net.ipv4.conf.*.rp_filter}) is expanded over existing
 * keys, except those the file names explicitly or excludes with a {@code -KEY} line; a -w glob is not.
 * The exit status is 1 after an unknown key or a rejected value, except that a write refused for a read-only
 * key (nf_conntrack_count) still exits 0 — procps only prints the error. A {@code -} before a -p line does not
 * suppress errors in this version.
 */
public final class SysctlCommand {
    private SysctlCommand() {}

    /**
     * Runs {@code sysctl ARGS} against {@code state}; {@code files} maps the paths -p may read to their
     * content.
     */
    public static SysctlRun run(Sysctls state, List<String> args, Map<String, String> files) {
        Out out = new Out(state);
        boolean write = false, valuesOnly = false, ignoreUnknown = false, quiet = false, all = false, load = false;
        List<String> operands = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("-") && a.length() > 1 && operands.isEmpty() && !a.contains("=")) {
                for (char c : a.substring(1).toCharArray()) {
                    switch (c) {
                        case 'w': write = true; break;
                        case 'n': valuesOnly = true; break;
                        case 'e': ignoreUnknown = true; break;
                        case 'q': quiet = true; break;
                        case 'a': case 'A': case 'X': all = true; break;
                        case 'p': load = true; break;
                        default:
                            out.err("sysctl: vnetlab does not emulate option -" + c);
                            out.status = 1;
                            return out.done();
                    }
                }
            } else {
                operands.add(a);
            }
        }
        if (load) {
            List<String> paths = operands.isEmpty() ? List.of("/etc/sysctl.conf") : operands;
            for (String p : paths) loadFile(out, p, files.get(p), ignoreUnknown, quiet);
            return out.done();
        }
        if (all) {
            for (Map.Entry<String, String> e : out.state.asMap().entrySet()) show(out, e.getKey(), e.getValue(), valuesOnly);
            return out.done();
        }
        for (String op : operands) {
            int eq = op.indexOf('=');
            if (write || eq >= 0) {
                if (eq < 0) {
                    out.err("sysctl: command line(0): invalid syntax, continuing...");
                    out.status = 1;
                    continue;
                }
                writeOne(out, SysctlKeys.canonical(op.substring(0, eq)), op.substring(eq + 1).strip(), ignoreUnknown, quiet);
            } else {
                String k = SysctlKeys.canonical(op);
                Optional<String> v = out.state.read(k);
                if (v.isEmpty()) {
                    if (!ignoreUnknown) {
                        out.err("sysctl: cannot stat " + SysctlKeys.procPath(k) + ": No such file or directory");
                        out.status = 1;
                    }
                    continue;
                }
                show(out, k, v.get(), valuesOnly);
            }
        }
        return out.done();
    }

    /** {@code sysctl -p FILE} with the file's content (what the host's boot-time load of sysctl.conf does). */
    public static SysctlRun load(Sysctls state, String path, String content) {
        Out out = new Out(state);
        loadFile(out, path, content, false, false);
        return out.done();
    }

    /**
     * procps-ng 4 reads the whole file first (syntax messages come out before any write's), then applies
     * the settings in order. As in systemd-sysctl, a glob never overrides a key the file names explicitly,
     * and a {@code -KEY} line without a value takes KEY out of every glob (both observed).
     */
    private static void loadFile(Out out, String path, String content, boolean ignoreUnknown, boolean quiet) {
        if (content == null) {
            out.err("sysctl: cannot open \"" + path + "\": No such file or directory");
            out.status = 1;
            return;
        }
        String[] lines = content.split("\r?\n", -1);
        List<String[]> settings = new ArrayList<>();
        java.util.Set<String> explicit = new java.util.HashSet<>();
        java.util.Set<String> excluded = new java.util.HashSet<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            boolean dash = line.startsWith("-");
            if (dash) line = line.substring(1);
            int eq = line.indexOf('=');
            if (eq < 0) {
                if (dash) excluded.add(SysctlKeys.canonical(line));
                else out.err("sysctl: " + path + "(" + (i + 1) + "): invalid syntax, continuing...");
                continue;
            }
            String key = SysctlKeys.canonical(line.substring(0, eq));
            settings.add(new String[] {key, line.substring(eq + 1).strip()});
            if (!isGlob(key)) explicit.add(key);
        }
        for (String[] s : settings) {
            String key = s[0];
            if (isGlob(key)) {
                List<String> matches = glob(out.state, key);
                if (matches.isEmpty()) {
                    out.err("sysctl: cannot stat " + SysctlKeys.procPath(key) + ": No such file or directory");
                    out.status = 1;
                }
                for (String m : matches) {
                    if (!explicit.contains(m) && !excluded.contains(m)) writeOne(out, m, s[1], ignoreUnknown, quiet);
                }
            } else {
                writeOne(out, key, s[1], ignoreUnknown, quiet);
            }
        }
    }

    private static boolean isGlob(String key) {
        return key.indexOf('*') >= 0 || key.indexOf('?') >= 0 || key.indexOf('[') >= 0;
    }

    /** One line per line of the value, each with the key, as procps prints multi-line values. */
    private static void show(Out out, String key, String value, boolean valuesOnly) {
        for (String line : value.split("\n", -1)) out.out(valuesOnly ? line : key + " = " + line);
    }

    private static void writeOne(Out out, String key, String value, boolean ignoreUnknown, boolean quiet) {
        SysctlWrite w = out.state.write(key, value);
        if (w instanceof SysctlWrite.Written ok) {
            out.state = ok.state();
            if (!quiet) out.out(key + " = " + value);
        } else if (w instanceof SysctlWrite.Refused no) {
            if (no.reason() == SysctlWrite.Reason.NO_SUCH_KEY && ignoreUnknown) return;
            out.err("sysctl: " + no.message());
            boolean readOnly = SysctlCatalogue.spec(key).map(s -> s.rule() instanceof ValueRule.ReadOnlyRule).orElse(false);
            if (!readOnly) out.status = 1;
        }
    }

    /** Existing keys matching a shell glob whose '*' and '?' stay within one name component, sorted like glob(3). */
    static List<String> glob(Sysctls state, String pattern) {
        Pattern p = Pattern.compile(globRegex(pattern));
        return state.keys().stream().filter(k -> p.matcher(k).matches()).sorted().toList();
    }

    /**
     * glob(3)'s pattern as a regex: '*' and '?' within one component, {@code [...]} a set ('!' or '^' negates,
     * a ']' first is a member, ranges a-z), an unclosed '[' an ordinary character, as fnmatch reads it.
     */
    static String globRegex(String pattern) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                re.append("[^.]*");
            } else if (c == '?') {
                re.append("[^.]");
            } else if (c == '[' && setEnd(pattern, i) > 0) {
                int end = setEnd(pattern, i);
                re.append(set(pattern.substring(i + 1, end)));
                i = end;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    /** Index of the ']' closing the set opened at {@code open}, or -1 when it is never closed. */
    private static int setEnd(String pattern, int open) {
        int j = open + 1;
        if (j < pattern.length() && (pattern.charAt(j) == '!' || pattern.charAt(j) == '^')) j++;
        if (j < pattern.length() && pattern.charAt(j) == ']') j++;
        return pattern.indexOf(']', j);
    }

    private static String set(String body) {
        boolean negated = !body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^');
        String members = negated ? body.substring(1) : body;
        StringBuilder cls = new StringBuilder();
        for (int i = 0; i < members.length(); i++) {
            char from = members.charAt(i);
            char to = from;
            if (i + 2 < members.length() && members.charAt(i + 1) == '-') {
                to = members.charAt(i + 2);
                i += 2;
            }
            if (from > to) continue; // a reversed range holds nothing
            cls.append(String.format("\\x{%x}", (int) from));
            if (to != from) cls.append('-').append(String.format("\\x{%x}", (int) to));
        }
        if (cls.length() == 0) return negated ? "[^.]" : "(?!)";
        return "[" + (negated ? "^." : "") + cls + "]";
    }

    /** Applies a parsed file the way -p would, for callers that hold a {@link SysctlConf}. */
    public static SysctlRun apply(Sysctls state, SysctlConf conf) {
        StringBuilder text = new StringBuilder();
        int line = 1;
        for (SysctlSetting s : conf.settings()) {
            while (line < s.line()) {
                text.append('\n');
                line++;
            }
            text.append(s.ignoreFailure() ? "-" : "").append(s.key()).append(s.value().map(v -> " = " + v).orElse(""));
        }
        return load(state, conf.file(), text.toString());
    }

    /** Parses then applies: convenience for {@code sysctl -p} input that must also be valid syntax. */
    public static SysctlRun loadChecked(Sysctls state, String path, String content) throws InputException {
        return apply(state, SysctlParser.parseConf(path, content));
    }

    private static final class Out {
        Sysctls state;
        final StringBuilder stdout = new StringBuilder();
        final StringBuilder stderr = new StringBuilder();
        int status;

        Out(Sysctls state) { this.state = state; }

        void out(String s) { stdout.append(s).append('\n'); }

        void err(String s) { stderr.append(s).append('\n'); }

        SysctlRun done() { return new SysctlRun(state, stdout.toString(), stderr.toString(), status); }
    }
}
