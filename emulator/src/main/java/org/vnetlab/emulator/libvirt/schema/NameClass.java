package org.vnetlab.emulator.libvirt.schema;

/** Which element or attribute names a pattern accepts. */
sealed interface NameClass permits NameClass.Name, NameClass.AnyName {
    boolean contains(String namespace, String localName);

    /** One name; {@code namespace} is "" for libvirt's unqualified names. */
    record Name(String namespace, String localName) implements NameClass {
        @Override
        public boolean contains(String ns, String local) {
            return namespace.equals(ns) && localName.equals(local);
        }
    }

    /** Any name at all (the children of {@code <metadata>}). */
    record AnyName() implements NameClass {
        @Override public boolean contains(String ns, String local) { return true; }
    }
}
