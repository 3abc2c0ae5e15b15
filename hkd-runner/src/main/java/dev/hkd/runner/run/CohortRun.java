package dev.hkd.runner.run;

import ai.djl.ndarray.NDManager;
import dev.hkd.training.config.RunConfig;
import dev.hkd.training.data.RunData;
import dev.hkd.training.io.RunFolder;
import dev.hkd.training.methods.MethodSet;
import dev.hkd.training.train.CohortTrainer;
import dev.hkd.training.train.Engines;
import dev.hkd.training.train.Teacher;
import dev.hkd.training.train.TrainingDivergedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Several runs that need the same teacher pass, trained in this process by a {@link CohortTrainer}:
 * the data and the teacher are loaded once, each member is set up exactly as {@link TrainingRun}
 * sets up a run alone, and each member's folder, metrics, checkpoints, {@code result.json} and
 * MLflow run are what it writes alone (plus its {@link Cohort}). The caller has claimed every
 * member's folder and left out the finished and failed ones.
 *
 * <pre>{@code
 * List<CohortRun.MemberResult> results = CohortRun.execute(configs, gridFile, options, new Cohort("3f2a9c1e", 5), Long.MAX_VALUE);
 * }</pre>
 */
public final class CohortRun {

    /** A member's end in this call: its outcome when finished, its divergence, or neither when paused. */
    public record MemberResult(RunConfig config, TrainingRun.Outcome outcome, TrainingDivergedException diverged) {}

    private CohortRun() {}

    /**
     * Trains the members to their ends (or until {@code maxPasses} teacher passes ran: an
     * interruption, for tests). Every member must need the teacher pass of the first.
     */
    public static List<MemberResult> execute(
            List<RunConfig> configs, Path configFile, RunOptions options, Cohort cohort, long maxPasses) {
        try {
            return executeOrThrow(configs, configFile, options, cohort, maxPasses);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // Only closing a TensorFlow teacher declares a checked exception.
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static List<MemberResult> executeOrThrow(
            List<RunConfig> configs, Path configFile, RunOptions options, Cohort cohort, long maxPasses)
            throws Exception {
        List<RunConfig> todo = new ArrayList<>();
        // In the order of configs: a member finished before keeps its place.
        MemberResult[] results = new MemberResult[configs.size()];
        List<Integer> places = new ArrayList<>();
        List<MethodSet> methods = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            RunConfig config = configs.get(i);
            TrainingRun.Outcome before = TrainingRun.finishedBefore(config, options, ConfigHash.identity(config));
            if (before != null) {
                results[i] = new MemberResult(config, before, null);
                continue;
            }
            methods.add(TrainingRun.checkedMethod(config, configFile));
            todo.add(config);
            places.add(i);
        }
        if (todo.isEmpty()) {
            return List.of(results);
        }
        RunConfig first = todo.get(0);
        RunData data = RunData.load(first.data(), options.dataDir(), options.environment());
        for (RunConfig config : todo) {
            TrainingRun.claimOutput(
                    new RunFolder(Path.of(config.output())),
                    config,
                    new RunFolder.Identity(
                            ConfigHash.identity(config), data.train().fingerprint()));
        }
        long start = System.nanoTime();
        try (NDManager root = Engines.training().newBaseManager()) {
            // The members' teachers are one: same teacher section, data and seed (the grouping's key).
            Teacher teacher = TeacherSource.obtain(
                    first, data, root, options, (teacherRun, o) -> TrainingRun.execute(teacherRun, null, o));
            options.out().println(teacher.summary());
            List<TrainingRun.Member> members = new ArrayList<>();
            try {
                for (int i = 0; i < todo.size(); i++) {
                    members.add(TrainingRun.Member.prepare(
                            todo.get(i), configFile, options, methods.get(i), data, teacher, root, cohort));
                }
                CohortTrainer trainer = new CohortTrainer(
                        root,
                        members.stream().map(TrainingRun.Member::trainer).toList(),
                        members.get(0).trainer().teacherPass(),
                        first.training().batchSize());
                List<CohortTrainer.Outcome> outcomes = trainer.run(maxPasses);
                for (int i = 0; i < members.size(); i++) {
                    TrainingRun.Member member = members.get(i);
                    CohortTrainer.Outcome o = outcomes.get(i);
                    if (o.diverged() != null) {
                        member.fail(o.diverged());
                        options.out()
                                .printf(
                                        "%s diverged: %s%n",
                                        member.config().output(), o.diverged().getMessage());
                        results[places.get(i)] = new MemberResult(member.config(), null, o.diverged());
                    } else {
                        results[places.get(i)] =
                                new MemberResult(member.config(), member.finish(o.result(), start), null);
                    }
                }
            } finally {
                members.forEach(TrainingRun.Member::close);
                TrainingRun.closeTeacher(teacher);
            }
        }
        return List.of(results);
    }
}
