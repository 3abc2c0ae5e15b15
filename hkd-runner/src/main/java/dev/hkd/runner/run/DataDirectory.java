package dev.hkd.runner.run;

import dev.hkd.training.config.ConfigException;
import dev.hkd.training.config.DataConfig;
import java.nio.file.Path;

/**
 * {@code --data-dir} against a configuration's {@code data}: the option may only say where the
 * files of a dataset are that the configuration leaves open. It is refused where it would be
 * ignored (the embedded set reads no folder) or where it contradicts {@code data.dir} (the run would
 * train on one folder while its {@code config.yaml} names another).
 */
public final class DataDirectory {

    private DataDirectory() {}

    /** Throws a one-line {@link ConfigException} when {@code option} (may be null) would be ignored or contradict {@code data}. */
    public static void requireConsistent(DataConfig data, Path option) {
        if (option == null) {
            return;
        }
        if ("fashion-mnist-subset".equals(data.dataset())) {
            throw new ConfigException(
                    "--data-dir " + option + ": data.dataset fashion-mnist-subset is embedded and reads no folder;"
                            + " drop --data-dir, or set data.dataset to one that reads files (fashion-mnist, cifar10, cifar100, image-folder)");
        }
        if (data.dir() != null && !same(Path.of(data.dir()), option)) {
            throw new ConfigException(
                    "--data-dir " + option + " contradicts data.dir " + data.dir() + " of the configuration;"
                            + " give the folder once (drop --data-dir, or --set data.dir=" + option + ")");
        }
    }

    private static boolean same(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
