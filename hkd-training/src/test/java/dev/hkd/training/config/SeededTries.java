package dev.hkd.training.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.opentest4j.AssertionFailedError;

/**
 * Runs a randomized test as a number of tries, each drawn from a {@link SplittableRandom} split off
 * one seed, so that any run can be replayed exactly. The seed is printed once per test; it is
 * {@code HKD_PROPERTY_SEED} (a system property, else an environment variable) when set, otherwise a
 * fresh one. The first failing try stops the run with a one-line message naming the test, the seed,
 * the try index, the input and the failure (kept as the cause).
 *
 * <pre>{@code
 * @Test
 * void anyMutationIsReadOrRefused() {
 *     SeededTries.run("ConfigMutationPropertyTest", 1000,
 *             random -> YamlMutations.edit(random),          // draws one input
 *             edit -> readOrRefuse(edit.apply(validTree()))); // checks it, returns its outcome
 * }
 * }</pre>
 *
 * Replay: {@code HKD_PROPERTY_SEED=123 ./mvnw -B -o -pl hkd-training test -Dtest=ConfigMutationPropertyTest}
 * (or {@code -DHKD_PROPERTY_SEED=123}, which Surefire passes on as a system property) draws the
 * same inputs in the same order and fails at the same try.
 */
public final class SeededTries {

    /** The name of the system property and environment variable that fixes the seed. */
    public static final String SEED_VARIABLE = "HKD_PROPERTY_SEED";

    private SeededTries() {}

    /** Draws one input from the try's random source. */
    @FunctionalInterface
    public interface Generator<T> {
        T draw(SplittableRandom random) throws Exception;
    }

    /** Checks one input, throwing on a violation; returns a word for the outcome ("read", "refused"). */
    @FunctionalInterface
    public interface Check<T> {
        String check(T input) throws Exception;
    }

    /** Runs {@code tries} tries with the seed from {@link #seed(String)}; returns the count of each outcome. */
    public static <T> Map<String, Integer> run(String test, int tries, Generator<T> generator, Check<T> check) {
        return run(test, seed(test), tries, generator, check);
    }

    /** Runs {@code tries} tries from a given seed; returns the count of each outcome, also printed. */
    public static <T> Map<String, Integer> run(
            String test, long seed, int tries, Generator<T> generator, Check<T> check) {
        SplittableRandom root = new SplittableRandom(seed);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < tries; i++) {
            // One split per try: try i draws the same input for the same seed whatever the checks did.
            SplittableRandom random = root.split();
            T input = null;
            try {
                input = generator.draw(random);
                outcomes.merge(check.check(input), 1, Integer::sum);
            } catch (Throwable e) {
                if (e instanceof VirtualMachineError vm && !(vm instanceof OutOfMemoryError)) {
                    throw vm;
                }
                fail(
                        test + ": try " + i + " of " + tries + " failed (seed " + seed + ", replay: " + SEED_VARIABLE
                                + "="
                                + seed + ")"
                                + (input == null ? " drawing its input" : " on input " + readable(input.toString()))
                                + ": " + readable(e.toString()),
                        e);
            }
        }
        System.out.println(test + ": " + tries + " tries, outcomes " + outcomes);
        return outcomes;
    }

    /**
     * Shows that a property reports its failures: {@code broken}, a check that fails on any input,
     * run from {@code seed} must fail at try 0 with a message naming the test, the seed, the try and
     * an input that begins {@code inputStart}. Returns the message for further assertions.
     */
    public static <T> String assertBrokenCheckIsReported(
            String test, long seed, Generator<T> generator, Check<T> broken, String inputStart) {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> run(test, seed, 50, generator, broken));
        String expected = test + ": try 0 of 50 failed (seed " + seed + ", replay: " + SEED_VARIABLE + "=" + seed
                + ") on input " + inputStart;
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        return e.getMessage();
    }

    /** A check that throws. */
    @FunctionalInterface
    public interface Assertion {
        void check() throws Exception;
    }

    /**
     * Shows that {@code nothingWritten} can fail: with {@code stray}, which the caller has just
     * written, in place it must throw; once the stray is deleted it must pass.
     */
    public static void assertSeesStray(Path stray, Assertion nothingWritten) throws Exception {
        try {
            assertThrows(AssertionFailedError.class, nothingWritten::check);
        } finally {
            Files.delete(stray);
        }
        nothingWritten.check();
    }

    /** The seed for a test, printed once: {@code HKD_PROPERTY_SEED} when set, otherwise a fresh one. */
    public static long seed(String test) {
        String given = System.getProperty(SEED_VARIABLE);
        if (given == null || given.isBlank()) {
            given = System.getenv(SEED_VARIABLE);
        }
        long seed;
        if (given == null || given.isBlank()) {
            seed = new SplittableRandom().nextLong();
        } else {
            try {
                seed = Long.parseLong(given.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        SEED_VARIABLE + "=" + given + " is not a seed: give a whole number"
                                + " (a long), as printed by a previous run",
                        e);
            }
        }
        System.out.println(test + ": seed " + seed + " (replay: " + SEED_VARIABLE + "=" + seed + ")");
        return seed;
    }

    /** An input on one line: control characters escaped, at most 4 000 characters of it shown. */
    public static String readable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 4000; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\uFEFF') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.length() < 4000 ? out.toString() : out + "…(" + text.length() + " chars)";
    }

    // Draws used by the generators, so that all of them pick alike.

    /** One of the values, each as likely. */
    @SafeVarargs
    public static <T> T oneOf(SplittableRandom random, T... values) {
        return values[random.nextInt(values.length)];
    }

    /** One of the values, each as likely. */
    public static <T> T oneOf(SplittableRandom random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** True with probability {@code weight / total}. */
    public static boolean chance(SplittableRandom random, int weight, int total) {
        return random.nextInt(total) < weight;
    }

    /** A whole number in {@code [min, max]}. */
    public static int between(SplittableRandom random, int min, int max) {
        return random.nextInt(min, max + 1);
    }

    /**
     * A string of up to {@code maxLength} characters of any kind: mostly printable ASCII, some
     * control characters, some from anywhere in the Basic Multilingual Plane (no lone surrogates,
     * which no file can hold).
     */
    public static String anyString(SplittableRandom random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            char c;
            if (kind < 6) {
                c = (char) random.nextInt(0x20, 0x7F);
            } else if (kind < 7) {
                c = (char) random.nextInt(0, 0x20);
            } else {
                do {
                    c = (char) random.nextInt(0x80, 0x10000);
                } while (Character.isSurrogate(c));
            }
            s.append(c);
        }
        return s.toString();
    }

    /** A string of up to {@code maxLength} characters taken from {@code chars}. */
    public static String stringOf(SplittableRandom random, String chars, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(chars.charAt(random.nextInt(chars.length())));
        }
        return s.toString();
    }
}
