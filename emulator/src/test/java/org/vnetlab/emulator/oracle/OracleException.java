package org.vnetlab.emulator.oracle;

/** The kernel oracle could not do what was asked: bad spec, harness failure, timeout. */
public final class OracleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OracleException(String message) { super(message); }

    public OracleException(String message, Throwable cause) { super(message, cause); }
}
