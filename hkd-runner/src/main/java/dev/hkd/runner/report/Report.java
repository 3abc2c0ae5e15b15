package dev.hkd.runner.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A paper-style table of finished runs (from a folder or an MLflow experiment): methods × teacher→student pairs,
 * mean ± std over seeds of the last-epoch and of the best-epoch top-1, and HKD's ARI column
 * {@code mean over pairs of (acc(hkd+kd) − acc(X)) / (acc(X) − acc(vanilla)) · 100}.
 */
public final class Report {

    /** Accuracies (%) and costs of the seeds of one method on one pair. */
    public record Runs(List<Double> last, List<Double> best, List<FinishedRun.Cost> costs) {

        Runs() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        void add(FinishedRun run) {
            last.add(run.lastTop1());
            best.add(run.bestTop1());
            costs.add(run.cost());
        }

        List<Double> top1(boolean bestEpoch) {
            return bestEpoch ? best : last;
        }
    }

    private final Map<String, Map<String, Runs>> table = new TreeMap<>();
    private final List<String> pairs = new ArrayList<>();

    private PaperTable paper;
    /** method|pair → trials whose training diverged (no accuracy). */
    private final Map<String, Integer> diverged = new java.util.HashMap<>();

    /** A report of these runs. */
    public static Report of(List<FinishedRun> runs) {
        Report r = new Report();
        for (FinishedRun run : runs) {
            if (run.diverged()) {
                r.diverged.merge(run.method() + "|" + run.pair(), 1, Integer::sum);
                if (!r.pairs.contains(run.pair()) && run.teacher() != null) {
                    r.pairs.add(run.pair());
                }
                r.table.computeIfAbsent(run.method(), k -> new java.util.LinkedHashMap<>());
            } else {
                r.add(run);
            }
        }
        return r;
    }

    /** Shows the paper's numbers (where it has the method and pair) and our difference beside ours. */
    public Report withPaper(PaperTable table) {
        this.paper = table;
        return this;
    }

    /**
     * Students trained without a teacher (vanilla, Tf-KD), by student model; each belongs, in its
     * method's row, to every pair with that student.
     */
    private final Map<String, List<FinishedRun>> vanillaByStudent = new LinkedHashMap<>();

    void add(FinishedRun run) {
        if (run.teacher() == null) {
            vanillaByStudent
                    .computeIfAbsent(run.student(), k -> new ArrayList<>())
                    .add(run);
            return;
        }
        if (!pairs.contains(run.pair())) {
            pairs.add(run.pair());
        }
        table.computeIfAbsent(run.method(), k -> new LinkedHashMap<>())
                .computeIfAbsent(run.pair(), k -> new Runs())
                .add(run);
    }

    private void placeVanilla() {
        for (Map.Entry<String, List<FinishedRun>> e : vanillaByStudent.entrySet()) {
            for (String pair : pairs) {
                if (pair.endsWith("→ " + e.getKey())) {
                    for (FinishedRun run : e.getValue()) {
                        table.computeIfAbsent(run.method(), k -> new LinkedHashMap<>())
                                .computeIfAbsent(pair, k -> new Runs())
                                .add(run);
                    }
                }
            }
        }
        vanillaByStudent.clear();
    }

    public List<String> pairs() {
        placeVanilla();
        return pairs;
    }

    public Map<String, Map<String, Runs>> table() {
        placeVanilla();
        return table;
    }

    static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Sample standard deviation; 0 for a single run. */
    static double std(List<Double> xs) {
        if (xs.size() < 2) {
            return 0;
        }
        double m = mean(xs);
        return Math.sqrt(xs.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / (xs.size() - 1));
    }

    /** HKD's ARI of method X, or NaN without hkd+kd and vanilla on every pair. */
    public double ari(String method, boolean best) {
        Map<String, Runs> hkd = table().get("hkd+kd");
        Map<String, Runs> vanilla = table().get("vanilla");
        Map<String, Runs> x = table().get(method);
        if (hkd == null || vanilla == null || x == null || method.equals("hkd+kd") || method.equals("vanilla")) {
            return Double.NaN;
        }
        double sum = 0;
        int n = 0;
        for (String pair : pairs()) {
            if (!hkd.containsKey(pair) || !vanilla.containsKey(pair) || !x.containsKey(pair)) {
                return Double.NaN;
            }
            double h = mean(best ? hkd.get(pair).best() : hkd.get(pair).last());
            double s = mean(best ? vanilla.get(pair).best() : vanilla.get(pair).last());
            double a = mean(best ? x.get(pair).best() : x.get(pair).last());
            sum += (h - a) / (a - s) * 100;
            n++;
        }
        return sum / n;
    }

