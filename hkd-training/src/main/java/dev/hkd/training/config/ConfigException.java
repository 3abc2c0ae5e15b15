package dev.hkd.training.config;

/** A configuration error, described in one line that names the file, line and key. */
public class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
