/**
 * Kernel parameters: {@code sysctl -a} dumps and {@code sysctl.conf} / {@code sysctl.d} files in, the
 * {@code sysctl} command's behaviour (procps-ng 4.0.2: read, {@code -w}, {@code -p}, its messages and exit
 * status), and a catalogue of the keys vnetlab emulates with Linux 6.18's defaults, validation and side
 * effects (an {@code ip_forward} write sets every interface's {@code forwarding}).
 */
package org.vnetlab.emulator.hostconf.sysctl;
