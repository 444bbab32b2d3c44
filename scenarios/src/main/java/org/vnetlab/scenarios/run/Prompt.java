package org.vnetlab.scenarios.run;

import org.vnetlab.scenarios.script.Topology;

/** The prompt a node's terminal shows before a command, so a transcript reads like the sessions it replays. */
public final class Prompt {
    private Prompt() {}

    public static String of(World.Node node) {
        return switch (node.kind()) {
            case HOST, LAN_HOST -> node.name() + " $ ";
            case GUEST -> node.os().orElse(Topology.GuestOs.LINUX) == Topology.GuestOs.WINDOWS
                    ? node.name() + " C:\\> " : node.name() + " $ ";
            case ROUTER, INTERNET -> node.name() + " # ";
        };
    }
}
