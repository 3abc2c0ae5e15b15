package dev.hkd.graph;

import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.Distiller;

/** {@code hkd}: Holistic Knowledge Distillation (ICCV 2021), β = 3 as the reference script. */
public final class HkdProvider extends AbstractDistillerProvider<HkdConfig> {

    public HkdProvider() {
        super(
                "hkd",
                "HKD: kNN instance graphs + TAGConv encoders + contrast against memory banks (ICCV 2021)",
                HkdConfig.reference(),
                3.0);
    }

    @Override
    public void validate(HkdConfig config) {
        config.validate();
    }

    @Override
    public Distiller create(HkdConfig config) {
        return new HolisticDistiller(config);
    }
}
