package org.vnetlab.emulator.libvirt.schema;

/**
 * The first place a document breaks the grammar: where (as a SAX locator reports it, the way Jing does), the
 * offending token as written, and a message in Jing's words ({@code element "dns" not allowed here; expected ...}).
 */
public record SchemaViolation(int line, int column, String token, String message) {}
