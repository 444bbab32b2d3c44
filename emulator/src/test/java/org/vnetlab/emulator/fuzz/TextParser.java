package org.vnetlab.emulator.fuzz;

import java.util.List;
import org.vnetlab.emulator.input.InputException;

/**
 * A parser of user input under test: its name, how it is run on a file's text, and the real inputs bundled
 * with the project that it reads. {@link #parse} returns the model (whatever the parser returns) or throws
 * the one declared error.
 */
public record TextParser(String name, Parse parse, List<BundledInput> inputs) {
    @FunctionalInterface
    public interface Parse {
        Object run(String file, String text) throws InputException;
    }

    public TextParser {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) throw new IllegalArgumentException(name + ": no bundled input");
    }

    public Object parse(String file, String text) throws InputException {
        return parse.run(file, text);
    }

    @Override
    public String toString() { return name; }
}
