package org.vnetlab.emulator.hostconf.sysctl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.vnetlab.emulator.hostconf.text.NotedLine;
import org.vnetlab.emulator.hostconf.text.ShellPrompt;
import org.vnetlab.emulator.hostconf.text.SourceText;
import org.vnetlab.emulator.input.InputException;

/**
 * Reads {@code sysctl -a} output ({@code key = value}, the value verbatim after " = ", possibly empty or
 * tab-separated; a multi-line value comes as consecutive lines repeating the key) and sysctl.conf / sysctl.d files ({@code key=value} or {@code key = value}, comments starting
 * with {@code #} or {@code ;}, blank lines, a leading {@code -}).
 */
public final class SysctlParser {
    /** What sysctl -a writes to stderr for unreadable keys, when pasted with 2>&1. */
    private static final Pattern STDERR = Pattern.compile(
            "^sysctl: (permission denied on key .*|reading key .*|cannot stat .*|error reading key .*)$");

    private SysctlParser() {}

    /** A {@code sysctl -a} (or {@code sysctl KEY...}) dump: the state of the host. */
    public static Sysctls parseDump(String file, String content) throws InputException {
        SourceText src = SourceText.of(file, content);
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        List<NotedLine> noted = new ArrayList<>();
        String lastKey = null;
        for (int n = 1; n <= src.lineCount(); n++) {
            String line = src.line(n);
            if (SourceText.isBlank(line)) continue; // trailing empty lines of a paste
            if (ShellPrompt.isCommandEcho(line, "sysctl", "cat")) {
                noted.add(new NotedLine(n, line, "shell prompt with the command"));
                continue;
            }
            if (STDERR.matcher(line).matches()) {
                noted.add(new NotedLine(n, line, "sysctl's error output for a key it could not read"));
                continue;
            }
            int eq = line.indexOf(" = ");
            String key;
            String value;
            if (eq > 0) {
                key = line.substring(0, eq);
                value = line.substring(eq + 3);
            } else if (line.endsWith(" =")) {
                key = line.substring(0, line.length() - 2);
                value = "";
            } else {
                throw src.error(n, 1, line.strip(), "not a 'key = value' line of sysctl output",
                        line.contains("=") ? "sysctl -a separates key and value with ' = '; a file with 'key=value' "
                                + "lines is a sysctl.conf, read it as one" : null);
            }
            if (key.isEmpty() || key.contains(" ") || key.contains("\t")) {
                throw src.error(n, 1, key, "sysctl key with blanks");
            }
            String k = SysctlKeys.canonical(key);
            if (k.equals(lastKey)) {
                // procps prints a multi-line value (kernel.core_modes, dev.cdrom.info) one line each, key repeated
                values.put(k, values.get(k) + "\n" + value);
                continue;
            }
            lastKey = k;
            Integer prev = firstLine.putIfAbsent(k, n);
            if (prev != null) {
                throw src.error(n, 1, key, "key printed twice (first on line " + prev + ")",
                        "sysctl -a prints each key once; were two dumps pasted together?");
            }
            values.put(k, value);
        }
        return Sysctls.of(values, noted);
    }

    /** A sysctl.conf / sysctl.d file: the writes it asks for, in order. */
    public static SysctlConf parseConf(String file, String content) throws InputException {
        SourceText src = SourceText.of(file, content);
        List<SysctlSetting> settings = new ArrayList<>();
        for (int n = 1; n <= src.lineCount(); n++) {
            String raw = src.line(n);
            String line = raw.strip();
            // blank lines and comments are skipped by procps and systemd-sysctl alike
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            int col = SourceText.indent(raw);
            boolean ignore = false;
            if (line.startsWith("-")) {
                ignore = true;
                line = line.substring(1);
                col++;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                String key = line.strip();
                if (ignore && !key.isEmpty() && !key.contains(" ")) {
                    settings.add(new SysctlSetting(SysctlKeys.canonical(key), Optional.empty(), true, n));
                    continue;
                }
                throw src.error(n, col, line, "not a 'key = value' setting",
                        "procps skips such a line with \"invalid syntax, continuing...\"; fix or comment it out");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.isEmpty()) throw src.error(n, col, "=", "setting without a key");
            if (key.contains(" ") || key.contains("\t")) throw src.error(n, col, key, "sysctl key with blanks");
            settings.add(new SysctlSetting(SysctlKeys.canonical(key), Optional.of(value), ignore, n));
        }
        return new SysctlConf(file, settings);
    }
}
