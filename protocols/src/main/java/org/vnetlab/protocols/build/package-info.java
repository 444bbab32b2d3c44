/** Builders of whole frames from representations, filling lengths and checksums: {@link Frames}. */
package org.vnetlab.protocols.build;
