package org.vnetlab.emulator.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetlab.emulator.libvirt.firewall.FirewallCommand;
import org.vnetlab.emulator.libvirt.firewall.LibvirtCommandLog;
import org.vnetlab.emulator.libvirt.firewall.NftablesFirewall;
import org.vnetlab.emulator.nftables.syntax.NftCommandLine;

/**
 * libvirt's nftables backend, replayed: the nft command lines of libvirt's test data (base.nftables, then each
 * network's NAME-linux.nftables) run one by one through vnetlab's nft on an empty ruleset, exactly as libvirt
 * runs them; what {@code nft -ae insert rule} echoes and the final {@code nft list ruleset} equal what the real
 * nft 1.0.6 printed for the same commands (nftables/libvirt/*.echo, *.golden, recorded by nftables/real-nft.sh).
 */
class LibvirtRoundTripTest {
    static final Path DATA = Fixtures.shared("ref/libvirt");

    static Stream<Path> networks() throws Exception {
        List<Path> out = new ArrayList<>();
        for (String dir : List.of("tests/networkxml2firewalldata", "derived/networkxml2firewalldata")) {
            try (Stream<Path> s = Files.list(DATA.resolve(dir))) {
                s.filter(p -> p.getFileName().toString().endsWith("-linux.nftables")).sorted().forEach(out::add);
            }
        }
        return out.stream();
    }

    record Replay(NftRuleset ruleset, String echoed, List<Integer> exitCodes) {}

    static Replay replay(Path... logs) throws Exception {
        NftRuleset r = NftRuleset.EMPTY;
        StringBuilder echoed = new StringBuilder();
        List<Integer> codes = new ArrayList<>();
        for (Path log : logs) {
            for (FirewallCommand c : LibvirtCommandLog.parse(log.getFileName().toString(), Fixtures.read(log))) {
                NftCommandLine.Result res = NftCommandLine.run(r, new NftCounters(), c.args(), f -> Optional.empty());
                codes.add(res.exitCode());
                r = res.ruleset();
                if (c.args().get(0).startsWith("-")) echoed.append(res.stdout());
            }
        }
        return new Replay(r, echoed.toString(), codes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void replayingLibvirtsCommandsGivesTheRealListingAndEchoes(Path network) throws Exception {
        String name = network.getFileName().toString().replace("-linux.nftables", "");

        Replay replay = replay(DATA.resolve("tests/networkxml2firewalldata/base.nftables"), network);

        assertThat(Fixtures.list(replay.ruleset())).isEqualTo(Fixtures.text("libvirt/" + name + ".golden"));
        assertThat(replay.echoed()).isEqualTo(Fixtures.text("libvirt/" + name + ".echo"));
    }

    @Test
    void netDestroyDeletesTheRulesByTheHandlesNftEchoed() throws Exception {
        Replay started = replay(DATA.resolve("tests/networkxml2firewalldata/base.nftables"),
                DATA.resolve("tests/networkxml2firewalldata/nat-default-linux.nftables"));
        Replay baseOnly = replay(DATA.resolve("tests/networkxml2firewalldata/base.nftables"));
        List<FirewallCommand> inserted = LibvirtCommandLog.parse("nat-default-linux.nftables",
                Fixtures.read(DATA.resolve("tests/networkxml2firewalldata/nat-default-linux.nftables")));
        List<String> echoed = started.echoed().lines().toList();
        List<NftablesFirewall.AddedRule> added = new ArrayList<>();
        for (int i = 0; i < inserted.size(); i++) {
            String line = echoed.get(i);
            added.add(new NftablesFirewall.AddedRule(inserted.get(i), Long.parseLong(line.substring(line.lastIndexOf(' ') + 1))));
        }

        NftRuleset r = started.ruleset();
        for (FirewallCommand c : NftablesFirewall.removal(added)) {
            NftCommandLine.Result res = NftCommandLine.run(r, new NftCounters(), c.args(), f -> Optional.empty());
            assertThat(res.exitCode()).as(c.toString()).isZero();
            r = res.ruleset();
        }

        assertThat(Fixtures.list(r)).isEqualTo(Fixtures.list(baseOnly.ruleset()));
    }

    @Test
    void onAFreshHostOnlyTheInitialListTableFails() throws Exception {
        Replay replay = replay(DATA.resolve("tests/networkxml2firewalldata/base.nftables"));

        // nft list table ip libvirt_network, nft list table ip6 libvirt_network: "No such file or directory"
        assertThat(replay.exitCodes().get(0)).isEqualTo(1);
        assertThat(replay.exitCodes().stream().filter(c -> c != 0)).hasSize(2);
    }

    @Test
    void theDefaultNetworksTableIsTheDerivedListing() throws Exception {
        Replay replay = replay(DATA.resolve("tests/networkxml2firewalldata/base.nftables"),
                DATA.resolve("tests/networkxml2firewalldata/nat-default-linux.nftables"));
        String derived = Fixtures.read(DATA.resolve("derived/default-network.nft-list.txt")).lines()
                .filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");

        NftCommandLine.Result listed = NftCommandLine.run(replay.ruleset(), new NftCounters(),
                List.of("list", "table", "ip", "libvirt_network"), f -> Optional.empty());

        assertThat(listed.stdout()).isEqualTo(derived);
    }
}
