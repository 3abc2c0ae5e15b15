package dev.hkd.training.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * An unsigned-byte tensor in the IDX format of MNIST and Fashion-MNIST: a 4-byte magic
 * {@code 0x00 0x00 0x08 ndim}, {@code ndim} big-endian int32 dimensions, then the bytes. Files may
 * be gzipped (detected from the content, not the name).
 *
 * @param dims the dimensions, e.g. {@code [60000, 28, 28]}
 * @param data the bytes in row-major order
 */
public record IdxFile(int[] dims, byte[] data) {

    private static final int UNSIGNED_BYTE = 0x08;

    /** Deflate inflates at most about 1032-fold: a gzip that promises more than this is not telling the truth. */
    static final long MAX_DEFLATE_RATIO = 1032;
    /** The largest tensor read (a Java array). */
    static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    public static IdxFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": no such IDX file");
        }
        try (InputStream raw = Files.newInputStream(file)) {
            return read(raw, file.toString(), Files.size(file));
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Reads from a stream; {@code file} names the source in error messages. */
    public static IdxFile read(InputStream source, String file) {
        return read(source, file, -1);
    }

    /**
     * Reads what the header promises, checked against what the source can hold before anything
     * large is allocated: a plain file must be exactly its header plus the promised bytes, a gzip
     * must be able to inflate to them, and the bytes are read as they come, so a header that lies
     * costs no more memory than the data really present.
     *
     * @param fileSize the source's size in bytes, or -1 when unknown (a resource)
     */
    static IdxFile read(InputStream source, String file, long fileSize) {
        try {
            BufferedInputStream buffered = new BufferedInputStream(source);
            boolean gzipped = isGzip(buffered);
            try (DataInputStream in =
                    new DataInputStream(gzipped ? new GZIPInputStream(buffered, 1 << 16) : buffered)) {
                int zero1 = in.readUnsignedByte();
                int zero2 = in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int ndim = in.readUnsignedByte();
                if (zero1 != 0 || zero2 != 0 || type != UNSIGNED_BYTE || ndim < 1 || ndim > 4) {
                    throw new DataException(file + ": not an unsigned-byte IDX file (magic "
                            + String.format("%02x %02x %02x %02x", zero1, zero2, type, ndim)
                            + ", expected 00 00 08 0N)");
                }
                int[] dims = new int[ndim];
                long count = 1;
                for (int i = 0; i < ndim; i++) {
                    dims[i] = in.readInt();
                    if (dims[i] <= 0) {
                        throw new DataException(file + ": dimension " + i + " is " + Integer.toUnsignedString(dims[i])
                                + "; an IDX tensor's dimensions are positive (and below 2^31)");
                    }
                    count = Math.multiplyExact(count, (long) dims[i]);
                    if (count > MAX_BYTES) {
                        throw new DataException(file + ": the header promises more than " + MAX_BYTES + " bytes "
                                + Arrays.toString(Arrays.copyOf(dims, i + 1)) + "…");
                    }
                }
                long header = 4 + 4L * ndim;
                if (fileSize >= 0 && !gzipped && fileSize != header + count) {
                    throw new DataException(file + ": the header " + Arrays.toString(dims) + " promises " + count
                            + " bytes of data, the file holds " + (fileSize - header));
                }
                if (fileSize >= 0 && gzipped && header + count > MAX_DEFLATE_RATIO * fileSize) {
                    throw new DataException(file + ": the header " + Arrays.toString(dims) + " promises " + count
                            + " bytes, more than a gzip of " + fileSize + " bytes can inflate to");
                }
                byte[] data = readUpTo(in, (int) count);
                if (data.length < count) {
                    throw new DataException(file + ": truncated IDX file (the header " + Arrays.toString(dims)
                            + " promises " + count + " bytes of data, it holds " + data.length + ")");
                }
                if (in.read() != -1) {
                    throw new DataException(file + ": longer than its header " + Arrays.toString(dims) + " says");
                }
                return new IdxFile(dims, data);
            }
        } catch (EOFException e) {
            throw new DataException(file + ": truncated IDX file");
        } catch (ArithmeticException e) {
            throw new DataException(file + ": the header's dimensions overflow");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Up to {@code count} bytes, in a buffer that grows only as bytes arrive. */
    private static byte[] readUpTo(InputStream in, int count) throws IOException {
        byte[] data = new byte[Math.min(count, 1 << 20)];
        int filled = 0;
        while (filled < count) {
            if (filled == data.length) {
                data = Arrays.copyOf(data, (int) Math.min(count, 2L * data.length));
            }
            int n = in.read(data, filled, data.length - filled);
            if (n < 0) {
                return Arrays.copyOf(data, filled);
            }
            filled += n;
        }
        return data;
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b;
    }

    public int count() {
        return dims[0];
    }
}
