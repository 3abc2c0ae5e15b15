package dev.hkd.api;

/**
 * What a distiller needs from the student and teacher forward passes.
 *
 * <pre>{@code
 * ModelNeeds.LOGITS_ONLY                                         // KD
 * new ModelNeeds(false, true, TeacherBatchNorm.TRAIN)            // ReviewKD on CIFAR: teacher
 *                                                               // pre-activations, BN on batch stats
 * }</pre>
 *
 * @param studentPreActivation whether the student must also return pre-activation features
 * @param teacherPreActivation whether the teacher must also return pre-activation features
 * @param teacherBatchNorm whether the frozen teacher's BatchNorm uses running or batch statistics
 */
public record ModelNeeds(boolean studentPreActivation, boolean teacherPreActivation, TeacherBatchNorm teacherBatchNorm) {

    public static final ModelNeeds LOGITS_ONLY = new ModelNeeds(false, false, TeacherBatchNorm.EVAL);

    /** BatchNorm mode of the frozen teacher. The teacher never trains either way. */
    public enum TeacherBatchNorm {
        /** Running statistics (RepDistiller and HKD). */
        EVAL,
        /** Batch statistics, as ReviewKD's CIFAR code leaves the teacher in training mode. */
        TRAIN
    }

    public ModelNeeds merge(ModelNeeds other) {
        return new ModelNeeds(studentPreActivation || other.studentPreActivation,
                teacherPreActivation || other.teacherPreActivation,
                teacherBatchNorm == TeacherBatchNorm.TRAIN || other.teacherBatchNorm == TeacherBatchNorm.TRAIN
                        ? TeacherBatchNorm.TRAIN : TeacherBatchNorm.EVAL);
    }
}
