package dev.hkd.runner.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Welch's t-test against SciPy 1.17.1: {@code scipy.stats.ttest_ind(x, b, equal_var=False)}, its
 * {@code pvalue}, {@code df} and {@code confidence_interval(0.95)}, computed once and recorded here.
 */
class WelchTestTest {

    private static void assertScipy(List<Double> x, List<Double> b, double p, double df, double low, double high) {
        WelchTest t = WelchTest.of(x, b);
        assertEquals(p, t.p(), 1e-10, "p");
        assertEquals(df, t.df(), 1e-10, "df");
        assertEquals(low, t.low(), 1e-9, "low");
        assertEquals(high, t.high(), 1e-9, "high");
        assertEquals(x.size(), t.n());
        assertEquals(b.size(), t.baselineN());
    }

    @Test
    void threeTrialsAgainstThreeMatchScipy() {
        assertScipy(
                List.of(88.1, 88.4, 87.9),
                List.of(87.2, 87.6, 87.5),
                0.02191240397764713,
                3.864150943396198,
                0.16912926178122367,
                1.2308707382187536);
        assertScipy(
                List.of(78.73, 78.56, 79.1),
                List.of(81.81, 81.5, 82.2),
                0.00039822403686820486,
                3.790895122216385,
                -3.7713978426724744,
                -2.3086021573275097);
    }

    @Test
    void unequalSampleSizesAndVariancesMatchScipy() {
        WelchTest t = WelchTest.of(List.of(81.2, 80.1, 82.5, 81.9), List.of(79.0, 80.4));
        assertScipy(
                List.of(81.2, 80.1, 82.5, 81.9),
                List.of(79.0, 80.4),
                0.1757872695212865,
                2.165888650212657,
                -1.753614858182977,
                5.203614858182994);
        assertFalse(t.significant(), "an interval that holds 0 is not a difference");
    }

    @Test
    void aSingleTrialGivesADifferenceButNoTest() {
        WelchTest t = WelchTest.of(List.of(80.0), List.of(78.0, 79.0));
        assertEquals(1.5, t.difference(), 1e-12);
        assertTrue(Double.isNaN(t.p()) && Double.isNaN(t.low()));
        assertFalse(t.significant());
    }
}
