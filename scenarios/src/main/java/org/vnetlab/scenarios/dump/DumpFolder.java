package org.vnetlab.scenarios.dump;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.vnetlab.emulator.hostconf.DumpedFile;
import org.vnetlab.emulator.hostconf.HostDump;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.scenarios.script.Topology;

/**
 * The host dump a topology names: its folder, recognised by content, with any file named explicitly
 * ({@code iptables=FILE}, {@code --iptables FILE}) taking the place of the folder's file of that kind.
 */
public final class DumpFolder {
    private DumpFolder() {}

    /**
     * @param folder    the dump folder, or null for none (every part then takes the lab's defaults)
     * @param overrides files named explicitly, by part, relative to {@code base} (or absolute)
     */
    public static HostDump load(Path folder, Map<Topology.DumpPart, String> overrides, Path base) throws InputException {
        try {
            if (folder != null) {
                HostDump plain = HostDump.load(folder);
                // a guest's ip addr must not stand for the host's interfaces: the lab is built without it
                boolean guestListing = plain.files().stream().anyMatch(DumpReader::isGuestListing);
                if (overrides.isEmpty() && !guestListing) return plain;
            }
            // assemble a folder: the dump's files, minus those an explicit file replaces, plus the explicit files
            Path tmp = Files.createTempDirectory("vnetlab-dump-");
            try {
                if (folder != null) {
                    HostDump original = HostDump.load(folder);
                    try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
                        for (Path p : ds) {
                            if (!Files.isRegularFile(p) || p.getFileName().toString().startsWith(".")) continue;
                            DumpedFile f = original.files().stream().filter(x -> x.name().equals(p.getFileName().toString())).findFirst().orElse(null);
                            if (f != null && overrides.keySet().stream().anyMatch(part -> DumpReader.replaces(part, f))) continue;
                            if (f != null && DumpReader.isGuestListing(f)) continue;
                            Files.copy(p, tmp.resolve(p.getFileName().toString()));
                        }
                    }
                }
                for (Map.Entry<Topology.DumpPart, String> o : overrides.entrySet()) {
                    Path p = base.resolve(o.getValue());
                    if (!Files.isRegularFile(p)) throw new InputException(o.getValue(), 0, 0, null, "no such file (given for " + o.getKey().key() + ")", null);
                    String text = Files.readString(p, StandardCharsets.UTF_8);
                    DumpReader.explicit(o.getKey(), o.getValue(), text);
                    // the guest's settings describe no part of the host: the lab is built without them
                    if (o.getKey() == Topology.DumpPart.GUEST_SETTINGS) continue;
                    // keep the file's own name, so errors in it name it as the user knows it
                    Path to = tmp.resolve(p.getFileName().toString());
                    if (Files.exists(to)) to = tmp.resolve(o.getKey().key() + "-" + p.getFileName());
                    Files.writeString(to, text, StandardCharsets.UTF_8);
                }
                return HostDump.load(tmp);
            } finally {
                try (Stream<Path> s = Files.walk(tmp)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new InputException(folder == null ? "dump" : folder.toString(), 0, 0, null, "cannot read the dump: " + e.getMessage(), null);
        }
    }
}
