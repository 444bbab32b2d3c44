package org.vnetlab.emulator.libvirt.xml;

/** One attribute as written (after XML's attribute-value normalization); {@code namespace} is "" when unprefixed. */
public record XmlAttribute(String namespace, String localName, String qName, String value) {
    /** How the attribute appears in messages: {@code stp='maybe'}. */
    public String asWritten() { return qName + "='" + value + "'"; }
}
