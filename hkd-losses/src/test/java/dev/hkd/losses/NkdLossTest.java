package dev.hkd.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** NKD's non-target part renormalises over the other classes: the target column is removed, not masked. */
class NkdLossTest {

    @Test
    void eachRowKeepsItsOtherColumnsInOrder() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray columns = NkdLoss.nonTargetColumns(m.create(new long[] {0, 2, 3}), 4);
            assertArrayEquals(new long[] {1, 2, 3, 0, 1, 3, 0, 1, 2}, columns.toLongArray());
        }
    }

    @Test
    void theNonTargetPartIsZeroWhenStudentAndTeacherAgreeOnTheOtherClassesUpToAShift() {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            // Same non-target logits up to a constant, very different targets: q_s = q_t, so the part is
            // T² times the teacher's non-target entropy, whatever the target logits are.
            NDArray labels = m.create(new long[] {1});
            NDArray s = m.create(new float[] {0.5f, 9f, -1f, 2f}).reshape(1, 4);
            NDArray t = m.create(new float[] {3.5f, -4f, 2f, 5f}).reshape(1, 4);
            NkdLoss.Terms a = NkdLoss.compute(s, t, labels, 2.0);
            NDArray q = m.create(new float[] {3.5f, 2f, 5f}).div(2f).softmax(0);
            double entropy = -q.mul(q.log()).sum().getFloat();
            assertEquals(4 * entropy, a.nonTarget().getFloat(), 1e-5);
        }
    }
}
