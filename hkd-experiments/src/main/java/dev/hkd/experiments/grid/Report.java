package dev.hkd.experiments.grid;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A paper-style table of finished runs (from a folder or an MLflow experiment): methods × teacher→student pairs,
 * mean ± std over seeds of the last-epoch and of the best-epoch top-1, and HKD's ARI column
 * {@code mean over pairs of (acc(hkd+kd) − acc(X)) / (acc(X) − acc(vanilla)) · 100}.
 */
public final class Report {

    /** Accuracies (%) of the seeds of one method on one pair. */
    public record Runs(List<Double> last, List<Double> best) {
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
                r.add(run.method(), run.pair(), run.teacher() == null, run.lastTop1(), run.bestTop1());
            }
        }
        return r;
    }

    /** Shows the paper's numbers (where it has the method and pair) and our difference beside ours. */
    public Report withPaper(PaperTable table) {
        this.paper = table;
        return this;
    }

    private final Map<String, List<String>> vanillaByStudent = new LinkedHashMap<>();

    void add(String method, String pair, boolean vanilla, double last, double best) {
        if (vanilla) {
            // A student trained alone belongs to every pair with that student.
            String student = pair.substring(pair.indexOf("→ ") + 2);
            vanillaByStudent.computeIfAbsent(student, k -> new ArrayList<>()).add(last + "/" + best);
            return;
        }
        if (!pairs.contains(pair)) {
            pairs.add(pair);
        }
        Runs runs = table.computeIfAbsent(method, k -> new LinkedHashMap<>()).computeIfAbsent(pair, k -> new Runs(new ArrayList<>(), new ArrayList<>()));
        runs.last().add(last);
        runs.best().add(best);
    }

    private void placeVanilla() {
        for (Map.Entry<String, List<String>> e : vanillaByStudent.entrySet()) {
            for (String pair : pairs) {
                if (pair.endsWith("→ " + e.getKey())) {
                    for (String lb : e.getValue()) {
                        String[] parts = lb.split("/");
                        Runs runs = table.computeIfAbsent("vanilla", k -> new LinkedHashMap<>())
                                .computeIfAbsent(pair, k -> new Runs(new ArrayList<>(), new ArrayList<>()));
                        runs.last().add(Double.parseDouble(parts[0]));
                        runs.best().add(Double.parseDouble(parts[1]));
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
        List<String> order = new ArrayList<>(table().keySet());
        order.sort((a, b) -> Integer.compare(rank(a), rank(b)) != 0 ? Integer.compare(rank(a), rank(b)) : a.compareTo(b));
        for (String method : order) {
            List<String> row = new ArrayList<>(List.of(method));
            for (String pair : pairs()) {
                Runs r = table().get(method).get(pair);
                int failed = diverged.getOrDefault(method + "|" + pair, 0);
                String cell = r == null ? "" : String.format("%.2f ± %.2f (n=%d%s)", mean(best ? r.best() : r.last()),
                        std(best ? r.best() : r.last()), r.last().size(), failed > 0 ? ", " + failed + " diverged" : "");
                if (r == null && failed > 0) {
                    cell = "diverged (" + failed + ")";
                }
                Double theirs = paper == null ? null : paper.accuracy(method, pair);
                if (theirs != null) {
                    cell += r == null ? String.format("paper %.2f", theirs)
                            : String.format(" [paper %.2f, Δ %+.2f]", theirs, mean(best ? r.best() : r.last()) - theirs);
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
        StringBuilder sb = new StringBuilder();
        switch (format) {
            case "csv" -> {
                sb.append(String.join(",", header)).append('\n');
                rows.forEach(r -> sb.append(String.join(",", r.stream().map(c -> "\"" + c + "\"").toList())).append('\n'));
            }
            case "latex" -> {
                sb.append("\\begin{tabular}{l").append("c".repeat(header.size() - 1)).append("}\n\\hline\n");
                sb.append(String.join(" & ", header.stream().map(Report::latex).toList())).append(" \\\\\n\\hline\n");
                rows.forEach(r -> sb.append(String.join(" & ", r.stream().map(Report::latex).toList())).append(" \\\\\n"));
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

    private static int rank(String method) {
        return switch (method) {
            case "vanilla" -> 0;
            case "kd" -> 1;
            case "hkd" -> 8;
            case "hkd+kd" -> 9;
            default -> 5;
        };
    }
}
