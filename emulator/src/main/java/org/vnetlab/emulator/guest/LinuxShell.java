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
            case "cat" -> cat(g, line);
            case "hostname" -> run -> {
                run.line(g.profile().hostname());
                run.finish(0);
            };
            default -> throw new CommandException(cmd, "unknown command", "bash: " + cmd + ": command not found\n", 127);
        };
    }

    /** {@code cat /proc/net/snmp} and {@code cat /proc/net/netstat} (its IpExt part): the stack's counters. */
    private static Command cat(Guest g, CommandLine line) throws CommandException {
        if (line.args().size() != 1) throw new CommandException("cat", "cat reads one of /proc/net/snmp, /proc/net/netstat", "", 1);
        String file = line.args().get(0);
        return switch (file) {
            case "/proc/net/snmp" -> run -> {
                run.print(org.vnetlab.emulator.stack.ProcNetSnmp.render(g.stack()));
                run.finish(0);
            };
            case "/proc/net/netstat" -> run -> {
                run.print(org.vnetlab.emulator.stack.ProcNetSnmp.netstatIpExt(g.stack()));
                run.finish(0);
            };
            default -> throw new CommandException(file, "no such file in the emulated guest",
                    "cat: " + file + ": No such file or directory\n", 1);
        };
    }
}
