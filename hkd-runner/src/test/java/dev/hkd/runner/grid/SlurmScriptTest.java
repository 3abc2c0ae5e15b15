package dev.hkd.runner.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.training.config.ConfigException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only what Slurm accepts reaches job.sbatch, so no grid value can add a command to it. */
class SlurmScriptTest {

    @TempDir
    Path dir;

    private static final CellLauncher LAUNCHER = new CellLauncher() {
        @Override
        public List<String> worker(Path gridFile, int threads, long parentPid) {
            return List.of();
        }

        @Override
        public List<String> cell(Path gridFile, String index, boolean teacherOnly, long parentPid) {
            return List.of();
        }

        @Override
        public List<String> slurmTask(Path gridFile, int cpus, String index) {
            return List.of("hkd", "run", gridFile.toString(), "--set", "method.name=kd'\n$(touch x)", "--cell", index);
        }

        @Override
        public List<String> cohort(Path gridFile, int index, long parentPid) {
            return List.of();
        }

        @Override
        public List<String> slurmCohortTask(Path gridFile, int cpus, String index) {
            return List.of(
                    "hkd", "run", gridFile.toString(), "--set", "method.name=kd'\n$(touch x)", "--cohort", index);
        }
    };

    private Path grid(String slurm) throws Exception {
        return Files.writeString(dir.resolve("g.yaml"), """
                base: {data: {dataset: fashion-mnist-subset}, student: {model: tiny_cnn}}
                slurm: %s
                output: %s
                """.formatted(slurm, dir.resolve("out")));
    }

    @Test
    void everySlurmValueIsCheckedAgainstWhatSlurmAccepts() {
        for (String[] ok : new String[][] {
            {"partition", "debug"},
            {"partition", "cpu,gpu"},
            {"mem", "16G"},
            {"mem", "4000"},
            {"time", "30"},
            {"time", "2:00:00"},
            {"time", "1-12"},
            {"time", "1-12:30:00"},
            {"gres", "gpu:a100:2"},
            {"cpus_per_task", "4"},
            {"account", "proj_1"},
            {"qos", "normal"},
            {"max_parallel", "10"},
            {"poll_seconds", "5"}
        }) {
            assertNull(SlurmExecutor.problem(ok[0], ok[1]), ok[0] + "=" + ok[1]);
        }
        for (String[] bad : new String[][] {
            {"partition", "debug\ntouch /tmp/x"},
            {"partition", "a b"},
            {"partition", "$(id)"},
            {"mem", "16G;rm"},
            {"mem", "0"},
            {"time", "soon"},
            {"gres", "gpu:1\n"},
            {"cpus_per_task", "0"},
            {"cpus_per_task", "99999999999"},
            {"account", "a'b"},
            {"qos", ""},
            {"poll_seconds", "-1"}
        }) {
            String problem = SlurmExecutor.problem(bad[0], bad[1]);
            assertTrue(problem != null && problem.lines().count() == 1, bad[0] + "=" + bad[1] + ": " + problem);
        }
    }

    @Test
    void aNewlineInASlurmValueIsAOneLineErrorNamingTheKey() throws Exception {
        Path grid = grid("{partition: \"debug\\ntouch /tmp/x\"}");
        ConfigException e = assertThrows(ConfigException.class, () -> GridLoader.load(grid, List.of()));
        assertTrue(
                e.getMessage().contains("slurm.partition") && e.getMessage().contains("debug\\ntouch"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertThrows(ConfigException.class, () -> GridLoader.load(grid("[1, 2]"), List.of()));
        assertThrows(ConfigException.class, () -> GridLoader.load(grid("{mem: {a: 1}}"), List.of()));
    }

    @Test
    void theScriptHoldsOneDirectivePerSettingAndQuotesEveryArgument() throws Exception {
        Grid g = GridLoader.load(grid("{partition: debug, mem: 4G, time: \"1:00:00\", cpus_per_task: 2}"), List.of());
        Path script = new SlurmExecutor(g, GridLoader.cells(g), new PrintStream(OutputStream.nullOutputStream()))
                .writeScript(LAUNCHER);
        List<String> lines = Files.readAllLines(script);
        assertTrue(
                lines.contains("#SBATCH --partition=debug")
                        && lines.contains("#SBATCH --mem=4G")
                        && lines.contains("#SBATCH --time=1:00:00")
                        && lines.contains("#SBATCH --cpus-per-task=2"),
                lines.toString());
        // Directives, then the one command: a newline inside an argument stays inside its single quotes.
        String exec =
                Files.readString(script).substring(Files.readString(script).indexOf("\nexec ") + 1);
        assertTrue(
                exec.startsWith("exec 'hkd' 'run' ")
                        && exec.contains("'method.name=kd'\\''\n$(touch x)'")
                        && exec.endsWith("'--cell' \"$SLURM_ARRAY_TASK_ID\"\n"),
                exec);
    }
}
