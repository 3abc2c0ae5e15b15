package dev.hkd.runner.report;

import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Welch's two-sample t-test of {@code mean(x) − mean(baseline)}: unequal variances, the
 * Welch–Satterthwaite degrees of freedom, a two-sided p-value and a 95 % confidence interval. It
 * assumes each sample's values are independent draws from a normal distribution; with three seeds
 * that assumption cannot be checked, and the test has little power.
 *
 * @param difference mean(x) − mean(baseline)
 * @param low        lower end of the 95 % interval of the difference
 * @param high       upper end
 * @param p          two-sided p-value; NaN when either sample has fewer than 2 values or both have no spread
 * @param df         Welch–Satterthwaite degrees of freedom
 */
public record WelchTest(double difference, double low, double high, double p, double df, int n, int baselineN) {

    public static WelchTest of(List<Double> x, List<Double> baseline) {
        double difference = Report.mean(x) - Report.mean(baseline);
        int nx = x.size();
        int nb = baseline.size();
        if (nx < 2 || nb < 2) {
            return new WelchTest(difference, Double.NaN, Double.NaN, Double.NaN, Double.NaN, nx, nb);
        }
        double vx = Math.pow(Report.std(x), 2) / nx;
        double vb = Math.pow(Report.std(baseline), 2) / nb;
        double se = Math.sqrt(vx + vb);
        if (se == 0) {
            return new WelchTest(difference, difference, difference, Double.NaN, Double.NaN, nx, nb);
        }
        double df = (vx + vb) * (vx + vb) / (vx * vx / (nx - 1) + vb * vb / (nb - 1));
        TDistribution t = new TDistribution(null, df);
        double p = 2 * t.cumulativeProbability(-Math.abs(difference / se));
        double half = t.inverseCumulativeProbability(0.975) * se;
        return new WelchTest(difference, difference - half, difference + half, p, df, nx, nb);
    }

    /** True when the interval excludes 0 (p below 0.05). */
    public boolean significant() {
        return !Double.isNaN(p) && p < 0.05;
    }
}
