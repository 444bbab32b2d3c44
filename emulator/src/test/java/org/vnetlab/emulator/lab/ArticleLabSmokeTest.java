package org.vnetlab.emulator.lab;

import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.guest.Guest;
import org.vnetlab.emulator.guest.OsProfile;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.protocols.MacAddress;

class ArticleLabSmokeTest {
    @Test
    void smoke() throws Exception {
        LibvirtHostLab lab = ArticleLab.build(1);
        Guest win = lab.addGuest("win10", OsProfile.windows10("DESKTOP-1"), MacAddress.parse("52:54:00:3b:7d:11"));
        lab.runFor(SimTime.seconds(30));
        System.out.println(lab.virsh("virsh net-destroy default").text());
        System.out.println(lab.host().iptablesSave());
        System.out.println(lab.virsh("virsh net-start default").text());
        System.out.println(lab.host().iptablesSave());
        System.out.println(lab.host().libvirtd().notes());
        System.out.println(win.run("ping -n 1 8.8.8.8").output());
        System.out.println(lab.host().systemctlRestartLibvirtd());
        System.out.println(lab.host().iptablesSave());
        lab.runFor(SimTime.seconds(10));
        System.out.println(win.run("ping -n 1 8.8.8.8").output());
        System.out.println(lab.virsh("virsh net-list --all").text());
        System.out.println(lab.virsh("virsh net-dumpxml default").text());
        System.out.println(lab.host().iptables("sudo iptables -t filter -L LIBVIRT_FWI --line-numbers"));
        System.out.println(lab.host().iptables("sudo iptables -t filter -D LIBVIRT_FWI 2"));
        System.out.println(lab.host().iptables("sudo iptables -t filter -L LIBVIRT_FWI --line-numbers"));
        System.out.println(lab.lanHost());
    }
}
