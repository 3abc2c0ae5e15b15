package dev.hkd.baselines.crd;

import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerProvider;
import dev.hkd.api.OptionException;

/** {@code crd}: Contrastive Representation Distillation, β = 0.8 as RepDistiller's script. */
public final class CrdProvider implements DistillerProvider<CrdConfig> {

    @Override
    public String id() {
        return "crd";
    }

    @Override
    public String description() {
        return "CRD: NCE contrast of embeddings against two memory banks (ICLR 2020), exact or relax mode";
    }

    @Override
    public Class<CrdConfig> configType() {
        return CrdConfig.class;
    }

    @Override
    public CrdConfig defaultConfig() {
        return CrdConfig.reference();
    }

    @Override
    public double referenceWeight() {
        return 0.8;
    }

    @Override
    public void validate(CrdConfig c) {
        if (c.featDim() <= 0) {
            throw new OptionException("feat_dim", "must be > 0, got " + c.featDim());
        }
        if (c.nceK() <= 0) {
            throw new OptionException("nce_k", "must be > 0, got " + c.nceK());
        }
        if (!(c.nceT() > 0)) {
            throw new OptionException("nce_t", "must be > 0, got " + c.nceT());
        }
        if (!(c.nceM() >= 0 && c.nceM() < 1)) {
            throw new OptionException("nce_m", "must be in [0, 1), got " + c.nceM());
        }
        if (!c.mode().equals("exact") && !c.mode().equals("relax")) {
            throw new OptionException("mode", "unknown '" + c.mode() + "'; valid: exact, relax");
        }
        c.scoring();
    }

    @Override
    public Distiller create(CrdConfig config) {
        validate(config);
        return new CrdDistiller(config);
    }
}
