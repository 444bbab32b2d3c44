package org.vnetlab.emulator.libvirt.xml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.vnetlab.emulator.input.InputException;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.ext.LexicalHandler;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads a small XML document (libvirt network XML) into an immutable {@link XmlElement} tree, refusing anything
 * that could make a parser expand or fetch: no DOCTYPE at all (hence no entity definitions, no billion laughs,
 * no external entities), no external DTD or schema access, a byte limit and a nesting limit.
 */
public final class SecureXmlReader {
    /** libvirt network definitions are a few kilobytes; anything near this is not one. */
    public static final int MAX_BYTES = 1 << 20;
    public static final int MAX_DEPTH = 64;

    private SecureXmlReader() {}

    public static XmlElement read(Path path) throws InputException {
        String file = path.toString();
        try {
            long size = Files.size(path);
            if (size > MAX_BYTES) throw tooLarge(file, size);
            return read(file, Files.readAllBytes(path));
        } catch (IOException e) {
            throw new InputException(file, 0, 0, null, "cannot read file: " + e.getMessage());
        }
    }

    public static XmlElement read(String file, String text) throws InputException {
        return read(file, text.getBytes(StandardCharsets.UTF_8));
    }

    public static XmlElement read(String file, byte[] content) throws InputException {
        if (content.length > MAX_BYTES) throw tooLarge(file, content.length);
        TreeBuilder builder = new TreeBuilder();
        try {
            SAXParser parser = newParser();
            parser.setProperty("http://xml.org/sax/properties/lexical-handler", builder);
            InputSource source = new InputSource(new ByteArrayInputStream(content));
            parser.parse(source, builder);
        } catch (DoctypeRefused e) {
            throw new InputException(file, e.line, e.column, "<!DOCTYPE",
                    "document type declarations are not allowed: no DTD, no entity definitions, no external entities",
                    "libvirt's own network XML never has one; remove the <!DOCTYPE ...> part");
        } catch (TooDeep e) {
            throw new InputException(file, e.line, e.column, null,
                    "elements nested deeper than " + MAX_DEPTH + " levels");
        } catch (SAXParseException e) {
            throw new InputException(file, Math.max(e.getLineNumber(), 0), Math.max(e.getColumnNumber(), 0), null,
                    "not well-formed XML: " + e.getMessage());
        } catch (SAXException e) {
            throw new InputException(file, 0, 0, null, "not well-formed XML: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory failed", e);
        }
        if (builder.root == null) throw new InputException(file, 0, 0, null, "no root element");
        return builder.root;
    }

    /** The JDK's own parser, locked down; {@code newDefaultInstance} so no other SAX provider on the classpath is picked. */
    static SAXParser newParser() throws SAXException {
        try {
            SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setValidating(false);
            factory.setXIncludeAware(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            SAXParser parser = factory.newSAXParser();
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return parser;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's SAX parser lacks a security feature", e);
        }
    }

    private static InputException tooLarge(String file, long size) {
        return new InputException(file, 0, 0, null,
                "file is " + size + " bytes; network XML is limited to " + MAX_BYTES + " bytes");
    }

    /** Raised from {@code startDTD}, before the parser reads any declaration inside the DOCTYPE. */
    private static final class DoctypeRefused extends SAXException {
        private static final long serialVersionUID = 1L;
        final int line;
        final int column;

        DoctypeRefused(int line, int column) {
            super("DOCTYPE refused");
            this.line = line;
            this.column = column;
        }
    }

    private static final class TooDeep extends SAXException {
        private static final long serialVersionUID = 1L;
        final int line;
        final int column;

        TooDeep(int line, int column) {
            super("too deep");
            this.line = line;
            this.column = column;
        }
    }

    private static final class Frame {
        final String namespace;
        final String localName;
        final String qName;
        final List<XmlAttribute> attributes;
        final int line;
        final int column;
        final List<XmlNode> children = new ArrayList<>();
        final StringBuilder text = new StringBuilder();
        int textLine;
        int textColumn;

        Frame(String namespace, String localName, String qName, List<XmlAttribute> attributes, int line, int column) {
            this.namespace = namespace;
            this.localName = localName;
            this.qName = qName;
            this.attributes = attributes;
            this.line = line;
            this.column = column;
        }

        void flushText() {
            if (text.length() > 0) {
                children.add(new XmlText(text.toString(), textLine, textColumn));
                text.setLength(0);
            }
        }
    }

    private static final class TreeBuilder extends DefaultHandler implements LexicalHandler {
        private Locator locator;
        private final Deque<Frame> stack = new ArrayDeque<>();
        XmlElement root;

        @Override public void setDocumentLocator(Locator locator) { this.locator = locator; }

        private int line() { return locator == null ? 0 : locator.getLineNumber(); }
        private int column() { return locator == null ? 0 : locator.getColumnNumber(); }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            if (stack.size() >= MAX_DEPTH) throw new TooDeep(line(), column());
            Frame parent = stack.peek();
            if (parent != null) parent.flushText();
            List<XmlAttribute> attributes = new ArrayList<>(atts.getLength());
            for (int i = 0; i < atts.getLength(); i++) {
                attributes.add(new XmlAttribute(atts.getURI(i), atts.getLocalName(i), atts.getQName(i), atts.getValue(i)));
            }
            stack.push(new Frame(uri, localName, qName, attributes, line(), column()));
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            Frame top = stack.peek();
            if (top == null) return; // only whitespace can sit outside the root element
            top.text.append(ch, start, length);
            top.textLine = line();
            top.textColumn = column();
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            Frame f = stack.pop();
            f.flushText();
            XmlElement e = new XmlElement(f.namespace, f.localName, f.qName, f.attributes, f.children,
                    f.line, f.column, line(), column());
            Frame parent = stack.peek();
            if (parent == null) root = e;
            else parent.children.add(e);
        }

        @Override
        public InputSource resolveEntity(String publicId, String systemId) throws SAXException {
            throw new DoctypeRefused(line(), column());
        }

        @Override
        public void startDTD(String name, String publicId, String systemId) throws SAXException {
            throw new DoctypeRefused(line(), column());
        }

        @Override public void endDTD() {}
        @Override public void startEntity(String name) {}
        @Override public void endEntity(String name) {}
        @Override public void startCDATA() {}
        @Override public void endCDATA() {}
        @Override public void comment(char[] ch, int start, int length) {}
    }
}
