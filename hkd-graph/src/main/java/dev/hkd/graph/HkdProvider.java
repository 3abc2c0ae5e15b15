package dev.hkd.graph;

import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerProvider;

/** {@code hkd}: Holistic Knowledge Distillation (ICCV 2021), β = 3 as the reference script. */
public final class HkdProvider implements DistillerProvider<HkdConfig> {

    @Override
    public String id() {
        return "hkd";
    }

    @Override
    public String description() {
        return "HKD: kNN instance graphs + TAGConv encoders + contrast against memory banks (ICCV 2021)";
    }

    @Override
    public Class<HkdConfig> configType() {
        return HkdConfig.class;
    }

    @Override
    public HkdConfig defaultConfig() {
        return HkdConfig.reference();
    }

    @Override
    public double referenceWeight() {
        return 3.0;
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
