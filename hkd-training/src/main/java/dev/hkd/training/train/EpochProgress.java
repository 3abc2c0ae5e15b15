package dev.hkd.training.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run stands (epoch, step, best test top-1) and the sums of the epoch under way: the one
 * object that owns them. The {@link Trainer} adds each step to it and closes each epoch with it;
 * the {@link Checkpoint} saves and restores it whole, so a resumed epoch ends with the metrics an
 * uninterrupted one would have had.
 *
 * <pre>{@code
 * EpochProgress progress = new EpochProgress();
 * progress.addStep(Map.of("loss", 2.3), 64, 10, 40, 0.05);
 * EpochRecord line = progress.endEpoch(0.05, testAccuracy, 50.0, 900L, now);
 * }</pre>
 */
public final class EpochProgress {

    private int epoch;
    private int step;
    private double bestTop1;
    private Map<String, Double> lossSums = new LinkedHashMap<>();
    private long seen;
    private long trainCorrect;
    private long trainCorrect5;
    private double epochSeconds;
    private double epochWallSeconds;
    private double teacherStageSeconds;

    /** The 0-based epoch under way (equal to the schedule's epochs once finished). */
    public int epoch() {
        return epoch;
    }

    /** Steps done in the epoch under way. */
    public int step() {
        return step;
    }

    /** Adds one optimizer step's losses (batch means), its batch size, correct predictions and time. */
    void addStep(Map<String, Double> losses, int samples, long correct, long correct5, double seconds) {
        losses.forEach((k, v) -> lossSums.merge(k, v * samples, Double::sum));
        seen += samples;
        trainCorrect += correct;
        trainCorrect5 += correct5;
        epochSeconds += seconds;
        step++;
    }

    /** Adds wall time (steps, evaluation, checkpoints) to the epoch's. */
    void addWallSeconds(double seconds) {
        epochWallSeconds += seconds;
    }

    /** Seconds of the methods' init stages, 0 without. */
    public double teacherStageSeconds() {
        return teacherStageSeconds;
    }

    void setTeacherStageSeconds(double seconds) {
        teacherStageSeconds = seconds;
    }

    /** Records the epoch's test top-1; true when it is the best so far (ties included). */
    boolean recordTest(double top1) {
        bestTop1 = Math.max(bestTop1, top1);
        return top1 >= bestTop1;
    }

    /**
     * The metrics line of the epoch under way, which then closes: the sums start again at zero and
     * the position moves to the next epoch's first step.
     */
    EpochRecord endEpoch(double lr, Accuracy test, Double medianStepMillis, Long peakMiB, long wallClockMillis) {
        Map<String, Double> means = new LinkedHashMap<>();
        lossSums.forEach((k, v) -> means.put(k, v / Math.max(1, seen)));
        EpochRecord record = new EpochRecord(
                epoch + 1,
                lr,
                means,
                100.0 * trainCorrect / Math.max(1, seen),
                100.0 * trainCorrect5 / Math.max(1, seen),
                test.top1(),
                test.top5(),
                bestTop1,
                seen / Math.max(1e-9, epochSeconds),
                epochSeconds,
                wallClockMillis,
                medianStepMillis,
                peakMiB,
                epochWallSeconds);
        lossSums = new LinkedHashMap<>();
        seen = 0;
        trainCorrect = 0;
        trainCorrect5 = 0;
        epochSeconds = 0;
        epochWallSeconds = 0;
        epoch++;
        step = 0;
        return record;
    }

    /** The entries a checkpoint's metadata holds (safetensors metadata is a string map). */
    Map<String, String> toMetadata() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("epoch", Integer.toString(epoch));
        meta.put("step", Integer.toString(step));
        meta.put("best_top1", Double.toString(bestTop1));
        meta.put("seen", Long.toString(seen));
        meta.put("train_correct", Long.toString(trainCorrect));
        meta.put("train_correct5", Long.toString(trainCorrect5));
        meta.put("epoch_seconds", Double.toString(epochSeconds));
        meta.put("epoch_wall_seconds", Double.toString(epochWallSeconds));
        meta.put("teacher_stage_seconds", Double.toString(teacherStageSeconds));
        meta.put("loss_sums", MetadataEntries.toJson(lossSums));
        return meta;
    }

    /**
     * Reads what {@link #toMetadata} wrote, strictly: a missing, malformed, negative or non-finite
     * entry is a one-line {@link dev.hkd.training.io.SafeTensorsException} naming {@code source} and
     * the entry. Entries added later read as 0 in older checkpoints.
     */
    static EpochProgress fromMetadata(Map<String, String> meta, String source) {
        MetadataEntries entries = new MetadataEntries(meta, source);
        EpochProgress p = new EpochProgress();
        p.epoch = (int) entries.count("epoch", null, Integer.MAX_VALUE);
        p.step = (int) entries.count("step", null, Integer.MAX_VALUE);
        p.bestTop1 = entries.amount("best_top1", null);
        p.seen = entries.count("seen", null, Long.MAX_VALUE);
        p.trainCorrect = entries.count("train_correct", null, Long.MAX_VALUE);
        p.trainCorrect5 = entries.count("train_correct5", "0", Long.MAX_VALUE);
        p.epochSeconds = entries.amount("epoch_seconds", null);
        // Absent in checkpoints written before cost was recorded.
        p.epochWallSeconds = entries.amount("epoch_wall_seconds", "0");
        p.teacherStageSeconds = entries.amount("teacher_stage_seconds", "0");
        p.lossSums = new LinkedHashMap<>(entries.lossSums("loss_sums"));
        return p;
    }
}
