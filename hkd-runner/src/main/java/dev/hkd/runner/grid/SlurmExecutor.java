package dev.hkd.runner.grid;

import dev.hkd.training.config.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs a grid as one Slurm job array: task {@code I} runs cell {@code I} ({@link CellLauncher#slurmTask}), or
 * in cohorts ({@link Grid#cohorts}) cohort {@code I} of {@link Cohorts#of} ({@link CellLauncher#slurmCohortTask}; the
 * same claims and resume as a local runner, so a re-submitted grid finishes only what is left).
 * Resources come from the grid's {@code slurm:} section; the tracking URI and credentials travel
 * in the job's environment, never in the script.
 */
public final class SlurmExecutor {

    /** {@code slurm:} keys of a grid file. */
    public static final List<String> KEYS = List.of(
            "partition", "cpus_per_task", "mem", "time", "max_parallel", "account", "qos", "gres", "poll_seconds");

    private static final String NAME = "[A-Za-z0-9_.-]+";

    /**
     * What Slurm accepts for each {@code slurm:} key, as sbatch documents it: names of partitions,
     * accounts and QOS (comma-separated lists where sbatch takes them), memory with an optional
     * K/M/G/T unit, a time limit in one of sbatch's forms, generic resources such as {@code gpu:2},
     * and bounded positive counts. Nothing else reaches the job script, so no value can add a line to it.
     */
    private static final Map<String, String> ACCEPTED = Map.of(
            "partition", NAME + "(," + NAME + ")*",
            "account", NAME,
            "qos", NAME + "(," + NAME + ")*",
            "mem", "[1-9][0-9]{0,8}[KMGTkmgt]?",
            "time",
                    "[0-9]{1,7}(:[0-9]{1,2}){0,2}|[0-9]{1,4}-[0-9]{1,2}(:[0-9]{1,2}){0,2}|UNLIMITED|INFINITE|unlimited|infinite",
            "gres", "[A-Za-z0-9_.:-]+(,[A-Za-z0-9_.:-]+)*",
            "cpus_per_task", "[1-9][0-9]{0,3}",
            "max_parallel", "[1-9][0-9]{0,5}",
            "poll_seconds", "[1-9][0-9]{0,3}");

    private static final Map<String, String> EXAMPLES = Map.of(
            "partition", "a partition name such as debug (letters, digits, '_', '.', '-'; several separated by commas)",
            "account", "an account name (letters, digits, '_', '.', '-')",
            "qos", "a QOS name (letters, digits, '_', '.', '-')",
            "mem", "a size such as 4000, 16G or 512M",
            "time", "minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (e.g. 2:00:00)",
            "gres", "generic resources such as gpu:1 or gpu:a100:2",
            "cpus_per_task", "an integer from 1 to 9999",
            "max_parallel", "an integer from 1 to 999999",
            "poll_seconds", "an integer from 1 to 9999");

    /** Why {@code value} is no valid {@code slurm.key}, or null when Slurm accepts it. */
    public static String problem(String key, String value) {
        String accepted = ACCEPTED.get(key);
        if (accepted == null) {
            return "unknown key; valid keys: " + String.join(", ", KEYS);
        }
        if (value == null || !value.matches(accepted)) {
            return "'" + dev.hkd.runner.run.ContainedPath.printable(value)
                    + "' is not what Slurm accepts here; expected " + EXAMPLES.get(key);
        }
        return null;
    }

    private final Grid grid;
    private final List<Cell> cells;
    private final PrintStream out;

    public SlurmExecutor(Grid grid, List<Cell> cells, PrintStream out) {
        this.grid = grid;
        this.cells = cells;
        this.out = out;
    }

    /** The job script for the cells that are not finished yet, or null if every cell is. */
    public Path writeScript(CellLauncher launcher) {
        List<Integer> todo;
        if (grid.cohorts()) {
            // In cohorts a task is a cohort: its index among the grid's cohorts, listed once any member is left.
            List<Cohorts.Group> groups = Cohorts.of(cells, grid.file());
            groups.forEach(g -> out.println(g.describe(groups.size())));
            todo = groups.stream()
                    .filter(g -> g.members().stream().anyMatch(SlurmExecutor::unfinished))
                    .map(Cohorts.Group::index)
                    .toList();
        } else {
            todo = cells.stream()
                    .filter(SlurmExecutor::unfinished)
                    .map(Cell::index)
                    .toList();
        }
        if (todo.isEmpty()) {
            return null;
        }
        Map<String, String> s = grid.slurm();
        s.forEach((key, value) -> {
            if (problem(key, value) != null) {
                throw new ConfigException(grid.file() + ": slurm." + key + ": " + problem(key, value));
            }
        });
        int cpus = Integer.parseInt(s.getOrDefault("cpus_per_task", "1"));
        Path dir = grid.output().toAbsolutePath().resolve(".slurm");
        StringBuilder script = new StringBuilder("#!/bin/bash\n");
        String array = String.join(",", todo.stream().map(String::valueOf).toList());
        if (s.containsKey("max_parallel")) {
            array += "%" + s.get("max_parallel");
        }
        script.append("#SBATCH --job-name=hkd-")
                .append(grid.name().replaceAll("[^A-Za-z0-9._-]", "-"))
                .append('\n');
        script.append("#SBATCH --array=").append(array).append('\n');
        script.append("#SBATCH --cpus-per-task=").append(cpus).append('\n');
        script.append("#SBATCH --output=")
                .append(directivePath(dir.resolve(grid.cohorts() ? "cohort-%a.log" : "cell-%a.log"), "output"))
                .append('\n');
        script.append("#SBATCH --chdir=")
                .append(directivePath(Path.of("").toAbsolutePath(), "the working folder"))
                .append('\n');
        for (String key : List.of("partition", "mem", "time", "account", "qos", "gres")) {
            if (s.containsKey(key)) {
                script.append("#SBATCH --")
                        .append(key)
                        .append('=')
                        .append(s.get(key))
                        .append('\n');
            }
        }
        script.append("exec");
        List<String> task = grid.cohorts()
                ? launcher.slurmCohortTask(grid.file(), cpus, CellLauncher.SLURM_TASK_INDEX)
                : launcher.slurmTask(grid.file(), cpus, CellLauncher.SLURM_TASK_INDEX);
        for (String a : task) {
            script.append(' ').append(a.equals(CellLauncher.SLURM_TASK_INDEX) ? '"' + a + '"' : quote(a));
        }
        script.append('\n');
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve("job.sbatch"), script.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Submits the unfinished cells; with {@code wait}, reports progress until the array ends.
     *
     * @return the number of cells without a result at the end (0 when not waiting)
     */
    public int run(CellLauncher launcher, Map<String, String> environment, boolean wait) {
        Path script = writeScript(launcher);
        if (script == null) {
            out.printf("%s: every cell is finished; nothing to submit%n", grid.name());
            return 0;
        }
        String job = submit(script, environment);
        out.printf("%s: submitted Slurm job array %s (%s), logs in %s%n", grid.name(), job, script, script.getParent());
        if (!wait) {
            return 0;
        }
        long poll = Long.parseLong(grid.slurm().getOrDefault("poll_seconds", "2"));
        String last = "";
        while (true) {
            Map<String, Integer> states = states(job);
            String line = states.toString();
            if (!line.equals(last)) {
                out.printf(
                        "%s: job %s %s, %d/%d cells finished%n",
                        grid.name(), job, states.isEmpty() ? "{}" : line, finished(), cells.size());
                last = line;
            }
            boolean active = states.keySet().stream()
                    .anyMatch(st -> List.of(
                                    "PENDING",
                                    "RUNNING",
                                    "CONFIGURING",
                                    "COMPLETING",
                                    "SUSPENDED",
                                    "REQUEUED",
                                    "RESIZING")
                            .contains(st));
            if (!active) {
                break;
            }
            sleep(poll);
        }
        int missing = cells.size() - finished();
        if (missing > 0) {
            out.printf("%s: %d cells have no result; see %s%n", grid.name(), missing, script.getParent());
        }
        return missing;
    }

    private static boolean unfinished(Cell c) {
        return !c.run().isFinished() && !c.run().hasDiverged();
    }

    private int finished() {
        return (int) cells.stream().filter(c -> c.run().isFinished()).count();
    }

    private static String submit(Path script, Map<String, String> environment) {
        String output = execute(List.of("sbatch", "--parsable", script.toString()), environment);
        return output.trim().split(";")[0];
    }

    /** Task state → count ({@code squeue} keeps finished tasks for a few minutes; gone tasks count as done). */
    private static Map<String, Integer> states(String job) {
        Map<String, Integer> counts = new TreeMap<>();
        String output = execute(List.of("squeue", "-h", "-r", "-t", "all", "-j", job, "-o", "%T"), Map.of());
        output.lines().map(String::trim).filter(l -> !l.isEmpty()).forEach(st -> counts.merge(st, 1, Integer::sum));
        return counts;
    }

    private static String execute(List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process p = builder.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new ConfigException(command.get(0) + " failed: "
                        + output.lines().findFirst().orElse("(no output)").trim());
            }
            return output;
        } catch (IOException e) {
            throw new ConfigException(command.get(0) + " cannot be started (" + e.getMessage()
                    + "); --executor slurm needs the" + " Slurm client commands (sbatch, squeue) on the PATH");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + command.get(0));
        }
    }

    private static void sleep(long seconds) {
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Slurm job");
        }
    }

    /**
     * A path in an {@code #SBATCH} line: one line (a newline would start a command), in double quotes
     * when it holds blanks (sbatch reads a quoted directive argument whole).
     */
    private String directivePath(Path path, String what) {
        String text = path.toString();
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '"')) {
            throw new ConfigException(grid.file() + ": " + what + " " + dev.hkd.runner.run.ContainedPath.printable(text)
                    + " holds a control character or a double quote, which cannot go into a Slurm job script");
        }
        return text.chars().anyMatch(Character::isWhitespace) ? '"' + text + '"' : text;
    }

    private static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
