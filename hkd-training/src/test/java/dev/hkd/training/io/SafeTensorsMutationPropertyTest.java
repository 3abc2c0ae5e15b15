package dev.hkd.training.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Any mutation of a valid safetensors file's header (dtypes, shapes, offsets, names, metadata,
 * the length field, duplicate names) or of its size is either read into tensors that fit the file,
 * or refused in one {@link SafeTensorsException} line naming the file: never another exception,
 * never an allocation beyond the file, never a write.
 *
 * <p>jqwik prints the property's {@code seed = …} after the run; replay it with
 * {@code @Property(tries = 1000, seed = "<seed>")} on the property and
 * {@code ./mvnw -B -o -pl hkd-training test -Dtest=SafeTensorsMutationPropertyTest}. A failing
 * seed is also kept in {@code target/jqwik-database} and tried first on the next run.
 */
class SafeTensorsMutationPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static Path dir;
    private static byte[] data;
    private static ObjectNode header;
    private static NDManager manager;

    @BeforeContainer
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

    @AfterContainer
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
    enum Target { DTYPE, SHAPE, SHAPE_ENTRY, OFFSETS, OFFSET_ENTRY, ENTRY, NAME, METADATA, REMOVE, DUPLICATE, LENGTH, TRUNCATE, APPEND }

    record Mutation(Target target, int pick, JsonNode value, long number) {
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<JsonNode> value = Arbitraries.oneOf(
                Arbitraries.of("F32", "F64", "F16", "BF16", "I64", "I32", "U8", "BOOL", "I8", "", "f32", "F32\n", "../x")
                        .map(s -> (JsonNode) NODES.textNode(s)),
                Arbitraries.of(0L, 1L, -1L, 2L, 3L, 8L, 24L, 48L, (long) Integer.MAX_VALUE, 1L << 32, 1L << 40, Long.MAX_VALUE,
                        Long.MIN_VALUE).map(n -> (JsonNode) NODES.numberNode(n)),
                Arbitraries.of("1.5", "1e400", "-0.0", "18446744073709551617").map(s -> (JsonNode) NODES.numberNode(new java.math.BigDecimal(s))),
                Arbitraries.of(NODES.nullNode(), NODES.booleanNode(true), NODES.objectNode(), NODES.arrayNode()),
                Arbitraries.longs().between(-4, 64).list().ofMaxSize(5).map(l -> {
                    ArrayNode a = NODES.arrayNode();
                    l.forEach(a::add);
                    return (JsonNode) a;
                }));
        Arbitrary<Long> number = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(-16, 4096)),
                Tuple.of(1, Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, -1L, 1L << 31, 1L << 32, 100L << 20, (100L << 20) + 1)));
        return Combinators.combine(Arbitraries.of(Target.class), Arbitraries.integers().between(0, 1000), value, number)
                .as(Mutation::new).list().ofMinSize(1).ofMaxSize(3);
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void anyMutatedHeaderIsReadToFitTheFileOrRefusedInOneLine(@ForAll("mutations") List<Mutation> mutations) throws Exception {
        Path file = dir.resolve("t.safetensors");
        Files.write(file, mutate(mutations));
        Statistics.label("outcome").collect(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> readOrRefuse(file)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(Set.of("t.safetensors"), files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }

    private static String readOrRefuse(Path file) throws IOException {
        long size = Files.size(file);
        try (NDManager m = manager.newSubManager()) {
            SafeTensors.Contents c = SafeTensors.read(file, m);
            long bytes = 0;
            for (Map.Entry<String, NDArray> e : c.tensors().entrySet()) {
                bytes += e.getValue().size() * Math.min(e.getValue().getDataType().getNumOfBytes(), 8);
                kindCheck(file, e.getKey(), e.getValue());
            }
            assertTrue(bytes <= 2 * size, "tensors of " + bytes + " bytes from a file of " + size);
            return "read";
        } catch (SafeTensorsException e) {
            String m = e.getMessage();
            assertFalse(m.contains("\n") || m.contains("\r"), m);
            assertTrue(m.startsWith(file.toString()), m);
            return "refused";
        }
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
                    h.set(List.of("../../x", "a/b", "a\nb", "", "__metadata__", "mask").get(m.pick() % 6), moved);
                }
                case METADATA -> h.set("__metadata__", m.value().isObject() ? NODES.objectNode().set("epoch", m.value()) : m.value());
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
        ByteBuffer buf = ByteBuffer.allocate(8 + headerBytes.length + data.length + append).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(length != null ? length : headerBytes.length).put(headerBytes).put(data);
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
