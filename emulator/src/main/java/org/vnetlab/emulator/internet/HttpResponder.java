package org.vnetlab.emulator.internet;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A small web server's replies: once a request's header is complete, "HTTP/1.0 200 OK" with a few headers
 * and the site's body, then the server closes (HTTP/1.0, as the reference rig's Python SimpleHTTP server
 * did). HEAD gets the headers only; a method other than GET or HEAD gets 501.
 */
public final class HttpResponder {
    public static final String DEFAULT_BODY = "<html>vnetlab</html>\n";

    private final String body;

    public HttpResponder(String body) {
        this.body = body;
    }

    public String body() { return body; }

    /** The response to {@code received} so far, or empty while its header is incomplete. */
    public Optional<byte[]> respond(byte[] received) {
        String text = new String(received, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) return Optional.empty();
        String requestLine = text.substring(0, text.indexOf("\r\n"));
        String method = requestLine.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        String status;
        String content;
        if (method.equals("GET") || method.equals("HEAD")) {
            status = "200 OK";
            content = body;
        } else {
            status = "501 Not Implemented";
            content = "";
        }
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.0 " + status + "\r\n"
                + "Server: vnetlab\r\n"
                + "Content-type: text/html\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        if (method.equals("HEAD")) return Optional.of(h);
        byte[] out = java.util.Arrays.copyOf(h, h.length + bytes.length);
        System.arraycopy(bytes, 0, out, h.length, bytes.length);
        return Optional.of(out);
    }
}
