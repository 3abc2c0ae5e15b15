package dev.hkd.training.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The one way every number, flag and string of a configuration is read: a value is taken only
 * when it is exactly of the type asked for. Nothing is truncated ({@code 2.5} is not an integer),
 * wrapped ({@code 4294967297} is not an {@code int}), rounded to infinity ({@code 1e400} is not a
 * double) or coerced ({@code "3"}, {@code true} and {@code [3]} are not numbers; {@code 3} is not
 * a string). Bound into Jackson as a module ({@link #module()}) for records, and callable on a
 * tree node ({@link #integer}) where a caller reads the tree itself (a grid's {@code trials}).
 *
 * <pre>{@code
 * int trials = (int) StrictScalars.integer(node.get("trials"), 1, 1000);   // Refusal on anything else
 * }</pre>
 */
public final class StrictScalars {

    private StrictScalars() {}

    /** A value refused by the strict reader; its message says what is wrong and what would be valid. */
    public static final class Refusal extends InvalidFormatException {

        private static final long serialVersionUID = 1L;

        Refusal(JsonParser p, String message, Object value, Class<?> target) {
            super(p, message, value, target);
        }
    }

    /** A problem found in a tree node, without a parser: the caller names the file and key. */
    public static final class NodeRefusal extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        NodeRefusal(String message) {
            super(message);
        }
    }

    /** Deserializers for int, long, double, float, boolean and String, boxed and primitive. */
    public static SimpleModule module() {
        SimpleModule m = new SimpleModule("hkd-strict-scalars");
        add(m, Integer.class, new IntegerReader(false, Integer.MIN_VALUE, Integer.MAX_VALUE, "an integer"));
        add(m, int.class, new IntegerReader(true, Integer.MIN_VALUE, Integer.MAX_VALUE, "an integer"));
        add(m, Long.class, new IntegerReader(false, Long.MIN_VALUE, Long.MAX_VALUE, "an integer"));
        add(m, long.class, new IntegerReader(true, Long.MIN_VALUE, Long.MAX_VALUE, "an integer"));
        add(m, Double.class, new DecimalReader(false, Double.MAX_VALUE));
        add(m, double.class, new DecimalReader(true, Double.MAX_VALUE));
        add(m, Float.class, new DecimalReader(false, Float.MAX_VALUE));
        add(m, float.class, new DecimalReader(true, Float.MAX_VALUE));
        add(m, Boolean.class, new BooleanReader(false));
        add(m, boolean.class, new BooleanReader(true));
        add(m, String.class, new StringReader());
        return m;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void add(SimpleModule m, Class<?> type, JsonDeserializer<?> reader) {
        m.addDeserializer((Class) type, (JsonDeserializer) reader);
    }

    /**
     * An integer in {@code [min, max]} from a tree node; anything else (a fraction, a string, a
     * flag, a list, null, out of range) is a {@link NodeRefusal} saying what would be valid.
     */
    public static long integer(JsonNode node, long min, long max) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new NodeRefusal("expected an integer in [" + min + ", " + max + "], got nothing");
        }
        if (!node.isIntegralNumber()) {
            throw new NodeRefusal("expected an integer in [" + min + ", " + max + "], got " + describe(node));
        }
        BigInteger v = node.bigIntegerValue();
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new NodeRefusal("must be in [" + min + ", " + max + "], got " + v);
        }
        return v.longValueExact();
    }

    private static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "the string '" + shorten(node.asText()) + "'";
        }
        if (node.isBoolean()) {
            return node.asText() + " (a flag)";
        }
        if (node.isNumber()) {
            return node.asText() + " (not a whole number)";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        return node.toString();
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** What the current token is, for a refusal: {@code the string 'abc'}, {@code a list}, {@code 2.5 (…)}. */
    private static String got(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case VALUE_STRING -> "the string '" + shorten(p.getText()) + "'";
            case VALUE_TRUE, VALUE_FALSE -> p.getText() + " (a flag)";
            case VALUE_NUMBER_INT -> p.getText();
            case VALUE_NUMBER_FLOAT -> p.getText() + " (not a whole number)";
            case START_ARRAY -> "a list";
            case START_OBJECT, FIELD_NAME -> "a mapping";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }

    private static Object refuse(JsonParser p, String message, Class<?> target) throws IOException {
        JsonToken t = p.currentToken();
        Object value = t != null && t.isScalarValue() ? p.getText() : null;
        if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
            p.skipChildren();
        }
        throw new Refusal(p, message, value, target);
    }

    private abstract static class Reader<T> extends JsonDeserializer<T> {

        final boolean primitive;
        /** What a valid value is, the start of a refusal: "expected …". */
        final String expected;

        Reader(boolean primitive, String expected) {
            this.primitive = primitive;
            this.expected = expected;
        }

        @Override
        public T getNullValue(DeserializationContext ctxt) throws com.fasterxml.jackson.databind.JsonMappingException {
            if (primitive) {
                throw new Refusal(ctxt.getParser(), expected + ", got null", null, Object.class);
            }
            return null;
        }
    }

    /** Whole numbers within the target's range (or tighter). */
    private static final class IntegerReader extends Reader<Number> {

        private final long min;
        private final long max;

        IntegerReader(boolean primitive, long min, long max, String what) {
            super(primitive, "expected " + what + " in [" + min + ", " + max + "]");
            this.min = min;
            this.max = max;
        }

        @Override
        public Number deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                return (Number) refuse(p, expected + ", got " + got(p), Long.class);
            }
            BigInteger v = p.getBigIntegerValue();
            if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
                return (Number) refuse(p, "must be in [" + min + ", " + max + "], got " + v, Long.class);
            }
            return max <= Integer.MAX_VALUE ? (Number) v.intValueExact() : (Number) v.longValueExact();
        }
    }

    /** Finite numbers that a double (or float) holds without overflowing to infinity. */
    private static final class DecimalReader extends Reader<Number> {

        private final double max;

        DecimalReader(boolean primitive, double max) {
            super(primitive, "expected a number");
            this.max = max;
        }

        @Override
        public Number deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                return (Number) refuse(p, expected + ", got " + got(p), Double.class);
            }
            BigDecimal exact = p.getDecimalValue();
            double v = exact.doubleValue();
            if (exact.signum() != 0 && (v == 0 || (max < Double.MAX_VALUE && (float) v == 0))) {
                return (Number) refuse(
                        p, p.getText() + " is closer to zero than a number can be (it would read as 0)", Double.class);
            }
            if (Double.isInfinite(v) || Math.abs(v) > max) {
                return (Number) refuse(
                        p,
                        p.getText() + " is beyond the largest number (about "
                                + (max == Double.MAX_VALUE ? "1.8e308" : "3.4e38") + ")",
                        Double.class);
            }
            return max == Double.MAX_VALUE ? (Number) v : (Number) (float) v;
        }
    }

    private static final class BooleanReader extends Reader<Boolean> {

        BooleanReader(boolean primitive) {
            super(primitive, "expected true or false");
        }

        @Override
        public Boolean deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                return t == JsonToken.VALUE_TRUE;
            }
            return (Boolean) refuse(p, expected + ", got " + got(p), Boolean.class);
        }
    }

    private static final class StringReader extends Reader<String> {

        StringReader() {
            super(false, "expected a string");
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            return (String) refuse(p, expected + " (quote it), got " + got(p), String.class);
        }
    }
}
