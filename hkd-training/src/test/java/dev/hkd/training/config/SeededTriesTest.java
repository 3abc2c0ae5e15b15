package dev.hkd.training.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The seeded runner that the mutation tests share: replayable, and loud when a try fails. */
class SeededTriesTest {

    @Test
    void theSameSeedDrawsTheSameInputsInTheSameOrder() {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        SeededTries.run("first", 99L, 200, r -> YamlMutations.edit(r) + " " + YamlMutations.overrides(r), s -> {
            first.add(s);
            return "seen";
        });
        SeededTries.run("second", 99L, 200, r -> YamlMutations.edit(r) + " " + YamlMutations.overrides(r), s -> {
            second.add(s);
            return "seen";
        });
        assertEquals(first, second);
        assertTrue(
                first.stream().distinct().count() > 150,
                "tries draw different inputs: " + first.stream().distinct().count());
    }

    @Test
    void aTryDrawsTheSameInputWhateverTheChecksBeforeItDrew() {
        List<Long> plain = new ArrayList<>();
        List<Long> greedy = new ArrayList<>();
        SeededTries.run("plain", 5L, 20, r -> r.nextLong(), n -> {
            plain.add(n);
            return "seen";
        });
        SeededTries.run(
                "greedy",
                5L,
                20,
                r -> {
                    long n = r.nextLong();
                    r.ints(1000)
                            .forEach(
                                    i -> {}); // a generator that draws more after its input takes nothing from the next
                    // try
                    return n;
                },
                n -> {
                    greedy.add(n);
                    return "seen";
                });
        assertEquals(plain, greedy);
    }

    @Test
    void outcomesAreCounted() {
        Map<String, Integer> outcomes =
                SeededTries.run("count", 1L, 100, r -> r.nextInt(10), n -> n < 3 ? "low" : "high");
        assertEquals(100, outcomes.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(Set.of("high", "low"), outcomes.keySet());
    }

    @Test
    void theFirstFailingTryStopsTheRunNamingSeedTryAndInput() {
        RuntimeException cause = new IllegalStateException("boom");
        List<Integer> checked = new ArrayList<>();
        AssertionFailedError e = assertThrows(
                AssertionFailedError.class,
                () -> SeededTries.run("SomeTest", 123L, 10, r -> "input\nwith a newline", s -> {
                    checked.add(checked.size());
                    if (checked.size() == 4) {
                        throw cause;
                    }
                    return "fine";
                }));
        assertEquals(
                "SomeTest: try 3 of 10 failed (seed 123, replay: HKD_PROPERTY_SEED=123) on input input\\nwith a newline:"
                        + " java.lang.IllegalStateException: boom",
                e.getMessage());
        assertSame(cause, e.getCause());
        assertEquals(4, checked.size());
    }

    @Test
    void theSeedIsTakenFromHkdPropertySeed() {
        String before = System.getProperty(SeededTries.SEED_VARIABLE);
        try {
            System.setProperty(SeededTries.SEED_VARIABLE, "-42");
            assertEquals(-42L, SeededTries.seed("SeededTriesTest"));
            System.setProperty(SeededTries.SEED_VARIABLE, "forty-two");
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> SeededTries.seed("SeededTriesTest"));
            assertEquals(
                    "HKD_PROPERTY_SEED=forty-two is not a seed: give a whole number (a long), as printed by a previous run",
                    e.getMessage());
            System.clearProperty(SeededTries.SEED_VARIABLE);
            if (System.getenv(SeededTries.SEED_VARIABLE) == null) {
                assertNotEquals(
                        SeededTries.seed("SeededTriesTest"), SeededTries.seed("SeededTriesTest"), "fresh seeds");
            }
        } finally {
            if (before == null) {
                System.clearProperty(SeededTries.SEED_VARIABLE);
            } else {
                System.setProperty(SeededTries.SEED_VARIABLE, before);
            }
        }
    }
}
