package dev.hkd.training.data;

/** Missing or malformed data; the message is one line naming the file and what was expected. */
public class DataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(dev.hkd.training.config.ConfigException.oneLine(message));
    }
}
