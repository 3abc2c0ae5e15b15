package dev.hkd.training.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Exclusive use of a run folder: an OS lock on its {@code .claim} file, held while a process
 * trains (or syncs) the run. Two runners never run one cell twice, and a killed process's claim
 * dies with it, so the next runner resumes the cell.
 */
public final class RunClaim implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private RunClaim(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Like {@link #tryClaim(Path)}, trying again for up to {@code patience}: a runner killed with
     * SIGKILL leaves its cell process behind for as long as that process needs to notice (a quarter
     * of a second, {@code ParentWatch}), and a re-run started at once must not mistake that dying
     * claim for a live runner's.
     */
    public static Optional<RunClaim> tryClaim(Path folder, java.time.Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<RunClaim> claim = tryClaim(folder);
            if (claim.isPresent() || System.nanoTime() >= deadline) {
                return claim;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** The claim, or empty if another process (or another claim in this one) holds it. */
    public static Optional<RunClaim> tryClaim(Path folder) {
        try {
            FileChannel channel = openClaimFile(folder);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldInThisProcess) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            return Optional.of(new RunClaim(channel, lock));
        } catch (IOException e) {
            throw RunFolder.cannotWrite(folder.resolve(RunFolder.CLAIM), e);
        }
    }

    /** The claim, waiting for as long as another process holds it (the teacher cache: one trains, the others wait). */
    public static RunClaim claim(Path folder) {
        try {
            FileChannel channel = openClaimFile(folder);
            return new RunClaim(channel, channel.lock());
        } catch (IOException e) {
            throw RunFolder.cannotWrite(folder.resolve(RunFolder.CLAIM), e);
        }
    }

    private static FileChannel openClaimFile(Path folder) throws IOException {
        RunFolder.requireUsablePath(folder);
        Files.createDirectories(folder);
        return FileChannel.open(folder.resolve(RunFolder.CLAIM), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
