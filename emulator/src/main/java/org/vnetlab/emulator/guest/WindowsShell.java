package org.vnetlab.emulator.guest;

import java.util.Locale;

/** cmd.exe's view of the commands a Windows 10 guest offers. */
final class WindowsShell {
    /** The User-Agent of the curl.exe Windows 10 ships (System32\curl.exe, 8.x since the 2023 updates). */
    static final String CURL_VERSION = "curl/8.4.0";

    private WindowsShell() {}

    static Command parse(Guest g, CommandLine line) throws CommandException {
        if (line.words().isEmpty()) return null;
        String cmd = line.command().toLowerCase(Locale.ROOT);
        if (cmd.endsWith(".exe")) cmd = cmd.substring(0, cmd.length() - 4);
        return switch (cmd) {
            case "ping" -> WindowsPing.parse(line.args());
            case "ipconfig" -> Ipconfig.parse(line.args());
            case "nslookup" -> Nslookup.parse(line.args());
            case "curl" -> Curl.parse(line.args(), CURL_VERSION);
            case "netsh" -> Netsh.parse(g, line.args());
            case "hostname" -> run -> {
                run.line(g.profile().hostname());
                run.finish(0);
            };
            default -> throw new CommandException(line.command(), "unknown command",
                    "'" + line.command() + "' is not recognized as an internal or external command,\n"
                            + "operable program or batch file.\n", 9009);
        };
    }
}
