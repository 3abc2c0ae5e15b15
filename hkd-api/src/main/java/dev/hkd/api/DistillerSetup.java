package dev.hkd.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * What the framework tells a distiller once, before training, so that it can build its modules
 * and state with the right sizes.
 *
 * <pre>{@code
 * long studentDim = setup.studentFeatures().get(setup.studentFeatures().size() - 1).get(0);
 * memory = MemoryBank.uniform(setup.manager(), setup.datasetSize(), 128, setup.dataType());
 * head.initialize(setup.manager(), setup.dataType(), new Shape(1, studentDim));
 * }</pre>
 *
 * @param manager owns the distiller's modules and state for the whole run (the framework closes it)
 * @param studentFeatures per-sample shapes of the student's features, shallow to deep
 *     (batch axis excluded; the last one is the pooled vector {@code [D]})
 * @param teacherFeatures the same for the teacher
 * @param numClasses the number of classes (logits width)
 * @param datasetSize N, the number of training samples (memory bank rows)
 * @param dataType the networks' floating-point type: create every module and state array in it
 *     (float32 for training; the trajectory parity check runs in float64)
 * @param teacherBatchNorms for each of the teacher's stage outputs ({@code features[1:-1]}), the
 *     BatchNorm whose output reaches that stage's final ReLU, as mdistiller's
 *     {@code get_bn_before_relu} picks it (OFD's margins); empty when the teacher does not expose them
 */
public record DistillerSetup(
        NDManager manager,
        List<Shape> studentFeatures,
        List<Shape> teacherFeatures,
        int numClasses,
        int datasetSize,
        DataType dataType,
        List<StageBatchNorm> teacherBatchNorms) {

    /**
     * The affine parameters of a frozen BatchNorm: {@code weight} γ and {@code bias} β, {@code [C]}.
     *
     * @param weight γ
     * @param bias β
     */
    public record StageBatchNorm(NDArray weight, NDArray bias) {}

    public DistillerSetup {
        studentFeatures = List.copyOf(studentFeatures);
        teacherFeatures = List.copyOf(teacherFeatures);
        teacherBatchNorms = List.copyOf(teacherBatchNorms);
    }

    /** A setup whose teacher exposes no BatchNorm parameters. */
    public DistillerSetup(
            NDManager manager,
            List<Shape> studentFeatures,
            List<Shape> teacherFeatures,
            int numClasses,
            int datasetSize,
            DataType dataType) {
        this(manager, studentFeatures, teacherFeatures, numClasses, datasetSize, dataType, List.of());
    }

    /** A float32 setup. */
    public DistillerSetup(
            NDManager manager,
            List<Shape> studentFeatures,
            List<Shape> teacherFeatures,
            int numClasses,
            int datasetSize) {
        this(manager, studentFeatures, teacherFeatures, numClasses, datasetSize, DataType.FLOAT32);
    }

    /** D_s: width of the student's pooled penultimate vector. */
    public long studentEmbeddingWidth() {
        return studentFeatures.get(studentFeatures.size() - 1).get(0);
    }

    /** D_t: width of the teacher's pooled penultimate vector. */
    public long teacherEmbeddingWidth() {
        return teacherFeatures.get(teacherFeatures.size() - 1).get(0);
    }
}
