package dev.hkd.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.hkd.api.ArrayCopy;
import dev.hkd.training.io.SafeTensors;
import dev.hkd.training.io.SafeTensorsException;
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

    /**
     * A checkpoint's metadata: the run's seed, its {@link EpochProgress}, and the metrics line of the
     * epoch that just ended.
     *
     * @param lastEpochRecord the metrics line of the epoch that just ended, written with the
     *     checkpoint so that a process killed before appending it loses nothing; null mid-epoch
     */
    public record Position(long seed, EpochProgress progress, EpochRecord lastEpochRecord) {

        /** The metadata entries, as strings (safetensors metadata is a string map). */
        public Map<String, String> toMetadata() {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("seed", Long.toString(seed));
            meta.putAll(progress.toMetadata());
            if (lastEpochRecord != null) {
                meta.put("last_epoch_record", MetadataEntries.toJson(lastEpochRecord));
            }
            return meta;
        }

        /**
         * Reads what {@link #toMetadata} wrote, strictly: a missing, malformed, negative or
         * non-finite entry is a one-line {@link SafeTensorsException} naming {@code source} and the entry.
         */
        public static Position fromMetadata(Map<String, String> meta, String source) {
            MetadataEntries entries = new MetadataEntries(meta, source);
            return new Position(
                    entries.count("seed", null, Long.MAX_VALUE),
                    EpochProgress.fromMetadata(meta, source),
                    entries.epochRecordOrNull("last_epoch_record"));
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
