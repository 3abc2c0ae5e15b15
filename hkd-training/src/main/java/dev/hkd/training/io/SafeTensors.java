package dev.hkd.training.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header mapping each name
 * to dtype, shape and byte offsets (plus optional string metadata), then the raw little-endian
 * data. F16 and BF16 tensors are widened to float32 on reading.
 */
public final class SafeTensors {

    // A name written twice in a header would let one tensor shadow another.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Tensors by name in file order, and the file's {@code __metadata__}. */
    public record Contents(Map<String, NDArray> tensors, Map<String, String> metadata) {}

    private SafeTensors() {}

    /**
     * Reads a file, checking its header against the file's real size before anything is
     * allocated: a header length within the file (and at most {@value #MAX_HEADER_BYTES} bytes),
     * JSON without duplicate names, every tensor's dtype, shape (non-negative, no overflow) and
     * offsets consistent, and the tensors tiling the data area exactly, as the format requires (no
     * offset into the header, no overlap, no gap). Anything else is a one-line
     * {@link SafeTensorsException}.
     */
    public static Contents read(Path file, NDManager manager) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new SafeTensorsException(file + ": too short for a safetensors file (" + size + " bytes)");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength <= 1 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
                throw new SafeTensorsException(
                        file + ": header length " + Long.toUnsignedString(headerLength) + " does not fit a file of "
                                + size + " bytes (at most " + Math.min(MAX_HEADER_BYTES, size - 8) + ")");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBytes, 8);
            JsonNode header;
            try {
                header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new SafeTensorsException(file + ": the header is not valid JSON ("
                        + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
            }
            if (header == null || !header.isObject()) {
                throw new SafeTensorsException(file + ": the header is not a JSON object");
            }
            long dataStart = 8 + headerLength;
            long dataLength = size - dataStart;
            Map<String, Layout> layouts = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    metadata(file, e.getValue(), metadata);
                    continue;
                }
                layouts.put(e.getKey(), layout(file, e.getKey(), e.getValue(), dataLength));
            }
            requireTiling(file, layouts, dataLength);
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, Layout> e : layouts.entrySet()) {
                tensors.put(e.getKey(), tensor(e.getValue(), channel, dataStart, manager));
            }
            return new Contents(tensors, metadata);
        } catch (IOException e) {
            throw new SafeTensorsException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** The largest header read (the format's own limit, as the reference implementation sets it). */
    public static final long MAX_HEADER_BYTES = 100L << 20;
    /** The most dimensions of a tensor. */
    public static final int MAX_RANK = 16;

    /** Where one tensor lies in the data area, checked against the file. */
    private record Layout(String name, String dtype, int width, long[] dims, long count, long begin, long end) {}

    private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining()) {
            int n = channel.read(into, position + into.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static void metadata(Path file, JsonNode node, Map<String, String> metadata) {
        if (!node.isObject()) {
            throw new SafeTensorsException(file + ": __metadata__ must be an object of strings");
        }
        node.fields().forEachRemaining(m -> {
            if (!m.getValue().isTextual()) {
                throw new SafeTensorsException(file + ": __metadata__." + m.getKey() + " must be a string, got "
                        + m.getValue().getNodeType());
            }
            metadata.put(m.getKey(), m.getValue().asText());
        });
    }

    private static Layout layout(Path file, String name, JsonNode info, long dataLength) {
        String what = file + ": tensor '" + name + "'";
        if (!info.isObject()) {
            throw new SafeTensorsException(what + ": expected {dtype, shape, data_offsets}");
        }
        String dtype = info.path("dtype").isTextual() ? info.path("dtype").asText() : String.valueOf(info.get("dtype"));
        int width = switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16" -> 2;
            case "U8", "BOOL" -> 1;
            default ->
                throw new SafeTensorsException(
                        what + " has unsupported dtype " + dtype + "; valid: F64, F32, F16, BF16, I64, I32, U8, BOOL");
        };
        JsonNode shapeNode = info.get("shape");
        if (shapeNode == null || !shapeNode.isArray() || shapeNode.size() > MAX_RANK) {
            throw new SafeTensorsException(what + ": shape must be a list of at most " + MAX_RANK + " sizes");
        }
        long[] dims = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = nonNegativeLong(shapeNode.get(i), what + ": shape[" + i + "]");
            count = multiply(count, dims[i], what);
        }
        long bytes = multiply(count, width, what);
        JsonNode offsets = info.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2) {
            throw new SafeTensorsException(what + ": data_offsets must be [begin, end]");
        }
        long begin = nonNegativeLong(offsets.get(0), what + ": data_offsets[0]");
        long end = nonNegativeLong(offsets.get(1), what + ": data_offsets[1]");
        if (begin > end || end > dataLength) {
            throw new SafeTensorsException(what + ": data_offsets [" + begin + ", " + end + "] lie outside the "
                    + dataLength + " bytes of data");
        }
        if (end - begin != bytes) {
            throw new SafeTensorsException(what + ": data_offsets [" + begin + ", " + end + "] hold " + (end - begin)
                    + " bytes, its shape and dtype " + dtype + " need " + bytes);
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new SafeTensorsException(
                    what + ": " + count + " elements; at most " + (Integer.MAX_VALUE - 8) + " per tensor");
        }
        return new Layout(name, dtype, width, dims, count, begin, end);
    }

    private static long nonNegativeLong(JsonNode n, String what) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            throw new SafeTensorsException(what + " must be a non-negative integer, got " + n);
        }
        return n.asLong();
    }

    private static long multiply(long a, long b, String what) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new SafeTensorsException(what + ": its shape overflows a 64-bit size");
        }
    }

    /** The tensors must cover the data area from 0 to its end, each beginning where another ends. */
    private static void requireTiling(Path file, Map<String, Layout> layouts, long dataLength) {
        java.util.List<Layout> sorted = new java.util.ArrayList<>(layouts.values());
        sorted.sort(java.util.Comparator.comparingLong(Layout::begin).thenComparingLong(Layout::end));
        long at = 0;
        for (Layout l : sorted) {
            if (l.begin() != at) {
                throw new SafeTensorsException(file + ": tensor '" + l.name() + "' begins at byte " + l.begin()
                        + " of the data, where "
                        + (l.begin() < at
                                ? "another tensor lies"
                                : "a gap of " + (l.begin() - at) + " bytes precedes it")
                        + "; tensors must follow each other without gaps or overlap");
            }
            at = l.end();
        }
        if (at != dataLength) {
            throw new SafeTensorsException(
                    file + ": the tensors hold " + at + " bytes but the data area has " + dataLength);
        }
    }

    private static NDArray tensor(Layout l, FileChannel channel, long dataStart, NDManager manager) throws IOException {
        long length = l.end() - l.begin();
        ByteBuffer slice = length == 0
                ? ByteBuffer.allocateDirect(0)
                : channel.map(FileChannel.MapMode.READ_ONLY, dataStart + l.begin(), length);
        slice.order(ByteOrder.LITTLE_ENDIAN);
        Shape shape = new Shape(l.dims());
        String dtype = l.dtype();
        return switch (dtype) {
            case "F16", "BF16" -> {
                float[] values = new float[(int) l.count()];
                for (int i = 0; i < values.length; i++) {
                    short bits = slice.getShort(2 * i);
                    values[i] = dtype.equals("F16") ? halfToFloat(bits) : Float.intBitsToFloat((bits & 0xffff) << 16);
                }
                yield manager.create(values, shape);
            }
            case "F64" -> manager.create(slice, shape, DataType.FLOAT64);
            case "I64" -> manager.create(slice, shape, DataType.INT64);
            case "F32" -> manager.create(slice, shape, DataType.FLOAT32);
            case "I32" -> manager.create(slice, shape, DataType.INT32);
            case "BOOL" -> manager.create(slice, shape, DataType.BOOLEAN);
            default -> manager.create(slice, shape, DataType.UINT8);
        };
    }

    /**
     * Refuses to load {@code value} into a parameter of {@code target}'s type unless both are
     * floating point, both integers, or both booleans: a tensor relabelled to another dtype would
     * otherwise be converted into nonsense weights.
     */
    public static void requireSameKind(String source, String name, NDArray value, DataType target) {
        if (kind(value.getDataType()) != kind(target)) {
            throw new SafeTensorsException(
                    source + ": tensor '" + name + "' is " + value.getDataType() + ", the model needs " + target);
        }
    }

    private static int kind(DataType t) {
        if (t.isFloating()) {
            return 0;
        }
        return t == DataType.BOOLEAN ? 2 : 1;
    }

    /** IEEE 754 binary16 to float32, exactly (Java 17 has no built-in). */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Subnormal (or zero): mantissa · 2^-24.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /**
     * Deletes the temporary files that writes into {@code folder} left behind when their process was
     * killed before the rename; call only while no write into it can be under way (a claimed run folder).
     */
    public static void removeStaleTemporaries(Path folder) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (var files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches(".+\\.safetensors\\..+\\.tmp"))
                    .toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new SafeTensorsException(folder + ": cannot list (" + e.getMessage() + ")");
        }
    }

    /** Writes atomically: a temporary file in the same folder, then a rename over {@code file}. */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        Map<String, byte[]> payloads = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray array = e.getValue();
            byte[] bytes = littleEndianBytes(array);
            ObjectNode info = header.putObject(e.getKey());
            info.put("dtype", dtypeName(array.getDataType(), e.getKey()));
            var shape = info.putArray("shape");
            for (long d : array.getShape().getShape()) {
                shape.add(d);
            }
            info.putArray("data_offsets").add(offset).add(offset + bytes.length);
            offset += bytes.length;
            payloads.put(e.getKey(), bytes);
        }
        byte[] headerBytes;
        try {
            headerBytes = JSON.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new SafeTensorsException(file + ": cannot encode header (" + e.getMessage() + ")");
        }
        int padded = (headerBytes.length + 7) / 8 * 8;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                ByteBuffer len =
                        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded);
                out.write(len.array());
                out.write(headerBytes);
                for (int i = headerBytes.length; i < padded; i++) {
                    out.write(' ');
                }
                int written = 0;
                for (byte[] payload : payloads.values()) {
                    out.write(payload);
                    if (++written == payloads.size() / 2) {
                        out.flush();
                        PausePoints.reach(
                                "checkpoint-write", file.toAbsolutePath().getParent());
                    }
                }
                out.flush();
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new SafeTensorsException(file + ": cannot write (" + e.getMessage() + ")");
        }
    }

    private static byte[] littleEndianBytes(NDArray array) {
        ByteBuffer buffer = array.toByteBuffer();
        ByteBuffer le = ByteBuffer.allocate(buffer.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        int width = array.getDataType().getNumOfBytes();
        ByteBuffer src = buffer.duplicate().order(buffer.order());
        if (buffer.order() == ByteOrder.LITTLE_ENDIAN || width == 1) {
            le.put(src);
        } else {
            while (src.remaining() > 0) {
                switch (width) {
                    case 8 -> le.putLong(src.getLong());
                    case 4 -> le.putInt(src.getInt());
                    default -> le.putShort(src.getShort());
                }
            }
        }
        return le.array();
    }

    private static String dtypeName(DataType type, String name) {
        return switch (type) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case INT64 -> "I64";
            case INT32 -> "I32";
            case UINT8 -> "U8";
            case BOOLEAN -> "BOOL";
            case FLOAT16 -> "F16";
            default -> throw new SafeTensorsException("tensor '" + name + "': cannot store dtype " + type);
        };
    }
}
