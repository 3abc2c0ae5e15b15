package dev.hkd.training.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hkd.training.train.Engines;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsTensorsAndMetadata() {
        try (NDManager m = Engines.training().newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            tensors.put("w", m.create(new float[] {1.5f, -2f, 3f, 4f, 5f, 6f}, new Shape(2, 3)));
            tensors.put("steps", m.create(new long[] {7, 8}));
            SafeTensors.write(dir.resolve("a.safetensors"), tensors, Map.of("epoch", "3"));
            SafeTensors.Contents back = SafeTensors.read(dir.resolve("a.safetensors"), m);
            assertEquals("3", back.metadata().get("epoch"));
            assertEquals(new Shape(2, 3), back.tensors().get("w").getShape());
            assertArrayEquals(
                    new float[] {1.5f, -2f, 3f, 4f, 5f, 6f},
                    back.tensors().get("w").toFloatArray());
            assertArrayEquals(new long[] {7, 8}, back.tensors().get("steps").toLongArray());
        }
    }

    @Test
    void widensHalfAndBfloat16ToFloat32() throws Exception {
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[8,12]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + 12).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        // F16: 1.0, -2.5, 65504 (max), 2^-24 (smallest subnormal); BF16: 1.0, -3.0
        buf.putShort((short) 0x3c00)
                .putShort((short) 0xc100)
                .putShort((short) 0x7bff)
                .putShort((short) 0x0001);
        buf.putShort((short) 0x3f80).putShort((short) 0xc040);
        Files.write(dir.resolve("half.safetensors"), buf.array());
        try (NDManager m = Engines.training().newBaseManager()) {
            SafeTensors.Contents c = SafeTensors.read(dir.resolve("half.safetensors"), m);
            assertEquals(DataType.FLOAT32, c.tensors().get("h").getDataType());
            assertArrayEquals(
                    new float[] {1f, -2.5f, 65504f, 0x1p-24f},
                    c.tensors().get("h").toFloatArray());
            assertArrayEquals(new float[] {1f, -3f}, c.tensors().get("b").toFloatArray());
        }
    }

    @Test
    void aTruncatedFileIsAOneLineError() throws Exception {
        Files.write(dir.resolve("bad.safetensors"), new byte[] {1, 0, 0});
        try (NDManager m = Engines.training().newBaseManager()) {
            SafeTensorsException e =
                    assertThrows(SafeTensorsException.class, () -> SafeTensors.read(dir.resolve("bad.safetensors"), m));
            assertTrue(e.getMessage().contains("bad.safetensors"), e.getMessage());
        }
    }
}
