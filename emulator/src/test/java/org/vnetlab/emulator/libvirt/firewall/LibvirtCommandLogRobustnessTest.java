package org.vnetlab.emulator.libvirt.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.input.InputException;

/** Command logs as a paste mangles them: blank-looking lines, a continuation into nothing. */
class LibvirtCommandLogRobustnessTest {
    @Test
    void aLineOfSpacesBetweenCommandsIsBlank() throws InputException {
        // found by Jazzer (ParserFuzzTestInputs/libvirtCommandLog/crash-b96aecc...): a line " " made an empty word list
        List<FirewallCommand> commands = LibvirtCommandLog.parse("log", " \niptables \\\n-w \\\n--table filter \\\n--list\n");

        assertThat(commands).singleElement().satisfies(c -> assertThat(c.tool()).isEqualTo(FirewallCommand.Tool.IPTABLES));
    }

    @Test
    void aCommandOfOnlyContinuationsIsAnErrorOnItsFirstLine() {
        InputException e = catchThrowableOfType(InputException.class, () -> LibvirtCommandLog.parse("log", "iptables -L\n   \\\n \n"));

        assertThat(e).isNotNull();
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.problem()).isEqualTo("a command without words");
    }
}
