package dev.hkd.training.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hkd.training.io.PausePoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metrics.jsonl}: one JSON line per finished epoch, appended and synced; a line cut short
 * by a crash is ignored on reading and cut off before the next append (the checkpoint re-logs its
 * epoch), so that the re-logged line does not land on the torn one.
 */
public final class MetricsLog implements TrainingListener {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public MetricsLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    @Override
    public void onEpochEnd(EpochRecord record) {
        append(record);
    }

    public void append(EpochRecord record) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] line = (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ch.truncate(endOfLastCompleteLine(ch));
                ch.position(ch.size());
                ch.write(java.nio.ByteBuffer.wrap(line, 0, line.length / 2));
                PausePoints.reach("metrics-append", file.toAbsolutePath().getParent());
                ch.write(java.nio.ByteBuffer.wrap(line, line.length / 2, line.length - line.length / 2));
                ch.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The length of the file up to and including its last newline (0 if it has none). */
    private static long endOfLastCompleteLine(FileChannel ch) throws IOException {
        long size = ch.size();
        java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
        for (long at = size - 1; at >= 0; at--) {
            one.clear();
            ch.read(one, at);
            if (one.get(0) == '\n') {
                return at + 1;
            }
        }
        return 0;
    }

    /** The complete records written so far. */
    public List<EpochRecord> read() {
        List<EpochRecord> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(JSON.readValue(line, EpochRecord.class));
                } catch (IOException torn) {
                    // A line cut short by a crash; the epoch is re-logged from the checkpoint.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
