package org.vnetlab.emulator.libvirt.xml;

/** A run of character data between two tags; {@code line}/{@code column} are where the run ends. */
public record XmlText(String text, int line, int column) implements XmlNode {
    public boolean isWhitespace() {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
        }
        return true;
    }
}
