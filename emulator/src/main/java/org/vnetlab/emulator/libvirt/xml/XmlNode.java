package org.vnetlab.emulator.libvirt.xml;

/** A node of a parsed XML document: an element or a run of character data. */
public sealed interface XmlNode permits XmlElement, XmlText {
    /** 1-based line where the parser reported this node (the end of a start tag, the end of a text run). */
    int line();

    int column();
}
