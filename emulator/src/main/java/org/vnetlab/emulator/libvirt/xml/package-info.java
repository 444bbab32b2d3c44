/**
 * A locked-down XML reader for small configuration documents: no DTDs, no entities, bounded size and depth,
 * every node with the line and column a SAX locator reports for it.
 */
package org.vnetlab.emulator.libvirt.xml;
