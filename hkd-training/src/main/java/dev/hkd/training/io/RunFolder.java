package dev.hkd.training.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hkd.training.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The layout of a run's output folder, the one place that names its files:
 * <ul>
 *   <li>{@code config.yaml}: the resolved configuration, which the folder answers for;</li>
 *   <li>{@code metrics.jsonl}: one line per finished epoch;</li>
 *   <li>{@code last.safetensors}, {@code best.safetensors}: checkpoints ({@link dev.hkd.training.train.Checkpoint});</li>
 *   <li>{@code result.json} when the run finished, or {@code failed.json} when it diverged;</li>
 *   <li>{@code tracking.json}: what a tracker records besides metrics;</li>
 *   <li>{@code .claim}: the lock a process holds while it trains or syncs the run ({@link RunClaim});</li>
 *   <li>{@code config.hash} and {@code data.fingerprint}: the run's identity (its configuration's hash and the
 *       fingerprint of the data it trains on). {@code config.hash} is the run marker: a folder without it is not a run.</li>
 * </ul>
 *
 * <p>It is also the guard of every write into a run folder ({@link #check}, {@link #adopt}): a run
 * writes only into a new or empty folder, or into one that holds the marker and this run's identity.
 * Anything else is refused in one line ({@link ConfigException}) before a file is touched: we never
 * overwrite a folder that is not ours, nor let a folder answer for a configuration or data it did not run.
 *
 * <pre>{@code
 * RunFolder run = new RunFolder(Path.of("runs/kd"));
 * RunFolder.Identity id = new RunFolder.Identity(hash, data.train().fingerprint());
 * if (run.check(id) != RunFolder.Status.FINISHED) {
 *     try (RunClaim claim = run.tryClaim().orElseThrow()) { run.adopt(id, configYaml); ... }
 * }
 * }</pre>
 */
public record RunFolder(Path dir) {

    public static final String CONFIG = "config.yaml";
    public static final String METRICS = "metrics.jsonl";
    public static final String LAST_CHECKPOINT = "last.safetensors";
    public static final String BEST_CHECKPOINT = "best.safetensors";
    public static final String RESULT = "result.json";
    public static final String FAILED = "failed.json";
    public static final String TRACKING = "tracking.json";
    public static final String CLAIM = ".claim";
    public static final String HASH = "config.hash";
    public static final String DATA_FINGERPRINT = "data.fingerprint";

    /** The longest file name (in UTF-8 bytes) the file systems we run on take. */
    static final int MAX_NAME_BYTES = 255;

    /** What a folder holds before a run writes into it, apart from its claim: its identity files while {@link #adopt} writes them. */
    private static final Set<String> ADOPTING =
            Set.of(CLAIM, DATA_FINGERPRINT, CONFIG, DATA_FINGERPRINT + ".tmp", CONFIG + ".tmp", HASH + ".tmp");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a run is: the hash of its configuration and the fingerprint of the data it trains on
     * ({@code dataFingerprint} null when the caller has not loaded the data yet: only the hash is checked).
     */
    public record Identity(String configHash, String dataFingerprint) {}

    /** What a folder that {@link #check} accepts holds. */
    public enum Status {
        /** Nothing yet (missing, empty, or only our claim and unfinished identity files): the run starts here. */
        NEW,
        /** This run, interrupted: it resumes here. */
        RESUMABLE,
        /** This run, finished: its {@code result.json} answers for it. */
        FINISHED,
        /** This run, diverged ({@code failed.json}): it would diverge again. */
        DIVERGED
    }

    /** What a finished run leaves to look at and to upload as artifacts, checkpoints excepted. */
    public static final List<String> RECORDS = List.of(CONFIG, RESULT, METRICS);

    public Path config() {
        return dir.resolve(CONFIG);
    }

    public Path metrics() {
        return dir.resolve(METRICS);
    }

    public Path lastCheckpoint() {
        return dir.resolve(LAST_CHECKPOINT);
    }

    public Path bestCheckpoint() {
        return dir.resolve(BEST_CHECKPOINT);
    }

    public Path result() {
        return dir.resolve(RESULT);
    }

    public Path failed() {
        return dir.resolve(FAILED);
    }

    public Path tracking() {
        return dir.resolve(TRACKING);
    }

    public Path hash() {
        return dir.resolve(HASH);
    }

    public Path dataFingerprint() {
        return dir.resolve(DATA_FINGERPRINT);
    }

    /**
     * Whether a run of {@code identity} may use this folder, without writing anything: a one-line
     * {@link ConfigException} when the path cannot be a folder (empty, a file, under a file, a name
     * over 255 bytes), when the folder holds something that is not a run of ours, or when its
     * identity files are missing or name another configuration or other data.
     */
    public Status check(Identity identity) {
        requireUsablePath(dir);
        if (!Files.exists(dir)) {
            return Status.NEW;
        }
        Set<String> entries = entries();
        if (!entries.contains(HASH)) {
            if (entries.contains(RESULT) || entries.contains(FAILED)) {
                throw refused("holds " + (entries.contains(RESULT) ? RESULT : FAILED) + " but no " + HASH
                        + ", so nothing says which configuration it ran");
            }
            if (entries.stream().allMatch(ADOPTING::contains)) {
                if (entries.equals(Set.of(CLAIM)) || entries.isEmpty()) {
                    return Status.NEW;
                }
                // Our own start, interrupted before the marker: it wrote the data fingerprint first.
                if (entries.contains(DATA_FINGERPRINT)) {
                    if (identity.dataFingerprint() != null) {
                        requireSameData(read(dataFingerprint()), identity.dataFingerprint());
                    }
                    return Status.NEW;
                }
            }
            throw refused("is not empty and holds no run of ours (no " + HASH + "; it holds "
                    + String.join(", ", entries.stream().limit(5).toList()) + (entries.size() > 5 ? ", ..." : "")
                    + ")");
        }
        String recorded = read(hash());
        if (!recorded.equals(identity.configHash())) {
            throw refused("holds a run of another configuration (hash " + recorded + ", this one "
                    + identity.configHash() + ")");
        }
        boolean finished = entries.contains(RESULT);
        boolean diverged = !finished && entries.contains(FAILED);
        String data =
                entries.contains(DATA_FINGERPRINT) ? read(dataFingerprint()) : finished ? resultFingerprint() : null;
        if (data == null && !diverged) {
            throw refused(
                    "holds " + HASH + " but no " + DATA_FINGERPRINT + ", so nothing says which data it trained on");
        }
        if (data != null && identity.dataFingerprint() != null) {
            requireSameData(data, identity.dataFingerprint());
        }
        return finished ? Status.FINISHED : diverged ? Status.DIVERGED : Status.RESUMABLE;
    }

    /**
     * Makes this folder the run's, under its claim: checks it again ({@link #check}) and, in a new
     * folder, writes the data fingerprint, {@code configYaml} and last the marker {@code config.hash},
     * each atomically. Returns what the folder held.
     */
    public Status adopt(Identity identity, String configYaml) {
        if (identity.dataFingerprint() == null) {
            throw new IllegalArgumentException("a run is adopted with its data fingerprint");
        }
        Status status = check(identity);
        if (status == Status.NEW) {
            writeAtomically(dataFingerprint(), identity.dataFingerprint() + "\n");
            writeAtomically(config(), configYaml);
            writeAtomically(hash(), identity.configHash() + "\n");
        } else if (status == Status.RESUMABLE && !Files.isRegularFile(dataFingerprint())) {
            throw refused(
                    "holds " + HASH + " but no " + DATA_FINGERPRINT + ", so nothing says which data it trained on");
        }
        return status;
    }

    /** Writes {@code text} to {@code file} through a temporary sibling and a rename; a failure is one line naming the file. */
    public static void writeAtomically(Path file, String text) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the first failure is the one to report
            }
            throw cannotWrite(file, e);
        }
    }

    /**
     * The one line for a file or folder we cannot write: {@code cannot write runs/kd/config.yaml: No space left on device}.
     * A read-only mount, a full disk and missing permissions all land here, never as an internal error.
     */
    public static ConfigException cannotWrite(Path path, IOException e) {
        String reason = e instanceof FileSystemException fs && fs.getReason() != null
                ? fs.getReason()
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof java.nio.file.AccessDeniedException) {
            reason = "permission denied";
        }
        return new ConfigException("cannot write " + path + ": " + reason);
    }

    /**
     * Refuses a path that cannot be a folder before anything is created: empty, a name over 255
     * bytes, an existing file, or a file among its ancestors.
     */
    public static void requireUsablePath(Path dir) {
        if (dir.toString().isBlank()) {
            throw new ConfigException("output: is empty; it must name a folder (e.g. runs/kd)");
        }
        for (Path name : dir) {
            if (name.toString().getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw new ConfigException("output " + abbreviated(dir) + ": a folder name is longer than "
                        + MAX_NAME_BYTES + " bytes, which file systems do not take");
            }
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException("output " + dir + " is a file; it must name a folder");
        }
        for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new ConfigException("output " + dir + " lies under " + p + ", which is a file, not a folder");
                }
                break;
            }
        }
    }

    private static String abbreviated(Path dir) {
        String s = dir.toString();
        return s.length() <= 80 ? s : s.substring(0, 60) + "...(" + s.length() + " characters)";
    }

    private void requireSameData(String recorded, String fingerprint) {
        if (!recorded.equals(fingerprint)) {
            throw refused("holds a run on other data (data fingerprint " + recorded + ", this run's data " + fingerprint
                    + "; check --data-dir and data.dir)");
        }
    }

    private ConfigException refused(String why) {
        return new ConfigException(
                "output folder " + dir + " " + why + "; a run writes only into a new or empty folder or into"
                        + " its own run folder: choose another 'output' (or delete the folder if it is an old run of yours)");
    }

    private Set<String> entries() {
        try (Stream<Path> list = Files.list(dir)) {
            Set<String> names = new TreeSet<>();
            list.forEach(p -> names.add(p.getFileName().toString()));
            return names;
        } catch (IOException e) {
            throw new ConfigException("output folder " + dir + " cannot be read: "
                    + (e instanceof FileSystemException fs && fs.getReason() != null
                            ? fs.getReason()
                            : e.getMessage()));
        }
    }

    private String read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (text.isEmpty() || text.length() > 128 || !text.matches("[0-9a-f]+")) {
                throw refused("has a damaged " + file.getFileName() + " (expected a hexadecimal hash)");
            }
            return text;
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** The data fingerprint a finished run's {@code result.json} records (runs written before {@code data.fingerprint} existed). */
    private String resultFingerprint() {
        try {
            JsonNode node = JSON.readTree(result().toFile());
            JsonNode fp = node == null ? null : node.get("dataFingerprint");
            return fp != null && fp.isTextual() && fp.asText().matches("[0-9a-f]{1,128}") ? fp.asText() : null;
        } catch (IOException e) {
            throw refused("has a result.json that is not JSON ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    /** True when the run finished: its {@code result.json} exists. */
    public boolean isFinished() {
        return Files.isRegularFile(result());
    }

    /** True when the run diverged: its {@code failed.json} exists. */
    public boolean hasDiverged() {
        return Files.isRegularFile(failed());
    }

    /** The claim, or empty if another process holds it. */
    public Optional<RunClaim> tryClaim() {
        return RunClaim.tryClaim(dir);
    }

    /** The claim, trying again for up to {@code patience} (a killed runner's child lets go within a second). */
    public Optional<RunClaim> tryClaim(Duration patience) {
        return RunClaim.tryClaim(dir, patience);
    }

    /** The claim, waiting while another process holds it. */
    public RunClaim claim() {
        return RunClaim.claim(dir);
    }

    /** True for the file that ends a run, finished or diverged ({@code result.json}, {@code failed.json}). */
    public static boolean isEndFile(Path file) {
        String name = file.getFileName().toString();
        return name.equals(RESULT) || name.equals(FAILED);
    }
}
