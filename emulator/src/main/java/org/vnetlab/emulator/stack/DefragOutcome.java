package org.vnetlab.emulator.stack;

/** What ip_defrag did with one fragment. */
public sealed interface DefragOutcome {
    /** The fragment completed its datagram. */
    record Whole(Reassembled datagram) implements DefragOutcome { }

    /** Queued (or dropped alone as a duplicate): its datagram is not whole yet. */
    record Held() implements DefragOutcome { }

    /** Refused or its queue killed; ReasmFails counted. */
    record Dropped(String why) implements DefragOutcome { }

    DefragOutcome HELD = new Held();
}
