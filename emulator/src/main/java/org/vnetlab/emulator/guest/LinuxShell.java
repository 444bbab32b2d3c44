package org.vnetlab.emulator.guest;

/** A POSIX shell's view of the commands a Linux guest offers. */
final class LinuxShell {
    /** Debian 12's curl. */
    static final String CURL_VERSION = "curl/7.88.1";

    private LinuxShell() {}

    static Command parse(Guest g, CommandLine line) throws CommandException {
        if (line.words().isEmpty()) return null;
        String cmd = line.command();
        return switch (cmd) {
            case "ping" -> LinuxPing.parse(line.args());
            case "dig" -> Dig.parse(line.args());
            case "curl" -> Curl.parse(line.args(), CURL_VERSION);
            case "nc" -> Nc.parse(line.args());
            case "ip" -> IpCommand.parse(g, line.args());
            case "dhclient" -> LinuxDhcpCommand.dhclient(g, line.args());
            case "udhcpc" -> LinuxDhcpCommand.udhcpc(g, line.args());
            case "hostname" -> run -> {
                run.line(g.profile().hostname());
                run.finish(0);
            };
            default -> throw new CommandException(cmd, "unknown command", "bash: " + cmd + ": command not found\n", 127);
        };
    }
}
