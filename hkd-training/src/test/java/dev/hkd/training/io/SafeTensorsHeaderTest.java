package dev.hkd.training.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.hkd.training.train.Engines;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A header that does not describe the file it heads is refused in one line before anything is allocated. */
class SafeTensorsHeaderTest {

    @TempDir
    Path dir;

    /** A file of {@code header} (its length as written, unless {@code length} is given) and {@code data} bytes. */
    private Path file(String header, int data, Long length) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + data).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(length != null ? length : h.length).put(h);
        Path f = dir.resolve("t.safetensors");
        Files.write(f, buf.array());
        return f;
    }

    private static String refused(Path f) {
        try (NDManager m = Engines.training().newBaseManager()) {
            SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(f, m));
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
            return e.getMessage();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}} | 8 | data_offsets[0] must be a non-negative integer",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,-8]}} | 8 | data_offsets[1] must be a non-negative integer",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,8]}} | 8 | shape[0] must be a non-negative integer",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}} | 8 | overflows a 64-bit size",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1e3],\"data_offsets\":[0,8]}} | 8 | shape[0] must be a non-negative integer",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,800]}} | 8 | lie outside the 8 bytes",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}} | 8 | need 12",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"v\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}} | 8 | another tensor lies",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}} | 8 | a gap of 4 bytes",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}} | 8 | the data area has 8",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}} | 8 | Duplicate field 'w'",
                "{\"w\":{\"dtype\":\"Q8\",\"shape\":[2],\"data_offsets\":[0,2]}} | 2 | unsupported dtype Q8",
                "{\"__metadata__\":{\"epoch\":{\"a\":1}}} | 0 | __metadata__.epoch must be a string",
                "[1, 2] | 0 | not a JSON object",
                "{\"w\": | 0 | not valid JSON",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}} | 8 | data_offsets must be [begin, end]",
            })
    void aHeaderThatDoesNotFitTheFileIsRefused(String header, int data, String said) throws Exception {
        String m = refused(file(header, data, null));
        assertTrue(m.contains(said), m);
    }

    @Test
    void aHeaderLengthBeyondTheFileIsRefusedBeforeAllocating() throws Exception {
        String h = "{}";
        assertTrue(refused(file(h, 0, -1L)).contains("header length 18446744073709551615 does not fit"));
        assertTrue(refused(file(h, 0, Long.MAX_VALUE)).contains("does not fit a file of 10 bytes"));
        assertTrue(refused(file(h, 0, 3L)).contains("does not fit"));
        assertTrue(refused(file(h, 0, 0L)).contains("does not fit"));
    }

    @Test
    void aTensorRelabelledToAnotherKindOfDtypeIsNotLoadedAsWeights() throws Exception {
        // Four float32 bytes relabelled I32: a well-formed file, but not a float parameter.
        Path f = file("{\"w\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, null);
        try (NDManager m = Engines.training().newBaseManager()) {
            var w = SafeTensors.read(f, m).tensors().get("w");
            SafeTensorsException e = assertThrows(
                    SafeTensorsException.class,
                    () -> SafeTensors.requireSameKind(f.toString(), "w", w, DataType.FLOAT32));
            assertEquals(f + ": tensor 'w' is int32, the model needs float32", e.getMessage());
            SafeTensors.requireSameKind(f.toString(), "w", w, DataType.INT64);
            SafeTensors.requireSameKind(f.toString(), "w", m.create(new float[] {1f}), DataType.FLOAT32);
        }
    }

    @Test
    void anEmptyTensorAndAnEmptyFileOfTensorsRead() throws Exception {
        try (NDManager m = Engines.training().newBaseManager()) {
            var c = SafeTensors.read(
                    file("{\"e\":{\"dtype\":\"F32\",\"shape\":[0, 3],\"data_offsets\":[0,0]}}", 0, null), m);
            assertEquals(0, c.tensors().get("e").size());
            assertTrue(SafeTensors.read(file("{}", 0, null), m).tensors().isEmpty());
        }
    }
}
