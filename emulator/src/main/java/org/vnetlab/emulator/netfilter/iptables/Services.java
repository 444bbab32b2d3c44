package org.vnetlab.emulator.netfilter.iptables;

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
 * Port names, as getservbyname/getservbyport answer them from {@code /etc/services}; vnetlab embeds the
 * Debian netbase list so that {@code --dport ssh} and {@code -L}'s {@code dpt:ssh} do not depend on the
 * machine running the emulator.
 */
final class Services {
    private static final Map<String, Integer> BY_NAME = new HashMap<>();
    private static final Map<String, String> BY_PORT = new HashMap<>();

    static {
        try (InputStream in = Services.class.getResourceAsStream("services.txt")) {
            if (in == null) throw new IllegalStateException("services.txt missing from the classpath");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] w = line.trim().split("\\s+");
                String[] pp = w[1].split("/");
                int port = Integer.parseInt(pp[0]);
                String proto = pp[1];
                for (int i = 0; i < w.length; i++) {
                    if (i == 1) continue;
                    BY_NAME.putIfAbsent(w[i] + "/" + proto, port);
                }
                BY_PORT.putIfAbsent(port + "/" + proto, w[0]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Services() {}

    static Optional<Integer> port(String name, String proto) { return Optional.ofNullable(BY_NAME.get(name + "/" + proto)); }

    static Optional<String> name(int port, String proto) { return Optional.ofNullable(BY_PORT.get(port + "/" + proto)); }
}
