package dev.hkd.baselines.reviewkd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.LossTerms;
import dev.hkd.api.ModelNeeds;
import dev.hkd.api.Scalars;
import dev.hkd.losses.HclLoss;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ReviewKD (docs/methods.md#reviewkd): the student's stage features after the stem (post-ReLU, the pooled
 * vector kept as a 1×1 map) are reviewed from deep to shallow by ABF modules and matched with
 * the teacher's pre-activation features by HCL. Channels and sizes come from the two networks'
 * feature shapes; the L deepest levels of each pair up, L = the smaller number of non-stem levels.
 * Term: {@code hcl}, already multiplied by the warm-up factor.
 */
public final class ReviewKdDistiller implements Distiller {

    private final ReviewKdProvider.Config config;
    private final List<AttentionFusion> fusions = new ArrayList<>();
    private int levels;

    ReviewKdDistiller(ReviewKdProvider.Config config) {
        this.config = config;
    }

    @Override
    public ModelNeeds modelNeeds() {
        return new ModelNeeds(
                false,
                true,
                config.teacherBatchnorm().equals("train")
                        ? ModelNeeds.TeacherBatchNorm.TRAIN
                        : ModelNeeds.TeacherBatchNorm.EVAL,
                true);
    }

    @Override
    public void prepare(DistillerSetup setup) {
        List<Shape> student = setup.studentFeatures();
        List<Shape> teacher = setup.teacherFeatures();
        levels = Math.min(student.size(), teacher.size()) - 1;
        List<Shape> s = student.subList(student.size() - levels, student.size());
        List<Shape> t = teacher.subList(teacher.size() - levels, teacher.size());
        long mid = Math.min(config.maxMidChannels(), s.get(levels - 1).get(0));
        for (int level = 0; level < levels; level++) {
            boolean deepest = level == levels - 1;
            AttentionFusion abf = new AttentionFusion(
                    s.get(level).get(0),
                    mid,
                    t.get(level).get(0),
                    !deepest,
                    spatial(s.get(level)),
                    spatial(t.get(level)));
            abf.initialize(
                    setup.manager(),
                    setup.dataType(),
                    new Shape(1, s.get(level).get(0), spatial(s.get(level)), spatial(s.get(level))));
            fusions.add(abf);
        }
    }

    private static int spatial(Shape perSample) {
        return perSample.dimension() == 1 ? 1 : (int) perSample.get(1);
    }

    private static NDArray asMap(NDArray feature) {
        return feature.getShape().dimension() == 2
                ? feature.reshape(feature.getShape().get(0), feature.getShape().get(1), 1, 1)
                : feature;
    }

    @Override
    public Map<String, Block> trainableModules() {
        Map<String, Block> modules = new LinkedHashMap<>();
        for (int i = 0; i < fusions.size(); i++) {
            modules.put("abf" + (i + 1), fusions.get(i));
        }
        return modules;
    }

    @Override
    public LossTerms loss(DistillationStep step) {
        List<NDArray> studentFeatures = step.student().features();
        List<NDArray> teacherFeatures = step.teacher().preActivationFeatures().isEmpty()
                ? step.teacher().features()
                : step.teacher().preActivationFeatures();
        int sOffset = studentFeatures.size() - levels;
        int tOffset = teacherFeatures.size() - levels;
        NDArray[] reviewed = new NDArray[levels];
        NDArray residual = null;
        for (int level = levels - 1; level >= 0; level--) {
            NDList in = residual == null
                    ? new NDList(asMap(studentFeatures.get(sOffset + level)))
                    : new NDList(asMap(studentFeatures.get(sOffset + level)), residual);
            NDList out = fusions.get(level).forward(step.parameters(), in, step.training());
            reviewed[level] = out.get(0);
            residual = out.get(1);
        }
        List<NDArray> targets = new ArrayList<>();
        for (int level = 0; level < levels; level++) {
            targets.add(asMap(teacherFeatures.get(tOffset + level)));
        }
        double warmUp =
                config.warmupEpochs() == 0 ? 1 : Math.min(1.0, step.batch().epoch() / (double) config.warmupEpochs());
        return LossTerms.of("hcl", Scalars.mul(HclLoss.compute(List.of(reviewed), targets), warmUp));
    }
}
