package dev.hkd.experiments.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** Runs the command line in this JVM with its console captured. */
final class CapturedConsole {

    private CapturedConsole() {}

    /** Runs {@code command}; returns its exit code, what it printed to stdout and to stderr. */
    static String[] run(Supplier<Integer> command) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = command.get();
            return new String[] {
                Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)
            };
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
