package dev.hkd.training.config;

/**
 * Validation inside config records. A failure names the record's own key; the loader puts the
 * path of the record in front of it ({@code training.batch_size}).
 */
final class Check {

    private Check() {}

    /** A refused value of key {@code key}: {@code problem} says what is wrong and what would be valid. */
    static final class Failure extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;
        private final String key;
        private final String problem;

        Failure(String key, String problem) {
            super(key + ": " + problem);
            this.key = key;
            this.problem = problem;
        }

        String key() {
            return key;
        }

        String problem() {
            return problem;
        }
    }

    static void that(boolean condition, String key, String message) {
        if (!condition) {
            throw new Failure(key, message);
        }
    }

    /**
     * The bounded-integer check of every size-like key: {@code value} must lie in
     * {@code [min, max]}; returns it. For example {@code Check.between("image_size", imageSize, 1, 4096)}.
     */
    static int between(String key, int value, int min, int max) {
        that(value >= min && value <= max, key, "must be in [" + min + ", " + max + "], got " + value);
        return value;
    }

    static long between(String key, long value, long min, long max) {
        that(value >= min && value <= max, key, "must be in [" + min + ", " + max + "], got " + value);
        return value;
    }
}
