package dev.hkd.training.io;

/** A missing, malformed or mismatched safetensors file, described in one line. */
public class SafeTensorsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SafeTensorsException(String message) {
        super(dev.hkd.training.config.ConfigException.oneLine(message));
    }
}
