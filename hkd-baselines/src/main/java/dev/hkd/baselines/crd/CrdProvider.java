package dev.hkd.baselines.crd;

import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.Distiller;

/** {@code crd}: Contrastive Representation Distillation, β = 0.8 as RepDistiller's script. */
public final class CrdProvider extends AbstractDistillerProvider<CrdConfig> {

    public CrdProvider() {
        super(
                "crd",
                "CRD: NCE contrast of embeddings against two memory banks (ICLR 2020), exact or relax mode",
                CrdConfig.reference(),
                0.8);
    }

    @Override
    public void validate(CrdConfig c) {
        require(c.nceM() >= 0 && c.nceM() < 1, "nce_m", "must be in [0, 1), got " + c.nceM());
        require(
                c.mode().equals("exact") || c.mode().equals("relax"),
                "mode",
                "unknown '" + c.mode() + "'; valid: exact, relax");
        c.scoring();
    }

    @Override
    public Distiller create(CrdConfig config) {
        validate(config);
        return new CrdDistiller(config);
    }
}
