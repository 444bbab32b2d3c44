package org.vnetlab.emulator.netfilter;

/** {@code --ctdir}: whether the packet travels in the connection's original or reply direction. */
public enum CtDirection { ORIGINAL, REPLY }
