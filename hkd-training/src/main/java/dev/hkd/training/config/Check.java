package dev.hkd.training.config;

/** Validation inside config records; messages start with the offending key. */
final class Check {

    private Check() {
    }

    static void that(boolean condition, String key, String message) {
        if (!condition) {
            throw new IllegalArgumentException(key + ": " + message);
        }
    }
}
