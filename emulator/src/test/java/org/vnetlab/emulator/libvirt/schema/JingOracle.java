package org.vnetlab.emulator.libvirt.schema;

import com.thaiopensource.resolver.AbstractResolver;
import com.thaiopensource.resolver.BasicResolver;
import com.thaiopensource.resolver.Identifier;
import com.thaiopensource.resolver.Input;
import com.thaiopensource.resolver.ResolverException;
import com.thaiopensource.util.PropertyMapBuilder;
import com.thaiopensource.validate.ValidateProperty;
import com.thaiopensource.validate.ValidationDriver;
import com.thaiopensource.validate.rng.SAXSchemaReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.vnetlab.emulator.libvirt.SharedData;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

/**
 * libvirt's real network schema, run by Jing: the oracle our own grammar is checked against. Locked down the
 * same way as the product's reader (no DOCTYPE, no external entities), and the only files it may open are the
 * schema and the two grammars it includes, from the schema's own folder.
 */
final class JingOracle {
    /** The first error Jing reports for a document. */
    record JingError(int line, int column, String message) {}

    private final ValidationDriver driver;
    private final List<JingError> errors = new ArrayList<>();

    JingOracle() {
        Path schemaDir = SharedData.libvirt("src/conf/schemas").toAbsolutePath().normalize();
        PropertyMapBuilder properties = new PropertyMapBuilder();
        properties.put(ValidateProperty.ERROR_HANDLER, new ErrorHandler() {
            @Override public void warning(SAXParseException e) {}
            @Override public void error(SAXParseException e) { record(e); }
            @Override public void fatalError(SAXParseException e) { record(e); }
        });
        properties.put(ValidateProperty.XML_READER_CREATOR, JingOracle::secureReader);
        properties.put(ValidateProperty.RESOLVER, new SchemaDirOnly(schemaDir));
        driver = new ValidationDriver(properties.toPropertyMap(), SAXSchemaReader.getInstance());
        try {
            InputSource schema = ValidationDriver.fileInputSource(schemaDir.resolve("network.rng").toFile());
            if (!driver.loadSchema(schema) || !errors.isEmpty()) {
                throw new IllegalStateException("libvirt's network.rng did not load: " + errors);
            }
        } catch (SAXException | IOException e) {
            throw new IllegalStateException("libvirt's network.rng did not load", e);
        }
    }

    private void record(SAXParseException e) {
        errors.add(new JingError(e.getLineNumber(), e.getColumnNumber(), e.getMessage()));
    }

    /** All errors Jing reports, in document order (empty when valid). */
    synchronized List<JingError> errors(byte[] document) {
        errors.clear();
        try {
            driver.validate(new InputSource(new ByteArrayInputStream(document)));
        } catch (SAXException | IOException e) {
            if (errors.isEmpty()) errors.add(new JingError(0, 0, "Jing failed: " + e.getMessage()));
        }
        return List.copyOf(errors);
    }

    Optional<JingError> firstError(byte[] document) {
        List<JingError> all = errors(document);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    private static XMLReader secureReader() throws SAXException {
        try {
            SAXParserFactory f = SAXParserFactory.newDefaultInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            XMLReader reader = f.newSAXParser().getXMLReader();
            reader.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            reader.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return reader;
        } catch (ParserConfigurationException e) {
            throw new SAXException(e);
        }
    }

    /** Resolves the schema's {@code <include href>} only to files inside the schema folder. */
    private static final class SchemaDirOnly extends AbstractResolver {
        private final Path dir;

        SchemaDirOnly(Path dir) {
            this.dir = dir;
        }

        @Override
        public void resolve(Identifier id, Input input) throws ResolverException {
            if (input.isResolved()) return;
            URI uri = URI.create(BasicResolver.resolveUri(id));
            if (!"file".equals(uri.getScheme())) throw new ResolverException("refused non-file URI " + uri);
            Path target = Path.of(uri).toAbsolutePath().normalize();
            if (!target.startsWith(dir)) throw new ResolverException("refused " + target + " outside " + dir);
            input.setUri(target.toUri().toString());
        }

        @Override
        public void open(Input input) throws IOException, ResolverException {
            if (input.isOpen()) return;
            URI uri = URI.create(input.getUri());
            Path target = Path.of(uri).toAbsolutePath().normalize();
            if (!target.startsWith(dir)) throw new ResolverException("refused " + target + " outside " + dir);
            input.setByteStream(Files.newInputStream(target));
        }
    }
}
