package dev.hkd.training.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hkd.training.config.SeededTries;
import dev.hkd.training.train.Engines;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * Any mutation of a valid safetensors file's header (dtypes, shapes, offsets, names, metadata,
 * the length field, duplicate names) or of its size is either read into tensors that fit the file,
 * or refused in one {@link SafeTensorsException} line naming the file: never another exception,
 * never an allocation beyond the file, never a write.
 *
 * <p>1000 tries, each drawn by {@link SeededTries} from one seed, printed first as
 * {@code SafeTensorsMutationPropertyTest: seed 123 (replay: HKD_PROPERTY_SEED=123)}; a failure
 * names the seed, the try, the mutations and the header and length written. To replay a run, give
 * its seed: {@code HKD_PROPERTY_SEED=123 ./mvnw -B -o -pl hkd-training -am test
 * -Dtest=SafeTensorsMutationPropertyTest -Dsurefire.failIfNoSpecifiedTests=false} (or
 * {@code -DHKD_PROPERTY_SEED=123}); the same tries are drawn in the same order.
 */
class SafeTensorsMutationPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static Path dir;
    private static byte[] data;
    private static ObjectNode header;
    private static NDManager manager;

    @BeforeAll
    static void validFile() throws IOException {
        dir = Files.createTempDirectory("hkd-safetensors-mutations");
        manager = Engines.training().newBaseManager();
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("student/conv.weight", manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3)));
        tensors.put("student/bn.num_batches_tracked", manager.create(new long[] {7}));
        tensors.put("momentum/conv.weight", manager.create(new double[] {0.5, 0.25}));
        tensors.put("mask", manager.create(new boolean[] {true, false, true}));
        Path valid = dir.resolve("valid.safetensors");
        SafeTensors.write(valid, tensors, Map.of("epoch", "3", "seed", "1"));
        byte[] file = Files.readAllBytes(valid);
        long length = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        header = (ObjectNode) JSON.readTree(new String(file, 8, (int) length, StandardCharsets.UTF_8));
        data = Arrays.copyOfRange(file, 8 + (int) length, file.length);
        Files.delete(valid);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        manager.close();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    /** What to change: {@code field} of tensor number {@code pick} (or the file itself). */
    enum Target {
        DTYPE,
        SHAPE,
        SHAPE_ENTRY,
        OFFSETS,
        OFFSET_ENTRY,
        ENTRY,
        NAME,
        METADATA,
        REMOVE,
        DUPLICATE,
        LENGTH,
        TRUNCATE,
        APPEND
    }

    record Mutation(Target target, int pick, JsonNode value, long number) {}

    /** One try: the mutations and the file they give. */
    record Mutated(List<Mutation> mutations, byte[] bytes) {

        static Mutated draw(SplittableRandom random) throws IOException {
            int count = SeededTries.between(random, 1, 3);
            List<Mutation> mutations = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                mutations.add(new Mutation(
                        SeededTries.oneOf(random, Target.values()),
                        SeededTries.between(random, 0, 1000),
                        value(random),
                        number(random)));
            }
            return new Mutated(List.copyOf(mutations), mutate(mutations));
        }

        /** The mutations, then the file: its size, its length field, and its bytes from 8 on as text (the header, then data). */
        @Override
        public String toString() {
            String length = bytes.length >= 8
                    ? Long.toString(ByteBuffer.wrap(bytes)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .getLong(0))
                    : "cut";
            String text = bytes.length > 8
                    ? new String(bytes, 8, Math.min(bytes.length - 8, 2000), StandardCharsets.UTF_8)
                    : "";
            return mutations + ", file of " + bytes.length + " bytes, length field " + length + ", from byte 8: "
                    + text;
        }
    }

    /** A dtype name, a number, a decimal, another kind of JSON, or a short list of small numbers. */
    private static JsonNode value(SplittableRandom random) {
        return switch (random.nextInt(5)) {
            case 0 ->
                NODES.textNode(SeededTries.oneOf(
                        random, "F32", "F64", "F16", "BF16", "I64", "I32", "U8", "BOOL", "I8", "", "f32", "F32\n",
                        "../x"));
            case 1 ->
                NODES.numberNode(SeededTries.oneOf(
                        random,
                        0L,
                        1L,
                        -1L,
                        2L,
                        3L,
                        8L,
                        24L,
                        48L,
                        (long) Integer.MAX_VALUE,
                        1L << 32,
                        1L << 40,
                        Long.MAX_VALUE,
                        Long.MIN_VALUE));
            case 2 ->
                NODES.numberNode(new java.math.BigDecimal(
                        SeededTries.oneOf(random, "1.5", "1e400", "-0.0", "18446744073709551617")));
            case 3 ->
                SeededTries.oneOf(
                        random, NODES.nullNode(), NODES.booleanNode(true), NODES.objectNode(), NODES.arrayNode());
            default -> {
                ArrayNode a = NODES.arrayNode();
                int n = random.nextInt(6);
                for (int i = 0; i < n; i++) {
                    a.add(random.nextLong(-4, 65));
                }
                yield a;
            }
        };
    }

    /** A small length, offset or size three times in four, an extreme one otherwise. */
    private static long number(SplittableRandom random) {
        return SeededTries.chance(random, 3, 4)
                ? random.nextLong(-16, 4097)
                : SeededTries.oneOf(
                        random, Long.MAX_VALUE, Long.MIN_VALUE, -1L, 1L << 31, 1L << 32, 100L << 20, (100L << 20) + 1);
    }

    @Test
    void anyMutatedHeaderIsReadToFitTheFileOrRefusedInOneLine() {
        SeededTries.run("SafeTensorsMutationPropertyTest", 1000, Mutated::draw, SafeTensorsMutationPropertyTest::check);
    }

    /** The per-try check: read to fit the file or refused in one line within 10 s, nothing written. */
    private static String check(Mutated mutated) throws IOException {
        Path file = dir.resolve("t.safetensors");
        Files.write(file, mutated.bytes());
        String outcome = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> readOrRefuse(file));
        assertNothingWritten();
        return outcome;
    }

    private static void assertNothingWritten() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    Set.of("t.safetensors"),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()),
                    "nothing is written beside the file read");
        }
    }

    private static String readOrRefuse(Path file) throws IOException {
        long size = Files.size(file);
        try (NDManager m = manager.newSubManager()) {
            SafeTensors.Contents c = SafeTensors.read(file, m);
            long bytes = 0;
            for (Map.Entry<String, NDArray> e : c.tensors().entrySet()) {
                bytes += e.getValue().size()
                        * Math.min(e.getValue().getDataType().getNumOfBytes(), 8);
                kindCheck(file, e.getKey(), e.getValue());
            }
            assertFits(bytes, size);
            return "read";
        } catch (SafeTensorsException e) {
            assertOneLine(e.getMessage(), file);
            return "refused";
        }
    }

    /** Tensors read from a file hold no more than it does (twice, for a dtype widened on reading). */
    private static void assertFits(long tensorBytes, long fileSize) {
        assertTrue(tensorBytes <= 2 * fileSize, "tensors of " + tensorBytes + " bytes from a file of " + fileSize);
    }

    /** The exit-2 line: one line, naming the file first. */
    private static void assertOneLine(String m, Path file) {
        assertFalse(m == null || m.contains("\n") || m.contains("\r"), m);
        assertTrue(m.startsWith(file.toString()), m);
    }

    /** The checks can fail: a two-line or unnamed error, tensors beyond the file, a stray file, are each reported. */
    @Test
    void theChecksReportWhatTheyForbid() throws Exception {
        Path file = dir.resolve("t.safetensors");
        assertThrows(AssertionFailedError.class, () -> assertOneLine(file + ": tensor 'a\nb' is bad", file));
        assertThrows(AssertionFailedError.class, () -> assertOneLine("tensor 'a' is bad", file));
        assertOneLine(file + ": tensor 'a\\nb' is bad", file);
        assertThrows(AssertionFailedError.class, () -> assertFits(2 * 100 + 1, 100));
        assertFits(200, 100);

        Files.write(file, new byte[8]);
        Path stray = dir.resolve("t.safetensors.tmp");
        Files.write(stray, new byte[1]);
        SeededTries.assertSeesStray(stray, SafeTensorsMutationPropertyTest::assertNothingWritten);
    }

    /**
     * A deliberately broken check, run the way the property runs: it takes every file for one whose
     * tensors outgrow it, so the first try fails, and the failure names the seed, the try and the
     * header written.
     */
    @Test
    void aFailingTryIsReportedWithItsSeedTryAndInput() {
        String message = SeededTries.assertBrokenCheckIsReported(
                "SafeTensorsMutationPropertyTest (broken check)",
                7L,
                Mutated::draw,
                m -> {
                    assertFits(Long.MAX_VALUE, m.bytes().length);
                    return check(m);
                },
                "[");
        assertTrue(message.contains(", from byte 8: {"), message);
    }

    /** A tensor is accepted for a parameter only of its own kind of dtype. */
    private static void kindCheck(Path file, String name, NDArray value) {
        for (DataType target : List.of(DataType.FLOAT32, DataType.INT64, DataType.BOOLEAN)) {
            boolean same = value.getDataType().isFloating() == target.isFloating()
                    && (value.getDataType() == DataType.BOOLEAN) == (target == DataType.BOOLEAN);
            try {
                SafeTensors.requireSameKind(file.toString(), name, value, target);
                assertTrue(same, name + " " + value.getDataType() + " accepted for " + target);
            } catch (SafeTensorsException e) {
                assertFalse(same, e.getMessage());
            }
        }
    }

    private static byte[] mutate(List<Mutation> mutations) throws IOException {
        ObjectNode h = header.deepCopy();
        List<String> names = new ArrayList<>();
        h.fieldNames().forEachRemaining(n -> {
            if (!n.equals("__metadata__")) {
                names.add(n);
            }
        });
        Long length = null;
        int truncate = -1;
        int append = 0;
        boolean duplicate = false;
        for (Mutation m : mutations) {
            String name = names.get(m.pick() % names.size());
            ObjectNode info = h.get(name) instanceof ObjectNode o ? o : null;
            switch (m.target()) {
                case DTYPE -> put(info, "dtype", m.value());
                case SHAPE -> put(info, "shape", m.value());
                case OFFSETS -> put(info, "data_offsets", m.value());
                case SHAPE_ENTRY -> setEntry(info, "shape", m.pick(), m.number());
                case OFFSET_ENTRY -> setEntry(info, "data_offsets", m.pick(), m.number());
                case ENTRY -> h.set(name, m.value());
                case NAME -> {
                    JsonNode moved = h.remove(name);
                    h.set(
                            List.of("../../x", "a/b", "a\nb", "", "__metadata__", "mask")
                                    .get(m.pick() % 6),
                            moved);
                }
                case METADATA ->
                    h.set(
                            "__metadata__",
                            m.value().isObject() ? NODES.objectNode().set("epoch", m.value()) : m.value());
                case REMOVE -> h.remove(name);
                case DUPLICATE -> duplicate = true;
                case LENGTH -> length = m.number();
                case TRUNCATE -> truncate = (int) Math.floorMod(m.number(), 200);
                case APPEND -> append = (int) Math.floorMod(m.number(), 64);
            }
        }
        String text = JSON.writeValueAsString(h);
        if (duplicate && text.length() > 2) {
            // The first entry written twice: {"a":…,"a":…,…}.
            int end = text.indexOf("},") + 1;
            if (end > 0) {
                text = "{" + text.substring(1, end) + "," + text.substring(1);
            }
        }
        byte[] headerBytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + headerBytes.length + data.length + append)
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(length != null ? length : headerBytes.length)
                .put(headerBytes)
                .put(data);
        byte[] bytes = buf.array();
        return truncate >= 0 && truncate < bytes.length ? Arrays.copyOf(bytes, truncate) : bytes;
    }

    private static void put(ObjectNode info, String field, JsonNode value) {
        if (info != null) {
            info.set(field, value);
        }
    }

    private static void setEntry(ObjectNode info, String field, int pick, long number) {
        if (info != null && info.get(field) instanceof ArrayNode a && !a.isEmpty()) {
            a.set(pick % a.size(), NODES.numberNode(number));
        }
    }
}
