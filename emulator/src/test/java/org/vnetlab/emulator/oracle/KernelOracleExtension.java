package org.vnetlab.emulator.oracle;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * For tests that compare with the real kernel: {@code @ExtendWith(KernelOracleExtension.class)}, then take a
 * {@link KernelOracle} parameter. When the oracle cannot run here the whole class FAILS with the reason —
 * unless the environment sets {@code VNETLAB_ALLOW_MISSING_TOOLS=1}, in which case it is skipped with the
 * reason printed. Never a silent pass.
 */
public final class KernelOracleExtension implements BeforeAllCallback, ParameterResolver {
    static final String ALLOW_MISSING = "VNETLAB_ALLOW_MISSING_TOOLS";

    @Override
    public void beforeAll(ExtensionContext context) {
        requireRunnable(KernelOracle.locate(), System.getenv(ALLOW_MISSING), context.getDisplayName());
    }

    /**
     * Returns when the oracle can run; otherwise throws an {@link AssertionError} (the tests fail) or, with
     * {@code allowMissing} "1", a {@link TestAbortedException} (the tests are skipped) after printing why.
     */
    static void requireRunnable(KernelOracle oracle, String allowMissing, String testName) {
        OracleAvailability availability = oracle.availability();
        if (availability.runnable()) return;
        String message = "kernel oracle cannot run here (" + oracle.script() + "): " + availability.reason();
        if ("1".equals(allowMissing)) {
            System.err.println("SKIPPED " + testName + ": " + message + " [" + ALLOW_MISSING + "=1]");
            throw new TestAbortedException(message);
        }
        throw new AssertionError(message + " — install the tools and run as root, or set " + ALLOW_MISSING + "=1 to skip");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KernelOracle.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return KernelOracle.locate();
    }
}
