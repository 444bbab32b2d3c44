package org.vnetlab.emulator.libvirt.driver;

import java.util.Objects;
import java.util.Optional;
import org.vnetlab.emulator.input.InputException;

/**
 * An error the libvirt API reports: its code and the detail, printed by virsh as libvirt formats it
 * ({@code virErrorMsg}): the code's text, a colon, the detail ({@code Network not found: no network with
 * matching name 'foo'}). A few codes print the detail alone.
 *
 * @param cause the precise parse error behind an XML error, kept as extra detail libvirt itself does not print
 */
public final class LibvirtError extends Exception {
    private static final long serialVersionUID = 1L;

    /** The virErrorNumber values the network driver raises, with the text virerror.c puts before the detail. */
    public enum Code {
        INTERNAL_ERROR("internal error: "),
        NO_SUPPORT("this function is not supported by the connection driver: "),
        OPERATION_FAILED("operation failed: "),
        XML_ERROR("XML error: "),
        XML_DETAIL(""),
        SYSTEM_ERROR(""),
        NO_NETWORK("Network not found: "),
        INVALID_MAC("invalid MAC address: "),
        OPERATION_INVALID("Requested operation is not valid: "),
        CONFIG_UNSUPPORTED("unsupported configuration: "),
        XML_INVALID_SCHEMA("XML document failed to validate against schema: ");

        private final String prefix;

        Code(String prefix) {
            this.prefix = prefix;
        }
    }

    private final Code code;
    private final String detail;
    private final transient Optional<InputException> parseError;

    public LibvirtError(Code code, String detail) {
        this(code, detail, Optional.empty());
    }

    public LibvirtError(Code code, String detail, Optional<InputException> parseError) {
        super(code.prefix + detail);
        this.code = Objects.requireNonNull(code);
        this.detail = Objects.requireNonNull(detail);
        this.parseError = parseError;
    }

    public Code code() { return code; }

    public String detail() { return detail; }

    /** The full message as virsh prints it after {@code error: }. */
    public String text() { return getMessage(); }

    /** Where our own parser located the problem (file:line:column), when libvirt's text does not say. */
    public Optional<InputException> parseError() { return parseError; }
}
