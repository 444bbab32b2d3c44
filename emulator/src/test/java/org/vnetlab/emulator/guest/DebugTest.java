package org.vnetlab.emulator.guest;

import org.junit.jupiter.api.Test;

class DebugTest {
    @Test
    void dbg() {
        Rig rig = new Rig(OsProfile.debian("debian")).withDns("8.8.8.8");
        CommandResult r = rig.guest.run("ping -c 1 -t 1 8.8.8.8");
        System.out.println(r.output());
        for (Rig.WireFrame f : rig.wire) System.out.println(f.atNanos() + " " + f.direction() + " " + io.netty.buffer.ByteBufUtil.hexDump(f.bytes()));
        System.out.println(rig.lab.log());
        System.out.println(rig.lab.counters());
    }
}
