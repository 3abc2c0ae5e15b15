package dev.hkd.api;

/**
 * What a distiller needs from the student and teacher forward passes.
 *
 * <pre>{@code
 * ModelNeeds.FEATURES                                            // CRD, HKD, RKD, … (the default)
 * ModelNeeds.LOGITS                                              // KD, DKD, DIST: any teacher that gives logits
 * new ModelNeeds(false, true, TeacherBatchNorm.TRAIN, true)      // ReviewKD on CIFAR: teacher
 *                                                               // pre-activations, BN on batch stats
 * ModelNeeds.NONE                                                // Tf-KD: no teacher at all
 * }</pre>
 *
 * @param studentPreActivation whether the student must also return pre-activation features
 * @param teacherPreActivation whether the teacher must also return pre-activation features
 * @param teacherBatchNorm whether the frozen teacher's BatchNorm uses running or batch statistics
 * @param teacherFeatures whether the distiller reads the teacher's features; a teacher that gives
 *     only logits (a SavedModel exported without them) can serve only distillers that do not
 * @param teacher whether the distiller reads the teacher at all; when no method of a run does, no
 *     teacher is trained, loaded or run, and {@link DistillationStep#teacher()} is null
 */
public record ModelNeeds(
        boolean studentPreActivation,
        boolean teacherPreActivation,
        TeacherBatchNorm teacherBatchNorm,
        boolean teacherFeatures,
        boolean teacher) {

    /** Both networks' features and logits, the teacher on running statistics: what most distillers read. */
    public static final ModelNeeds FEATURES = new ModelNeeds(false, false, TeacherBatchNorm.EVAL, true);
    /** The logits alone: any teacher that gives logits can serve. */
    public static final ModelNeeds LOGITS = new ModelNeeds(false, false, TeacherBatchNorm.EVAL, false);
    /** No teacher: the method teaches from the labels alone (Tf-KD's virtual teacher). */
    public static final ModelNeeds NONE = new ModelNeeds(false, false, TeacherBatchNorm.EVAL, false, false);

    public ModelNeeds {
        if (!teacher && (teacherFeatures || teacherPreActivation)) {
            throw new IllegalArgumentException("a distiller without a teacher cannot read the teacher's features");
        }
    }

    /** Needs that read the teacher. */
    public ModelNeeds(
            boolean studentPreActivation,
            boolean teacherPreActivation,
            TeacherBatchNorm teacherBatchNorm,
            boolean teacherFeatures) {
        this(studentPreActivation, teacherPreActivation, teacherBatchNorm, teacherFeatures, true);
    }

    /** BatchNorm mode of the frozen teacher. The teacher never trains either way. */
    public enum TeacherBatchNorm {
        /** Running statistics (RepDistiller and HKD). */
        EVAL,
        /** Batch statistics, as ReviewKD's CIFAR code leaves the teacher in training mode. */
        TRAIN
    }

    public ModelNeeds merge(ModelNeeds other) {
        return new ModelNeeds(
                studentPreActivation || other.studentPreActivation,
                teacherPreActivation || other.teacherPreActivation,
                teacherBatchNorm == TeacherBatchNorm.TRAIN || other.teacherBatchNorm == TeacherBatchNorm.TRAIN
                        ? TeacherBatchNorm.TRAIN
                        : TeacherBatchNorm.EVAL,
                teacherFeatures || other.teacherFeatures,
                teacher || other.teacher);
    }
}