    /** {@code text} as LaTeX: its special characters escaped (model names have underscores), ±, → and Δ as math. */
    static String latex(String text) {
        StringBuilder sb = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\\' -> sb.append("\\textbackslash{}");
                case '&', '%', '$', '#', '_', '{', '}' -> sb.append('\\').append(c);
                case '~' -> sb.append("\\textasciitilde{}");
                case '^' -> sb.append("\\textasciicircum{}");
                case '±' -> sb.append("$\\pm$");
                case '→' -> sb.append("$\\to$");
                case 'Δ' -> sb.append("$\\Delta$");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The table in {@code markdown}, {@code csv} or {@code latex}, for the last or the best epoch. */
    public String format(String format, boolean best) {
        List<String> header = new ArrayList<>(List.of("method"));
        header.addAll(pairs());
        header.add("ARI");
        List<List<String>> rows = new ArrayList<>();
        for (String method : methodOrder()) {
            List<String> row = new ArrayList<>(List.of(method));
            for (String pair : pairs()) {
                Runs r = table().get(method).get(pair);
                int failed = diverged.getOrDefault(method + "|" + pair, 0);
                String cell = r == null
                        ? ""
                        : String.format(
                                "%.2f ± %.2f (n=%d%s)",
                                mean(r.top1(best)),
                                std(r.top1(best)),
                                r.last().size(),
                                failed > 0 ? ", " + failed + " diverged" : "");
                if (r == null && failed > 0) {
                    cell = "diverged (" + failed + ")";
                }
                Double theirs = paper == null ? null : paper.accuracy(method, pair);
                if (theirs != null) {
                    cell += r == null
                            ? String.format("paper %.2f", theirs)
                            : String.format(" [paper %.2f, Δ %+.2f]", theirs, mean(r.top1(best)) - theirs);
                }
                row.add(cell);
            }
            double ari = ari(method, best);
            String ariCell = Double.isNaN(ari) ? "/" : String.format("%.2f%%", ari);
            Double paperAri = paper == null ? null : paper.ari(method);
            if (paperAri != null) {
                ariCell += String.format(" [paper %.2f%%]", paperAri);
            }
            row.add(ariCell);
            rows.add(row);
        }
        return render(format, header, rows);
    }

    private static String render(String format, List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        switch (format) {
            case "csv" -> {
                sb.append(String.join(",", header)).append('\n');
                rows.forEach(r -> sb.append(String.join(
                                ",", r.stream().map(c -> "\"" + c + "\"").toList()))
                        .append('\n'));
            }
            case "latex" -> {
                sb.append("\\begin{tabular}{l")
                        .append("c".repeat(header.size() - 1))
                        .append("}\n\\hline\n");
                sb.append(String.join(" & ", header.stream().map(Report::latex).toList()))
                        .append(" \\\\\n\\hline\n");
                rows.forEach(r -> sb.append(
                                String.join(" & ", r.stream().map(Report::latex).toList()))
                        .append(" \\\\\n"));
                sb.append("\\hline\n\\end{tabular}\n");
            }
            default -> {
                sb.append("| ").append(String.join(" | ", header)).append(" |\n");
                sb.append("|").append("---|".repeat(header.size())).append('\n');
                rows.forEach(r -> sb.append("| ").append(String.join(" | ", r)).append(" |\n"));
            }
        }
        return sb.toString();
    }

    /** True when the table has runs of {@code method}. */
    public boolean has(String method) {
        return table().containsKey(method);
    }

    /**
     * Cost and significance, one row per method and pair: trials, extra parameters, median ms per
     * training step (and its ratio to {@code stepReference}'s on the pair; null: no ratio) and,
     * against {@code baseline} (null: none), the difference in mean top-1 with its Welch 95 %
     * interval and p-value. Ends with a line that says which test it used and what it assumes.
     */
    public String costAndSignificance(String format, String baseline, String stepReference, boolean best) {
        if (baseline != null && !table().containsKey(baseline)) {
            throw new IllegalArgumentException("--baseline: no runs of '" + baseline + "' in this table; methods: "
                    + String.join(", ", methodOrder()));
        }
        List<String> header = new ArrayList<>(List.of("method", "pair", "n", "extra params", "ms/step"));
        if (stepReference != null && !table().containsKey(stepReference)) {
            throw new IllegalArgumentException("no runs of '" + stepReference
                    + "' to compare step times with; methods: " + String.join(", ", methodOrder()));
        }
        if (stepReference != null) {
            header.add("× " + stepReference);
        }
        if (baseline != null) {
            header.addAll(List.of("Δ top-1 vs " + baseline, "95 % CI", "p (Welch)"));
        }
        boolean anyMean = false;
        boolean anyAcross = false;
        List<List<String>> rows = new ArrayList<>();
        for (String method : methodOrder()) {
            for (String pair : pairs()) {
                Runs r = table().get(method).get(pair);
                if (r == null) {
                    continue;
                }
                List<String> row = new ArrayList<>(
                        List.of(method, pair, Integer.toString(r.last().size())));
                long extra = r.costs().stream()
                        .mapToLong(FinishedRun.Cost::extraParameters)
                        .max()
                        .orElse(-1);
                row.add(extra < 0 ? "—" : String.format("%,d", extra));
                double ms = msPerStep(r);
                boolean mean = r.costs().stream().anyMatch(FinishedRun.Cost::stepTimeIsMean);
                anyMean |= mean;
                row.add(Double.isNaN(ms) ? "—" : String.format("%.1f%s", ms, mean ? "*" : ""));
                if (stepReference != null) {
                    Runs ref = table().get(stepReference).get(pair);
                    double ratio = ref == null ? Double.NaN : ms / msPerStep(ref);
                    boolean across = ref != null && timedOnOtherProcessors(r, ref);
                    anyAcross |= across && !Double.isNaN(ratio);
                    row.add(Double.isNaN(ratio) ? "" : String.format("%.2f×%s", ratio, across ? "†" : ""));
                }
                if (baseline != null) {
                    Runs b = table().get(baseline).get(pair);
                    if (method.equals(baseline)) {
                        row.addAll(List.of("(baseline)", "", ""));
                    } else if (b == null) {
                        row.addAll(List.of("", "", ""));
                    } else {
                        WelchTest t = WelchTest.of(r.top1(best), b.top1(best));
                        row.add(String.format("%+.2f", t.difference()));
                        row.add(Double.isNaN(t.low()) ? "—" : String.format("[%+.2f, %+.2f]", t.low(), t.high()));
                        row.add(Double.isNaN(t.p()) ? "—" : t.p() < 0.001 ? "<0.001" : String.format("%.3f", t.p()));
                    }
                }
                rows.add(row);
            }
        }
        StringBuilder sb = new StringBuilder(render(format, header, rows));
        String note =
                "ms/step: median training-step time (batch, forward passes, loss, backward, SGD), median over trials"
                        + (anyMean
                                ? "; * marks runs recorded before the median was, whose mean step time (from the epochs' step seconds) stands in"
                                : "")
                        + ". Step times depend on the machine and on what shared it"
                        + (anyAcross
                                ? "; † marks a ratio whose two sides were timed on different processors (hkd.cpu),"
                                        + " which is not a like-for-like cost"
                                : "")
                        + ".";
        if (baseline != null) {
            note += " Δ: mean " + (best ? "best" : "last") + "-epoch top-1 minus " + baseline
                    + "'s on the same pair; 95 % interval and"
                    + " two-sided p from Welch's t-test (unequal variances, Welch–Satterthwaite degrees of freedom), which assumes"
                    + " each method's trials are independent draws from a normal distribution; n trials per method (— with fewer than 2).";
        }
        sb.append(
                format.equals("latex")
                        ? "% " + note + "\n"
                        : format.equals("csv") ? "# " + note + "\n" : "\n" + note + "\n");
        return sb.toString();
    }

    /**
     * Whether the processors recorded for {@code r} and for {@code ref} differ. Runs that record none
     * (made before it was recorded) say nothing either way.
     */
    static boolean timedOnOtherProcessors(Runs r, Runs ref) {
        Set<String> mine = processors(r);
        Set<String> theirs = processors(ref);
        return !mine.isEmpty() && !theirs.isEmpty() && !mine.equals(theirs);
    }

    private static Set<String> processors(Runs r) {
        return r.costs().stream()
                .map(FinishedRun.Cost::processor)
                .filter(Objects::nonNull)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Median over trials of each run's step time, unknown ones left out; NaN if none is known. */
    static double msPerStep(Runs r) {
        List<Double> known = r.costs().stream()
                .map(FinishedRun.Cost::msPerStep)
                .filter(v -> !Double.isNaN(v))
                .toList();
        return dev.hkd.training.train.RunCost.median(known);
    }

    /**
     * Rows: the vanilla student first, then the methods in the paper's row order when a paper is
     * beside ours, then the rest alphabetically (so {@code x} and {@code x+kd} sit together).
     */
    private List<String> methodOrder() {
        List<String> paperOrder = paper == null ? List.of() : paper.methods();
        List<String> order = new ArrayList<>(table().keySet());
        order.sort(Comparator.comparingInt((String m) ->
                        m.equals("vanilla") ? -1 : paperOrder.contains(m) ? paperOrder.indexOf(m) : paperOrder.size())
                .thenComparing(m -> m));
        return order;
    }
}
