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

    public static IdxFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": no such IDX file");
        }
        try (InputStream raw = Files.newInputStream(file)) {
            return read(raw, file.toString());
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Reads from a stream; {@code file} names the source in error messages. */
    public static IdxFile read(InputStream source, String file) {
        try (DataInputStream in = new DataInputStream(maybeGunzip(new BufferedInputStream(source)))) {
            int zero1 = in.readUnsignedByte();
            int zero2 = in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int ndim = in.readUnsignedByte();
            if (zero1 != 0 || zero2 != 0 || type != UNSIGNED_BYTE || ndim < 1 || ndim > 4) {
                throw new DataException(file + ": not an unsigned-byte IDX file (magic "
                        + String.format("%02x %02x %02x %02x", zero1, zero2, type, ndim) + ", expected 00 00 08 0N)");
            }
            int[] dims = new int[ndim];
            long count = 1;
            for (int i = 0; i < ndim; i++) {
                dims[i] = in.readInt();
                if (dims[i] < 0) {
                    throw new DataException(file + ": negative dimension " + dims[i]);
                }
                count *= dims[i];
            }
            if (count > Integer.MAX_VALUE - 8) {
                throw new DataException(file + ": too large (" + count + " bytes)");
            }
            byte[] data = new byte[(int) count];
            in.readFully(data);
            if (in.read() != -1) {
                throw new DataException(file + ": longer than its header " + Arrays.toString(dims) + " says");
            }
            return new IdxFile(dims, data);
        } catch (EOFException e) {
            throw new DataException(file + ": truncated IDX file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static InputStream maybeGunzip(InputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    public int count() {
        return dims[0];
    }
}
