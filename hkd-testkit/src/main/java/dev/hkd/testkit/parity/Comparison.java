package dev.hkd.testkit.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the checks of one case against the README's float32 tolerances: losses within 1e-4
 * relative; each gradient within 1e-4 of its largest absolute entry; memory banks within 1e-5
 * absolute; index lists exactly.
 */
public final class Comparison {

    public static final double LOSS_RELATIVE = 1e-4;
    public static final double GRADIENT_RELATIVE_TO_MAX = 1e-4;
    public static final double MEMORY_ABSOLUTE = 1e-5;
    /** Trajectories: each step's loss values within 1e-4 relative, or 1e-6 absolute. */
    public static final double STEP_RELATIVE = 1e-4;

    public static final double STEP_ABSOLUTE = 1e-6;
    /** Trajectories: every final tensor within {@code 2e-3 + 1e-2 · max|reference|}, elementwise. */
    public static final double FINAL_ABSOLUTE = 2e-3;

    public static final double FINAL_RELATIVE_TO_MAX = 1e-2;

    private final List<String> failures = new ArrayList<>();
    private int checks;
    private double worstLoss;
    private double worstGrad;
    private double worstStep;
    private String worstStepWhere = "-";
    private double worstTensor;
    private String worstTensorWhere = "-";
    private String summary;

    public void loss(String what, double actual, double expected) {
        checks++;
        double rel = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-12);
        worstLoss = Math.max(worstLoss, rel);
        if (!(rel <= LOSS_RELATIVE)) {
            failures.add(String.format(
                    "%s: %.9g vs reference %.9g (relative error %.2e > %.0e)",
                    what, actual, expected, rel, LOSS_RELATIVE));
        }
    }

    /** The scalar {@code actual} against {@code expected.<key>} of the case, within {@link #LOSS_RELATIVE}. */
    public void loss(ParityCase c, String key, NDArray actual) {
        loss(key, actual.toType(DataType.FLOAT64, false).getDouble(), c.expected(key));
    }

    /** Each differentiable input's gradient against the case's {@code expected.grad.<key>} (a list, one per stage). */
    public void gradients(ParityCase c, String key, List<NDArray> inputs) {
        if (inputs.isEmpty()) {
            fail("grad " + key + ": no inputs to compare");
            return;
        }
        List<NDArray> expected = c.expectedGradients(inputs.get(0).getManager(), key);
        if (expected.size() != inputs.size()) {
            fail("expected.grad." + key + ": " + expected.size() + " tensors for " + inputs.size() + " inputs");
            return;
        }
        for (int i = 0; i < inputs.size(); i++) {
            gradient("grad " + key + "[" + i + "]", inputs.get(i).getGradient(), expected.get(i));
        }
    }

    /** The differentiable input's gradient against the case's {@code expected.grad.<key>}. */
    public void gradient(ParityCase c, String key, NDArray input) {
        gradient("grad " + key, input.getGradient(), c.expectedGradient(input.getManager(), key));
    }

    public void gradient(String what, NDArray actual, NDArray expected) {
        checks++;
        if (!shapeMatches(what, actual, expected)) {
            return;
        }
        double scale = expected.abs().max().toType(DataType.FLOAT64, false).getDouble();
        double err = maxAbsDiff(actual, expected);
        double rel = err / Math.max(scale, 1e-12);
        worstGrad = Math.max(worstGrad, rel);
        if (!(err <= GRADIENT_RELATIVE_TO_MAX * scale) && !(scale == 0 && err == 0)) {
            failures.add(String.format(
                    "%s: max error %.3g > %.0e × max |reference| %.3g", what, err, GRADIENT_RELATIVE_TO_MAX, scale));
        }
    }

    public void absolute(String what, NDArray actual, NDArray expected, double tolerance) {
        checks++;
        if (!shapeMatches(what, actual, expected)) {
            return;
        }
        double err = maxAbsDiff(actual, expected);
        if (!(err <= tolerance)) {
            failures.add(String.format("%s: max error %.3g > %.0e", what, err, tolerance));
        }
    }

    public void exact(String what, long[] actual, long[] expected) {
        checks++;
        if (!java.util.Arrays.equals(actual, expected)) {
            failures.add(what + ": " + java.util.Arrays.toString(actual) + " vs reference "
                    + java.util.Arrays.toString(expected));
        }
    }

    /** A per-step value of a trajectory: within {@link #STEP_RELATIVE} relative or {@link #STEP_ABSOLUTE} absolute. */
    public void stepValue(String what, double actual, double expected) {
        checks++;
        double abs = Math.abs(actual - expected);
        double rel = abs / Math.max(Math.abs(expected), 1e-12);
        double shown = expected == 0 ? abs : rel;
        if (shown >= worstStep) {
            worstStep = shown;
            worstStepWhere = what;
        }
        if (!(rel <= STEP_RELATIVE || abs <= STEP_ABSOLUTE)) {
            failures.add(String.format(
                    "%s: %.9g vs reference %.9g (relative error %.2e > %.0e)",
                    what, actual, expected, rel, STEP_RELATIVE));
        }
    }

    /** A tensor after a trajectory's last step: within {@code 2e-3 + 1e-2 · max|reference|}. */
    public void finalTensor(String what, NDArray actual, NDArray expected) {
        checks++;
        if (!shapeMatches(what, actual, expected)) {
            return;
        }
        double scale = expected.abs().max().toType(DataType.FLOAT64, false).getDouble();
        double tolerance = FINAL_ABSOLUTE + FINAL_RELATIVE_TO_MAX * scale;
        double err = maxAbsDiff(actual, expected);
        if (err / tolerance >= worstTensor) {
            worstTensor = err / tolerance;
            worstTensorWhere = String.format("%s, error %.2e", what, err);
        }
        if (!(err <= tolerance)) {
            failures.add(String.format("%s: max error %.3g > tolerance %.3g", what, err, tolerance));
        }
    }

    /** Where a trajectory came closest to its tolerances. */
    public String trajectorySummary(int steps, int tensors) {
        return String.format(
                "%d steps, worst step error %.1e rel. (%s); %d tensors, worst %.1e of tolerance (%s)",
                steps, worstStep, worstStepWhere, tensors, worstTensor, worstTensorWhere);
    }

    public void fail(String message) {
        failures.add(message);
    }

    private boolean shapeMatches(String what, NDArray actual, NDArray expected) {
        if (!actual.getShape().equals(expected.getShape())) {
            failures.add(what + ": shape " + actual.getShape() + " vs reference " + expected.getShape());
            return false;
        }
        return true;
    }

    private static double maxAbsDiff(NDArray a, NDArray b) {
        return a.toType(DataType.FLOAT64, false)
                .sub(b.toType(DataType.FLOAT64, false))
                .abs()
                .max()
                .getDouble();
    }

    public List<String> failures() {
        return failures;
    }

    public boolean passed() {
        return failures.isEmpty() && checks > 0;
    }

    /** Replaces the default summary (a trajectory says where it came closest to its tolerances). */
    public void setSummary(String summary) {
        this.summary = summary;
    }

    public boolean hasSummary() {
        return summary != null;
    }

    public String summary() {
        if (summary != null) {
            return summary;
        }
        return String.format(
                "%d checks, worst loss rel. error %.1e, worst gradient error %.1e of max",
                checks, worstLoss, worstGrad);
    }
}
