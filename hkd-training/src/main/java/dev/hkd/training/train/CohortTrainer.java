package dev.hkd.training.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains several runs that need the same teacher pass (a cohort) in one process: per position
 * (epoch, step) the frozen teacher runs once ({@link TeacherPass}) and each member that stands at
 * that position takes its student step on the batch in turn. Each member computes exactly what it
 * computes alone: its own student, method, optimizer, random streams, checkpoints and metrics;
 * only the batch's images and the teacher's outputs are shared, and they are the same numbers a
 * member alone would compute for itself.
 *
 * <p>Members resumed from checkpoints at different positions catch up: the pass runs at the lowest
 * position any member needs, members already past it skip it. A member whose loss diverges leaves
 * the cohort (its {@link TrainingDivergedException} is in its {@link Outcome}), the others go on.
 * The teacher's outputs of one batch are freed before the next batch is made.
 *
 * <pre>{@code
 * CohortTrainer cohort = new CohortTrainer(root, List.of(kd, crd, hkd), kd.teacherPass(), batchSize);
 * List<CohortTrainer.Outcome> outcomes = cohort.run(Long.MAX_VALUE);
 * }</pre>
 *
 * The caller vouches that the members' passes are the same (the grid runner's grouping checks the
 * teacher, seed, data, augmentation, batch size and teacher mode); given members that differ, each
 * trains on {@code pass}'s batches, which is what the equality test's negative case uses.
 */
public final class CohortTrainer {

    /** What became of one member: finished, paused (unfinished) or diverged ({@code diverged} non-null). */
    public record Outcome(Trainer trainer, Trainer.Result result, TrainingDivergedException diverged) {}

    private final NDManager manager;
    private final List<Trainer> members;
    private final TeacherPass pass;
    private final int batchSize;

    public CohortTrainer(NDManager manager, List<Trainer> members, TeacherPass pass, int batchSize) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a cohort needs at least one member");
        }
        int steps = members.get(0).stepsPerEpoch();
        for (Trainer t : members) {
            if (t.stepsPerEpoch() != steps) {
                throw new IllegalArgumentException(
                        "cohort members have " + steps + " and " + t.stepsPerEpoch() + " steps per epoch");
            }
        }
        this.manager = manager;
        this.members = List.copyOf(members);
        this.pass = pass;
        this.batchSize = batchSize;
    }

    /**
     * Runs every member to its end, or until {@code maxPasses} teacher passes have run in this
     * call (then each unfinished member checkpoints where it stands, as a paused run does).
     */
    public List<Outcome> run(long maxPasses) {
        try {
            return runPasses(maxPasses);
        } finally {
            pass.discardAhead();
        }
    }

    private List<Outcome> runPasses(long maxPasses) {
        Map<Trainer, Outcome> ended = new LinkedHashMap<>();
        Map<Trainer, Long> ran = new LinkedHashMap<>();
        List<Trainer> active = new ArrayList<>();
        for (Trainer t : members) {
            t.begin();
            ran.put(t, 0L);
            if (t.finished()) {
                ended.put(t, new Outcome(t, t.result(0), null));
            } else {
                active.add(t);
            }
        }
        int stepsPerEpoch = members.get(0).stepsPerEpoch();
        long passes = 0;
        while (!active.isEmpty()) {
            if (passes >= maxPasses) {
                for (Trainer t : active) {
                    ended.put(t, new Outcome(t, t.pause(ran.get(t)), null));
                }
                break;
            }
            long position = active.stream().mapToLong(Trainer::position).min().orElseThrow();
            int epoch = (int) (position / stepsPerEpoch);
            int step = (int) (position % stepsPerEpoch);
            try (NDScope scope = new NDScope();
                    NDManager m = manager.newSubManager()) {
                TeacherPass.Batch batch = pass.batch(m, epoch, step, batchSize);
                for (Trainer t : new ArrayList<>(active)) {
                    if (t.position() != position) {
                        continue;
                    }
                    try {
                        t.step(batch);
                        ran.merge(t, 1L, Long::sum);
                    } catch (TrainingDivergedException e) {
                        active.remove(t);
                        ended.put(t, new Outcome(t, null, e));
                        continue;
                    }
                    if (t.finished()) {
                        active.remove(t);
                        ended.put(t, new Outcome(t, t.result(ran.get(t)), null));
                    }
                }
                scope.suppressNotUsedWarning();
            }
            passes++;
        }
        List<Outcome> outcomes = new ArrayList<>();
        members.forEach(t -> outcomes.add(ended.get(t)));
        return outcomes;
    }
}
