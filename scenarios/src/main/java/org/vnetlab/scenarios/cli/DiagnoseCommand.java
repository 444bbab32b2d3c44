package org.vnetlab.scenarios.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.scenarios.diagnose.Battery;
import org.vnetlab.scenarios.diagnose.Finding;
import org.vnetlab.scenarios.diagnose.Report;
import org.vnetlab.scenarios.diagnose.ReportJson;
import org.vnetlab.scenarios.diagnose.ReportText;
import org.vnetlab.scenarios.run.World;
import org.vnetlab.scenarios.run.WorldFactory;
import org.vnetlab.scenarios.script.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "diagnose", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Rebuilds the host from its dump, attaches a Linux guest, and runs the probe battery: dhcp, ping-gateway, ping-uplink-gateway, ping-internet, dns-via-gateway, dns-direct, tcp-internet, inbound-from-lan.",
                "For each probe: the outcome, the decisive rule and what it means; then lint findings and every assumption made.",
                "Exit status: 0 every probe behaved as a healthy network of this forward mode would, 1 one did not, 2 bad input."})
final class DiagnoseCommand implements Callable<Integer> {
    enum Format { text, json }

    @ParentCommand
    Main main;

    @Mixin
    Common common;

    @Mixin
    DumpOptions dump;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or json.")
    Format format = Format.text;

    @Option(names = "--target", paramLabel = "ADDRESS", description = "Internet address for ping-internet (default 8.8.8.8).")
    String target;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Write a pcapng capture of every link to FILE.")
    Path pcap;

    @Override
    public Integer call() throws InputException {
        Io io = main.io();
        Battery.Targets targets = Battery.Targets.defaults();
        if (target != null) targets = targets.withInternet(address(target));
        Topology topology = dump.topology();
        Path folder = dump.folder();
        List<Finding> findings = io.linter().lint(topology, folder);
        var guest = io.linter().guest(topology, folder);
        Report report;
        try (World world = io.worlds().start(topology, folder, new WorldFactory.Options(common.seedOr(1), Optional.ofNullable(pcap)))) {
            report = Battery.run(world, targets, findings, guest);
        }
        io.out().print(format == Format.json ? ReportJson.write(report) : ReportText.write(report));
        io.out().flush();
        return report.healthy() ? 0 : 1;
    }

    static Ipv4Address address(String text) throws InputException {
        try {
            return Ipv4Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InputException("--target", 0, 0, text, "not an IPv4 address", null);
        }
    }
}
