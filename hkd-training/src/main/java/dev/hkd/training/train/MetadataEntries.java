package dev.hkd.training.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hkd.training.io.SafeTensorsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A checkpoint's metadata entries read strictly: every reader names the file and the entry in
 * one line when a value is missing, malformed, negative or not finite.
 */
final class MetadataEntries {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> meta;
    private final String source;

    MetadataEntries(Map<String, String> meta, String source) {
        this.meta = meta;
        this.source = source;
    }

    /** An integer in {@code [0, max]}; {@code absent}, if not null, stands in for a missing entry. */
    long count(String key, String absent, long max) {
        String text = meta.getOrDefault(key, absent);
        try {
            long v = Long.parseLong(text == null ? "" : text.trim());
            if (v < 0 || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw refused(key, text, "an integer in [0, " + max + "]");
        }
    }

    /** A finite number {@code >= 0}; {@code absent}, if not null, stands in for a missing entry. */
    double amount(String key, String absent) {
        String text = meta.getOrDefault(key, absent);
        try {
            double v = Double.parseDouble(text == null ? "" : text.trim());
            if (!Double.isFinite(v) || v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw refused(key, text, "a finite number >= 0");
        }
    }

    /** A JSON object of numbers, in its written order. */
    Map<String, Double> lossSums(String key) {
        return json(key, new TypeReference<LinkedHashMap<String, Double>>() {});
    }

    /** An epoch's metrics line, or null when the entry is absent. */
    EpochRecord epochRecordOrNull(String key) {
        return meta.containsKey(key) ? json(key, new TypeReference<EpochRecord>() {}) : null;
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T json(String key, TypeReference<T> type) {
        String text = meta.get(key);
        try {
            if (text == null) {
                throw new IOException("missing");
            }
            T value = JSON.readValue(text, type);
            if (value == null) {
                throw new IOException("null");
            }
            return value;
        } catch (IOException | IllegalArgumentException e) {
            throw new SafeTensorsException(source + ": checkpoint metadata '" + key + "' is not valid ("
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
        }
    }

    private SafeTensorsException refused(String key, String text, String expected) {
        return new SafeTensorsException(source + ": checkpoint metadata '" + key + "' is "
                + (text == null ? "missing" : "'" + text + "'") + "; expected " + expected);
    }
}
