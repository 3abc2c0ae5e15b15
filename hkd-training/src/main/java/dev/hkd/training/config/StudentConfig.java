package dev.hkd.training.config;

/** The network being trained. */
public record StudentConfig(String model) {

    public StudentConfig {
        Check.that(model != null && !model.isBlank(), "model", "is required");
    }
}
