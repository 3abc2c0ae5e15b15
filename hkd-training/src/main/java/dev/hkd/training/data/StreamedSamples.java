package dev.hkd.training.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Samples read from their files when a batch needs them: the file list is all that is held. A
 * sample is decoded with the training transform when it is drawn with a random generator (a
 * training batch) and with the evaluation transform otherwise.
 *
 * <p>An unreadable file (empty, truncated, not an image, over the size bound) is a
 * {@link DataException} naming it; with {@code skipUnreadable} it is instead replaced by the next
 * readable file of the list (with that file's label and index, so a batch keeps its size) and a
 * line on standard error counts the files skipped so far. Which files are unreadable is a property
 * of the data, so the replacement is as deterministic as the rest.
 */
public final class StreamedSamples {

    private final ImageFiles files;
    private final ImageTransform train;
    private final ImageTransform eval;
    private final DecodePool pool;
    private final boolean skipUnreadable;
    private final Set<Integer> unreadable;
    private final AtomicInteger skipped;

    public StreamedSamples(
            ImageFiles files, ImageTransform train, ImageTransform eval, DecodePool pool, boolean skipUnreadable) {
        this(files, train, eval, pool, skipUnreadable, ConcurrentHashMap.newKeySet(), new AtomicInteger());
    }

    private StreamedSamples(
            ImageFiles files,
            ImageTransform train,
            ImageTransform eval,
            DecodePool pool,
            boolean skipUnreadable,
            Set<Integer> unreadable,
            AtomicInteger skipped) {
        if (train.size() != eval.size()) {
            throw new IllegalArgumentException(
                    "train and eval transforms give " + train.size() + " and " + eval.size() + " pixels");
        }
        this.files = files;
        this.train = train;
        this.eval = eval;
        this.pool = pool;
        this.skipUnreadable = skipUnreadable;
        this.unreadable = unreadable;
        this.skipped = skipped;
    }

    public ImageFiles files() {
        return files;
    }

    /** The samples' side in pixels. */
    public int side() {
        return train.size();
    }

    public DecodePool pool() {
        return pool;
    }

    /** How many distinct files were skipped as unreadable so far. */
    public int skipped() {
        return skipped.get();
    }

    StreamedSamples head(int n) {
        return new StreamedSamples(files.head(n), train, eval, pool, skipUnreadable, unreadable, skipped);
    }

    /**
     * Writes sample {@code index} into {@code out} ({@code 3 × size × size}, CHW RGB) and returns
     * the index whose pixels were written: {@code index}, or the readable file that replaced it.
     */
    int read(int index, byte[] out, SplittableRandom random) {
        ImageTransform transform = random == null ? eval : train;
        int n = files.size();
        for (int tried = 0, i = index; tried < n; tried++, i = (i + 1) % n) {
            if (skipUnreadable && unreadable.contains(i)) {
                continue;
            }
            try {
                transform.apply(files.path(i), random, out);
                return i;
            } catch (RuntimeException e) {
                // OpenCV's CvException and the like are a file we could not read too: named as one.
                DataException d = e instanceof DataException de
                        ? de
                        : new DataException(files.path(i) + ": cannot decode ("
                                + e.getClass().getSimpleName() + ": "
                                + String.valueOf(e.getMessage())
                                        .lines()
                                        .findFirst()
                                        .orElse("") + ")");
                if (!skipUnreadable) {
                    throw d;
                }
                if (unreadable.add(i)) {
                    System.err.println("data: skipped " + d.getMessage().split(";")[0] + " ("
                            + skipped.incrementAndGet() + " unreadable files skipped so far)");
                }
            }
        }
        throw new DataException(
                files.name() + ": no readable image at all (" + skipped.get() + " unreadable files skipped)");
    }

    /** SHA-256 of the file names and labels (not of their bytes: reading 1.28 M files to hash them would take an epoch). */
    String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < files.size(); i++) {
                digest.update(files.fileName(i).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                int label = files.label(i);
                digest.update(
                        new byte[] {(byte) (label >> 24), (byte) (label >> 16), (byte) (label >> 8), (byte) label});
            }
            digest.update(train.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
