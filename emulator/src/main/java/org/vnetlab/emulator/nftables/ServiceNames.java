package org.vnetlab.emulator.nftables;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Port names as nft resolves them (getaddrinfo's service lookup in /etc/services, any protocol). nft 1.0.6 prints
 * ports as numbers, so names only matter when reading. Uses the Debian netbase list the iptables model embeds,
 * so results do not depend on the machine running the emulator.
 */
final class ServiceNames {
    private static final String RESOURCE = "/org/vnetlab/emulator/netfilter/iptables/services.txt";
    private static final Map<String, Integer> BY_NAME = new HashMap<>();

    static {
        try (InputStream in = ServiceNames.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " missing from the classpath");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] w = line.trim().split("\\s+");
                int port = Integer.parseInt(w[1].split("/")[0]);
                for (int i = 0; i < w.length; i++) {
                    if (i == 1) continue;
                    if (w[i].startsWith("#")) break;
                    BY_NAME.putIfAbsent(w[i], port);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ServiceNames() {}

    static Optional<Integer> port(String name) { return Optional.ofNullable(BY_NAME.get(name)); }
}
