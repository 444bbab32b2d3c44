/**
 * libvirt's network XML grammar in our own code, and a RELAX NG validator (derivatives of patterns) that runs it
 * and reports the first violation in Jing's words. libvirt's schema files are not shipped: tests compare this
 * grammar with them through Jing.
 */
package org.vnetlab.emulator.libvirt.schema;
