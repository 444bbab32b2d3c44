package org.vnetlab.scenarios.world;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.NetworkStartException;
import org.vnetlab.scenarios.expect.Observed;
import org.vnetlab.scenarios.run.CommandRejected;
import org.vnetlab.scenarios.run.World;

/**
 * {@code virsh net-*} for the host's one libvirt network, with virsh's messages and exit statuses.
 * {@code net-edit NET FILE} stands for an editing session whose result is FILE (virsh itself opens an
 * editor); like virsh, it defines the result without schema validation. {@code net-define --validate}
 * validates against libvirt's schema.
 */
final class Virsh {
    private final HostMachine host;
    private final Path workdir;

    static final Set<String> COMMANDS = Set.of("net-list", "net-info", "net-dumpxml", "net-edit", "net-define", "net-undefine",
            "net-start", "net-destroy", "net-autostart", "net-uuid", "net-name");

    Virsh(HostMachine host, Path workdir) {
        this.host = host;
        this.workdir = workdir;
    }

    static void check(List<String> argv) throws CommandRejected {
        if (argv.size() < 2) throw new CommandRejected(0, "virsh needs a command", "e.g. virsh net-list --all");
        String cmd = argv.get(1);
        if (!COMMANDS.contains(cmd)) {
            throw new CommandRejected(1, "virsh command not emulated", "emulated: " + String.join(", ", COMMANDS.stream().sorted().toList()));
        }
        List<String> args = argv.subList(2, argv.size());
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                boolean known = switch (cmd) {
                    case "net-list" -> a.equals("--all") || a.equals("--inactive");
                    case "net-dumpxml" -> a.equals("--inactive");
                    case "net-define" -> a.equals("--validate");
                    case "net-autostart" -> a.equals("--disable");
                    default -> false;
                };
                if (!known) throw new CommandRejected(i + 2, "option not emulated for virsh " + cmd);
            } else {
                positional.add(a);
            }
        }
        int want = switch (cmd) {
            case "net-list" -> 0;
            case "net-edit" -> 2;
            default -> 1;
        };
        if (positional.size() != want) {
            String usage = switch (cmd) {
                case "net-list" -> "virsh net-list [--all]";
                case "net-edit" -> "virsh net-edit NETWORK FILE (FILE is the edited XML, read from the scenario folder)";
                case "net-define" -> "virsh net-define [--validate] FILE";
                default -> "virsh " + cmd + " NETWORK";
            };
            throw new CommandRejected(CommandRejected.WHOLE_COMMAND, "wrong number of arguments for virsh " + cmd, usage);
        }
    }

    Observed run(World.Command c) throws CommandRejected, InputException {
        List<String> argv = c.argv();
        String cmd = argv.get(1);
        List<String> pos = argv.subList(2, argv.size()).stream().filter(a -> !a.startsWith("--")).toList();
        boolean flag = argv.stream().anyMatch(a -> a.startsWith("--"));
        switch (cmd) {
            case "net-list": return list(argv.contains("--all"), argv.contains("--inactive"));
            case "net-define": return define(pos.get(0), argv.contains("--validate"), argv.indexOf(pos.get(0)));
            case "net-edit": return edit(pos.get(0), pos.get(1), argv.indexOf(pos.get(1)));
            default: break;
        }
        String net = pos.get(0);
        if (!net.equals(host.persistent.name())) {
            return Shell.fail("error: failed to get network '" + net + "'\nerror: Network not found: no network with matching name '" + net + "'\n", 1);
        }
        try {
            switch (cmd) {
                case "net-info": return info();
                case "net-uuid": return Shell.ok(host.persistent.definition().uuid().orElse("") + "\n\n");
                case "net-name": return Shell.ok(net + "\n\n");
                case "net-dumpxml":
                    if (argv.contains("--inactive") || !host.active()) return Shell.ok(host.persistent.dump(Optional.empty()));
                    return Shell.ok(host.running.get().dump(Optional.of(host.connections())));
                case "net-start":
                    if (host.active()) return Shell.fail("error: Failed to start network " + net + "\nerror: Requested operation is not valid: network is already active\n", 1);
                    host.start();
                    return Shell.ok("Network " + net + " started\n\n");
                case "net-destroy":
                    if (!host.active()) return Shell.fail("error: Failed to destroy network " + net + "\nerror: Requested operation is not valid: network is not active\n", 1);
                    host.destroy();
                    return Shell.ok("Network " + net + " destroyed\n\n");
                case "net-autostart":
                    host.autostart = !flag;
                    return Shell.ok("Network " + net + (flag ? " unmarked as autostarted" : " marked as autostarted") + "\n\n");
                case "net-undefine":
                    throw new CommandRejected(1, "undefining the emulated network is not supported", "use net-destroy to stop it");
                default:
                    throw new IllegalStateException(cmd);
            }
        } catch (NetworkStartException e) {
            return Shell.fail("error: Failed to start network " + net + "\nerror: " + e.getMessage() + "\n", 1);
        }
    }

    private Observed list(boolean all, boolean inactiveOnly) {
        String state = host.active() ? "active" : "inactive";
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Name", "State", "Autostart", "Persistent"});
        boolean show = inactiveOnly ? !host.active() : (all || host.active());
        if (show) rows.add(new String[] {host.persistent.name(), state, host.autostart ? "yes" : "no", "yes"});
        return Shell.ok(table(rows));
    }

    /** virsh's table: columns padded to their widest cell plus three blanks, a rule of dashes, a blank line. */
    static String table(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < rows.size(); k++) {
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < cols; i++) {
                line.append(rows.get(k)[i]);
                if (i < cols - 1) line.append(" ".repeat(w[i] - rows.get(k)[i].length() + 3));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (k == 0) {
                int total = 1;
                for (int i = 0; i < cols; i++) total += w[i] + (i < cols - 1 ? 3 : 0);
                sb.append("-".repeat(total + 1)).append('\n');
            }
        }
        return sb.append('\n').toString();
    }

    private Observed info() {
        var d = host.persistent.definition();
        String s = String.format("%-16s%s%n%-16s%s%n%-16s%s%n%-16s%s%n%-16s%s%n%-16s%s%n%n", "Name:", d.name(), "UUID:",
                d.uuid().orElse(""), "Active:", host.active() ? "yes" : "no", "Persistent:", "yes", "Autostart:",
                host.autostart ? "yes" : "no", "Bridge:", d.bridgeName().orElse(""));
        return Shell.ok(s);
    }

    private Observed define(String file, boolean validate, int fileIndex) throws CommandRejected, InputException {
        String xml = read(file, fileIndex);
        NetworkXml parsed;
        try {
            parsed = validate ? NetworkXml.strict(file, xml) : NetworkXml.lenient(file, xml, new ArrayList<>());
        } catch (InputException e) {
            String why = validate && e.problem().contains("not allowed")
                    ? "XML document failed to validate against schema: Unable to validate doc against /usr/share/libvirt/schemas/network.rng\n"
                    + e.problem() + " (line " + e.line() + ")"
                    : "XML error: " + e.problem() + " (line " + e.line() + ")";
            return Shell.fail("error: Failed to define network from " + file + "\nerror: " + why + "\n", 1);
        }
        if (!parsed.name().equals(host.persistent.name())) {
            throw new CommandRejected(fileIndex, "vnetlab emulates one libvirt network, '" + host.persistent.name()
                    + "'; this file defines '" + parsed.name() + "'");
        }
        host.persistent = parsed;
        return Shell.ok("Network " + parsed.name() + " defined from " + file + "\n\n");
    }

    private Observed edit(String net, String file, int fileIndex) throws CommandRejected, InputException {
        if (!net.equals(host.persistent.name())) {
            return Shell.fail("error: failed to get network '" + net + "'\nerror: Network not found: no network with matching name '" + net + "'\n", 1);
        }
        String xml = read(file, fileIndex);
        NetworkXml parsed;
        try {
            parsed = NetworkXml.lenient(file, xml, new ArrayList<>());
        } catch (InputException e) {
            return Shell.fail("error: XML error: " + e.problem() + " (line " + e.line() + ")\nFailed. Try again? [y,n,i,f,?]: n\n", 1);
        }
        if (!parsed.name().equals(net)) {
            throw new CommandRejected(fileIndex, "the edited XML renames the network", "vnetlab emulates one libvirt network, '" + net + "'");
        }
        // virsh compares the edited text with what the editor was given (net-dumpxml --inactive), not the meaning
        String before = host.persistent.dump(Optional.empty());
        if (xml.equals(before)) return Shell.ok("Network " + net + " XML configuration not changed.\n\n");
        host.persistent = parsed;
        return Shell.ok("Network " + net + " XML configuration edited.\n\n");
    }

    private String read(String file, int index) throws CommandRejected {
        Path p = workdir.resolve(file).normalize();
        if (!Files.isRegularFile(p)) throw new CommandRejected(index, "no such file in the scenario folder", "files are read relative to the scenario folder");
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandRejected(index, "cannot read: " + e.getMessage());
        }
    }
}
