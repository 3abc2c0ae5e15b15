package dev.hkd.training.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Tensors by name in file order, and the file's {@code __metadata__}. */
    public record Contents(Map<String, NDArray> tensors, Map<String, String> metadata) {
    }

    private SafeTensors() {
    }

    public static Contents read(Path file, NDManager manager) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new SafeTensorsException(file + ": too short for a safetensors file");
            }
            ByteBuffer all = channel.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = all.getLong(0);
            if (headerLength <= 0 || 8 + headerLength > size) {
                throw new SafeTensorsException(file + ": bad header length " + headerLength);
            }
            byte[] headerBytes = new byte[(int) headerLength];
            all.get(8, headerBytes);
            JsonNode header = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
            long dataStart = 8 + headerLength;
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                tensors.put(e.getKey(), tensor(file, e.getKey(), e.getValue(), all, dataStart, size, manager));
            }
            return new Contents(tensors, metadata);
        } catch (IOException e) {
            throw new SafeTensorsException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static NDArray tensor(Path file, String name, JsonNode info, ByteBuffer all, long dataStart, long size,
                                  NDManager manager) {
        String dtype = info.path("dtype").asText();
        JsonNode shapeNode = info.path("shape");
        long[] dims = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shapeNode.get(i).asLong();
            count *= dims[i];
        }
        long begin = dataStart + info.path("data_offsets").path(0).asLong();
        long end = dataStart + info.path("data_offsets").path(1).asLong();
        int width = switch (dtype) {
            case "F64", "I64" -> 8;
            case "F32", "I32" -> 4;
            case "F16", "BF16" -> 2;
            case "U8", "BOOL" -> 1;
            default -> throw new SafeTensorsException(file + ": tensor '" + name + "' has unsupported dtype " + dtype);
        };
        if (end > size || begin > end || end - begin != count * width) {
            throw new SafeTensorsException(file + ": tensor '" + name + "' offsets do not fit its shape and dtype");
        }
        ByteBuffer slice = all.slice((int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        Shape shape = new Shape(dims);
        return switch (dtype) {
            case "F16", "BF16" -> {
                float[] values = new float[(int) count];
                for (int i = 0; i < values.length; i++) {
                    short bits = slice.getShort(2 * i);
                    values[i] = dtype.equals("F16") ? halfToFloat(bits)
                            : Float.intBitsToFloat((bits & 0xffff) << 16);
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
            for (Path f : files.filter(p -> p.getFileName().toString().matches(".+\\.safetensors\\..+\\.tmp")).toList()) {
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
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded);
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
                        PausePoints.reach("checkpoint-write", file.toAbsolutePath().getParent());
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
