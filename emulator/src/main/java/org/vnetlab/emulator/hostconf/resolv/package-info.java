/**
 * {@code /etc/resolv.conf} as glibc's resolver reads it (nameservers, at most three used; search/domain;
 * options), plus who generated it (systemd-resolved's stub, NetworkManager, resolvconf) — libvirt's dnsmasq
 * forwards guests' queries to these servers.
 */
package org.vnetlab.emulator.hostconf.resolv;
