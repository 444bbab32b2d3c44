package org.vnetlab.emulator.hostconf;

/** One file of a dump folder: its name, what it was recognised as, its text and what it parsed into. */
public record DumpedFile(String name, Detection detection, String text, DumpContent content) {
    public boolean is(DumpKind kind) {
        return detection instanceof Detection.Recognised r && r.kind() == kind;
    }
}
