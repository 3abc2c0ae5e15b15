package dev.hkd.runner.grid;

import dev.hkd.runner.run.DataDirectory;
import dev.hkd.runner.run.RunOptions;
import dev.hkd.training.config.DataConfig;
import dev.hkd.training.data.RunData;
import java.util.HashMap;
import java.util.Map;

/**
 * The fingerprint of the training data each data configuration names, loaded once per
 * configuration: a finished cell is skipped only when its folder trained on the data this run
 * would use ({@code --data-dir} included), so a grid re-run on other data never reports old results as its own.
 */
final class DataFingerprints {

    private final Map<DataConfig, String> known = new HashMap<>();

    String of(DataConfig data, RunOptions options) {
        return known.computeIfAbsent(data, d -> {
            DataDirectory.requireConsistent(d, options.dataDir());
            return RunData.load(d, options.dataDir(), options.environment())
                    .train()
                    .fingerprint();
        });
    }
}
