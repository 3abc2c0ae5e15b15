package dev.hkd.baselines.vid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.LossTerms;
import dev.hkd.api.Positive;
import dev.hkd.losses.AdaptiveAveragePool;
import dev.hkd.losses.VidLoss;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vid}: variational information distillation on the intermediate stage features, one
 * regressor per pair with the teacher's channels as its middle width, β = 1 (RepDistiller).
 */
public final class VidProvider extends AbstractDistillerProvider<VidProvider.Config> {

    /**
     * @param initPredVar the initial variance (5.0)
     * @param eps added to the variance (1e-5)
     */
    public record Config(double initPredVar, @Positive double eps) {}

    public VidProvider() {
        super(
                "vid",
                "VID: variational information distillation of intermediate stage maps (CVPR 2019)",
                new Config(5.0, 1e-5),
                1.0);
    }

    @Override
    public void validate(Config c) {
        require(c.initPredVar() > c.eps(), "init_pred_var", "must exceed eps, got " + c.initPredVar());
    }

    @Override
    public Distiller create(Config c) {
        return new Distiller() {
            private final List<VariationalRegressor> regressors = new ArrayList<>();

            @Override
            public void prepare(DistillerSetup setup) {
                List<Shape> s = setup.studentFeatures();
                List<Shape> t = setup.teacherFeatures();
                for (int i = 1; i < Math.min(s.size(), t.size()) - 1; i++) {
                    long tc = t.get(i).get(0);
                    VariationalRegressor r =
                            new VariationalRegressor(s.get(i).get(0), tc, tc, c.initPredVar(), c.eps());
                    r.initialize(setup.manager(), setup.dataType(), new Shape(1).addAll(s.get(i)));
                    regressors.add(r);
                }
            }

            @Override
            public Map<String, Block> trainableModules() {
                Map<String, Block> m = new LinkedHashMap<>();
                for (int i = 0; i < regressors.size(); i++) {
                    m.put("vid" + (i + 1), regressors.get(i));
                }
                return m;
            }

            @Override
            public LossTerms loss(DistillationStep step) {
                NDArray total = null;
                for (int i = 0; i < regressors.size(); i++) {
                    NDArray term = VidProvider.loss(
                            regressors.get(i),
                            step.student().features().get(i + 1),
                            step.teacher().features().get(i + 1),
                            step,
                            c.eps());
                    total = total == null ? term : total.add(term);
                }
                return LossTerms.of("vid", total);
            }
        };
    }

    /** One pair: the larger map pooled to the smaller, then the Gaussian NLL. */
    public static NDArray loss(
            VariationalRegressor regressor, NDArray student, NDArray teacher, DistillationStep step, double eps) {
        NDArray[] pair = AdaptiveAveragePool.matchSizes(student, teacher.stopGradient());
        NDArray mean = regressor
                .forward(step.parameters(), new NDList(pair[0]), step.training())
                .head();
        return VidLoss.compute(mean, pair[1], regressor.logScale(), eps);
    }
}
