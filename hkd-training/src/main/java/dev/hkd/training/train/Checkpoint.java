package dev.hkd.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hkd.api.ArrayCopy;
import dev.hkd.training.io.SafeTensors;
import dev.hkd.training.io.SafeTensorsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint in one safetensors file, written atomically: tensors under the prefixes
 * {@code student/}, {@code module/}, {@code momentum/}, {@code state/}; the position (epoch, step),
 * seed and partial-epoch sums in the metadata.
 */
public final class Checkpoint {

    public static final String STUDENT = "student/";
    public static final String MODULE = "module/";
    public static final String MOMENTUM = "momentum/";
    public static final String STATE = "state/";

    private Checkpoint() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where training stood when the checkpoint was written, and the partial-epoch sums a resume
     * needs to finish the epoch's metrics as an uninterrupted run would: the checkpoint's metadata.
     *
     * @param lastEpochRecord the metrics line of the epoch that just ended, written with the
     *     checkpoint so that a process killed before appending it loses nothing; null mid-epoch
     */
    public record Position(
            int epoch,
            int step,
            long seed,
            double bestTop1,
            long seen,
            long trainCorrect,
            long trainCorrect5,
            double epochSeconds,
            double epochWallSeconds,
            double teacherStageSeconds,
            Map<String, Double> lossSums,
            EpochRecord lastEpochRecord) {

        /** The metadata entries, as strings (safetensors metadata is a string map). */
        public Map<String, String> toMetadata() {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("epoch", Integer.toString(epoch));
            meta.put("step", Integer.toString(step));
            meta.put("seed", Long.toString(seed));
            meta.put("best_top1", Double.toString(bestTop1));
            meta.put("seen", Long.toString(seen));
            meta.put("train_correct", Long.toString(trainCorrect));
            meta.put("train_correct5", Long.toString(trainCorrect5));
            meta.put("epoch_seconds", Double.toString(epochSeconds));
            meta.put("epoch_wall_seconds", Double.toString(epochWallSeconds));
            meta.put("teacher_stage_seconds", Double.toString(teacherStageSeconds));
            try {
                meta.put("loss_sums", JSON.writeValueAsString(lossSums));
                if (lastEpochRecord != null) {
                    meta.put("last_epoch_record", JSON.writeValueAsString(lastEpochRecord));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return meta;
        }

        /**
         * Reads what {@link #toMetadata} wrote (entries added later default to 0 in older
         * checkpoints). Every entry is read strictly: a missing, malformed, negative or
         * non-finite value is a one-line {@link SafeTensorsException} naming {@code source} and the entry.
         */
        public static Position fromMetadata(Map<String, String> meta, String source) {
            String last = meta.get("last_epoch_record");
            return new Position(
                    (int) count(meta, "epoch", null, Integer.MAX_VALUE, source),
                    (int) count(meta, "step", null, Integer.MAX_VALUE, source),
                    count(meta, "seed", null, Long.MAX_VALUE, source),
                    amount(meta, "best_top1", null, source),
                    count(meta, "seen", null, Long.MAX_VALUE, source),
                    count(meta, "train_correct", null, Long.MAX_VALUE, source),
                    count(meta, "train_correct5", "0", Long.MAX_VALUE, source),
                    amount(meta, "epoch_seconds", null, source),
                    // Absent in checkpoints written before cost was recorded.
                    amount(meta, "epoch_wall_seconds", "0", source),
                    amount(meta, "teacher_stage_seconds", "0", source),
                    json(
                            meta.get("loss_sums"),
                            "loss_sums",
                            new TypeReference<LinkedHashMap<String, Double>>() {},
                            source),
                    last == null ? null : json(last, "last_epoch_record", new TypeReference<EpochRecord>() {}, source));
        }

        private static long count(Map<String, String> meta, String key, String absent, long max, String source) {
            String text = meta.getOrDefault(key, absent);
            try {
                long v = Long.parseLong(text == null ? "" : text.trim());
                if (v < 0 || v > max) {
                    throw new NumberFormatException();
                }
                return v;
            } catch (NumberFormatException e) {
                throw new SafeTensorsException(source + ": checkpoint metadata '" + key + "' is "
                        + (text == null ? "missing" : "'" + text + "'") + "; expected an integer in [0, " + max + "]");
            }
        }

        private static double amount(Map<String, String> meta, String key, String absent, String source) {
            String text = meta.getOrDefault(key, absent);
            try {
                double v = Double.parseDouble(text == null ? "" : text.trim());
                if (!Double.isFinite(v) || v < 0) {
                    throw new NumberFormatException();
                }
                return v;
            } catch (NumberFormatException e) {
                throw new SafeTensorsException(source + ": checkpoint metadata '" + key + "' is "
                        + (text == null ? "missing" : "'" + text + "'") + "; expected a finite number >= 0");
            }
        }

        private static <T> T json(String text, String key, TypeReference<T> type, String source) {
            try {
                if (text == null) {
                    throw new IOException("missing");
                }
                T value = JSON.readValue(text, type);
                if (value == null) {
                    throw new IOException("null");
                }
                return value;
            } catch (IOException | IllegalArgumentException e) {
                throw new SafeTensorsException(source + ": checkpoint metadata '" + key + "' is not valid ("
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
            }
        }
    }

    /** Every parameter of a block (trained or not, e.g. BatchNorm running statistics) by DJL name. */
    public static Map<String, Parameter> parameters(Block block) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.put(p.getKey(), p.getValue());
        }
        return out;
    }

    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) {
        SafeTensors.write(file, tensors, metadata);
    }

    public static SafeTensors.Contents read(Path file, NDManager manager) {
        return SafeTensors.read(file, manager);
    }

    public static boolean exists(Path file) {
        return Files.isRegularFile(file);
    }

    /** Tensors under {@code prefix}, with the prefix removed. */
    public static Map<String, NDArray> under(Map<String, NDArray> tensors, String prefix) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /**
     * Copies saved tensors into a block's parameters; every parameter must be present with its
     * shape, and no saved tensor may be left over.
     */
    public static void loadInto(Block block, Map<String, NDArray> saved, String what) {
        Map<String, Parameter> params = parameters(block);
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            NDArray value = saved.get(e.getKey());
            if (value == null && e.getKey().endsWith("batchesTracked")) {
                // Checkpoints written before BatchNorm counted its batches resume with the count at 0.
                continue;
            }
            if (value == null) {
                throw new IllegalArgumentException(what + ": missing tensor '" + e.getKey() + "'");
            }
            NDArray target = e.getValue().getArray();
            if (!value.getShape().equals(target.getShape())) {
                throw new IllegalArgumentException(what + ": tensor '" + e.getKey() + "' has shape " + value.getShape()
                        + ", the model needs " + target.getShape());
            }
            SafeTensors.requireSameKind(what, e.getKey(), value, target.getDataType());
            ArrayCopy.into(value.toType(target.getDataType(), false), target);
        }
        for (String name : saved.keySet()) {
            if (!params.containsKey(name)) {
                throw new IllegalArgumentException(
                        what + ": unexpected tensor '" + name + "' (not a parameter of the model)");
            }
        }
    }
}
