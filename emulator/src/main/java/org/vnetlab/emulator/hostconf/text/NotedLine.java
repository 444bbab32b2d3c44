package org.vnetlab.emulator.hostconf.text;

/**
 * A line a parser understood and deliberately did not turn into model data (an IPv6 route, a stderr line
 * of the tool, a shell prompt), with the reason. Parsers return these instead of dropping lines silently.
 */
public record NotedLine(int line, String text, String reason) {
    @Override
    public String toString() { return line + ": " + reason + ": " + text.strip(); }
}
