package org.vnetlab.emulator.selftests;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vnetlab.emulator.oracle.KernelOracle;
import org.vnetlab.emulator.oracle.KernelOracleExtension;

/**
 * The checks of one selftest, written once against {@link #run} and applied to two runs of its scenario.
 * Each selftest's abstract {@code Checks} extends this; its nested {@code Vnetlab} and {@code Kernel} classes
 * extend {@code Checks} and implement {@link OnVnetlab} or {@link OnKernel}, which say where the run comes
 * from (JUnit runs an interface's {@code @BeforeAll} default method for a per-class test instance).
 */
abstract class SelftestChecks {
    private final Scenario scenario;
    Observed run;

    SelftestChecks(Scenario scenario) { this.scenario = scenario; }

    public Scenario scenario() { return scenario; }

    public void observe(Observed run) { this.run = run; }

    /** vnetlab's run of the scenario, on the rig. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    interface OnVnetlab {
        Scenario scenario();

        void observe(Observed run);

        @BeforeAll
        default void runOnVnetlab() { observe(Observed.vnetlab(scenario().emulate())); }
    }

    /**
     * The kernel's run of the scenario through the oracle harness (failing, or skipped where allowed, when the
     * oracle cannot run here); the class adds the test that vnetlab agrees with it.
     */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @ExtendWith(KernelOracleExtension.class)
    interface OnKernel {
        Scenario scenario();

        void observe(Observed run);

        @BeforeAll
        default void runOnKernel(KernelOracle oracle) { observe(scenario().kernel(oracle)); }

        /** A fresh vnetlab run to hold against the kernel's. */
        default Observed vnetlab() { return Observed.vnetlab(scenario().emulate()); }
    }
}
