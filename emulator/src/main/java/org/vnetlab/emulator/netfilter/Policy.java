package org.vnetlab.emulator.netfilter;

/** The verdict of a built-in chain when no rule decided: only ACCEPT and DROP are allowed by iptables. */
public enum Policy { ACCEPT, DROP }
