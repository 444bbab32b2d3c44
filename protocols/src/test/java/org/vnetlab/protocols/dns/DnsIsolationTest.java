package org.vnetlab.protocols.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.RefCaptures;

/** The wrapper keeps dnsjava to itself and never reaches for the network or the host's resolver setup. */
class DnsIsolationTest {

    /** Loads every class itself (parent: the platform loader) and remembers which it loaded. */
    private static final class RecordingLoader extends URLClassLoader {
        final List<String> loaded = new ArrayList<>();

        RecordingLoader(URL[] urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (findLoadedClass(name) == null && name.startsWith("org.xbill.")) loaded.add(name);
                return super.loadClass(name, resolve);
            }
        }
    }

    @Test
    void parsingAndEncodingLoadNoResolverClasses() throws IOException, ReflectiveOperationException {
        byte[] query = RefCaptures.dns("guest-eth0.pcap").get(0).payload();
        byte[] answer = RefCaptures.dns("guest-eth0.pcap").get(1).payload();
        try (RecordingLoader loader = new RecordingLoader(classPath())) {
            Class<?> message = loader.loadClass(DnsMessage.class.getName());
            Method parse = message.getMethod("parse", byte[].class);
            Method toWire = message.getMethod("toWire");
            Class<?> type = loader.loadClass(DnsType.class.getName());
            for (byte[] b : List.of(query, answer)) {
                Object m = parse.invoke(null, (Object) b);
                assertThat((byte[]) toWire.invoke(m)).isEqualTo(b);
                assertThat(m.toString()).contains("google.com.");
            }
            Object a = type.getField("A").get(null);
            Object q = message.getMethod("query", int.class, String.class, type, boolean.class).invoke(null, 1, "example.org", a, true);
            toWire.invoke(q);
            Class<?> record = loader.loadClass(DnsRecord.class.getName());
            Object mx = record.getMethod("of", String.class, type, long.class, String.class)
                    .invoke(null, "example.org", type.getMethod("parse", String.class).invoke(null, "MX"), 60L, "10 mail.example.org.");
            record.getMethod("text").invoke(mx);

            assertThat(loader.loaded).as("dnsjava classes the wrapper used").contains("org.xbill.DNS.Message")
                    .noneMatch(n -> n.matches("org\\.xbill\\.DNS\\.(\\w*Resolver\\w*|ResolverConfig|Lookup|\\w*Client(\\$.*)?|Cache(\\$.*)?"
                            + "|(config|lookup|hosts|io)\\..*)"));
        }
    }

    @Test
    void onlyTheDnsPackageImportsDnsjava() throws IOException {
        Path main = Path.of(System.getProperty("vnetlab.root", "../..")).resolve("protocols/src/main/java");
        try (Stream<Path> files = Files.walk(main)) {
            List<Path> offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.getParent().endsWith(Path.of("org/vnetlab/protocols/dns")))
                    .filter(p -> read(p).contains("org.xbill"))
                    .toList();
            assertThat(offenders).isEmpty();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URL[] classPath() throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        return urls.toArray(URL[]::new);
    }
}
