package dev.hkd.baselines.ofd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.hkd.api.AbstractDistillerProvider;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.LossTerms;
import dev.hkd.api.ModelNeeds;
import dev.hkd.baselines.StageFeatures;
import dev.hkd.baselines.StageModules;
import dev.hkd.losses.OfdLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ofd}: "A Comprehensive Overhaul of Feature Distillation" as mdistiller computes it, β = 0.001
 * (mdistiller's {@code OFD.LOSS.FEAT_WEIGHT} for CIFAR). Connected student pre-ReLU stage maps are
 * compared with the teacher's through the partial L2 loss and per-channel margins from the
 * teacher's BatchNorm before each stage's ReLU ({@link DistillerSetup#teacherBatchNorms()}). The
 * teacher runs on batch statistics, as mdistiller's {@code OFD.train()} puts the teacher in training
 * mode too. Stage lists are aligned from their end.
 */
public final class OfdProvider extends AbstractDistillerProvider<OfdProvider.Config> {

    /** @param kernelSize the connector conv's kernel ({@code OFD.CONNECTOR.KERNEL_SIZE}, 1) */
    public record Config(int kernelSize) {}

    public OfdProvider() {
        super(
                "ofd",
                "OFD: overhaul of feature distillation, margin-based partial L2 on pre-ReLU maps (ICCV 2019)",
                new Config(1),
                0.001);
    }

    @Override
    public void validate(Config c) {
        require(
                c.kernelSize() >= 1 && c.kernelSize() % 2 == 1,
                "kernel_size",
                "must be an odd number >= 1, got " + c.kernelSize());
    }

    @Override
    public Distiller create(Config c) {
        return new Distiller() {
            private StageModules connectors;
            private final List<NDArray> margins = new ArrayList<>();
            private int stages;

            @Override
            public ModelNeeds modelNeeds() {
                return new ModelNeeds(true, true, ModelNeeds.TeacherBatchNorm.TRAIN, true);
            }

            @Override
            public void prepare(DistillerSetup setup) {
                List<Shape> s = StageFeatures.intermediate(setup.studentFeatures());
                List<Shape> t = StageFeatures.intermediate(setup.teacherFeatures());
                stages = Math.min(s.size(), t.size());
                s = s.subList(s.size() - stages, s.size());
                t = t.subList(t.size() - stages, t.size());
                List<DistillerSetup.StageBatchNorm> norms = setup.teacherBatchNorms();
                if (norms.size() != setup.teacherFeatures().size() - 2) {
                    throw new IllegalArgumentException(
                            "method 'ofd' needs the teacher's BatchNorm before each stage's ReLU for its margins,"
                                    + " and this teacher does not expose them (" + norms.size() + " for "
                                    + (setup.teacherFeatures().size() - 2)
                                    + " stages); the CIFAR ResNets and WRNs and the Fashion-MNIST models do");
                }
                norms = norms.subList(norms.size() - stages, norms.size());
                List<Block> modules = new ArrayList<>();
                for (int i = 0; i < stages; i++) {
                    modules.add(OfdConnector.of(t.get(i).get(0), c.kernelSize()));
                    margins.add(setup.manager()
                            .create(OfdLoss.margins(
                                    values(norms.get(i).weight()),
                                    values(norms.get(i).bias())))
                            .toType(setup.dataType(), false));
                }
                connectors = new StageModules(modules);
                connectors.initialize(setup.manager(), setup.dataType(), s);
            }

            @Override
            public Map<String, Block> trainableModules() {
                return Map.of("connectors", connectors);
            }

            @Override
            public LossTerms loss(DistillationStep step) {
                List<NDArray> s = aligned(step.student().preActivationFeatures());
                List<NDArray> t = aligned(step.teacher().preActivationFeatures());
                List<NDArray> perStage =
                        OfdLoss.perStage(connectors.apply(step.parameters(), s, step.training()), t, margins);
                NDArray total = perStage.get(0);
                for (int i = 1; i < perStage.size(); i++) {
                    total = total.add(perStage.get(i));
                }
                return LossTerms.of("ofd", total);
            }

            private List<NDArray> aligned(List<NDArray> features) {
                List<NDArray> maps = StageFeatures.intermediate(features);
                return maps.subList(maps.size() - stages, maps.size());
            }
        };
    }

    private static double[] values(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }
}
