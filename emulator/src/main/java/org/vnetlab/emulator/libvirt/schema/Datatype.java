package org.vnetlab.emulator.libvirt.schema;

/** A data type of attribute values and text content: which lexical forms it allows, and how to name it. */
interface Datatype {
    boolean allows(String lexical);

    /** Completes "must be ...": {@code an IPv4 address}. */
    String description();
}
