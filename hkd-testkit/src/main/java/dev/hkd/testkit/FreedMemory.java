package dev.hkd.testkit;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a garbage collection's effect on native memory visible: what a loss's Java-number constant
 * left to autograd is freed, then overwritten, so a backward pass that still reads it computes
 * something else ({@link DistillerHarness#assertGcSafe} compares the gradients).
 *
 * <pre>{@code
 * NDArray loss = myLoss(student, teacher);
 * FreedMemory.collectAndOverwrite();
 * collector.backward(loss);            // must give the gradient it gives without the line above
 * }</pre>
 */
public final class FreedMemory {

    private FreedMemory() {}

    /** Frees every unreachable direct buffer, then fills freshly allocated ones with a large value. */
    public static void collectAndOverwrite() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(30); // the Cleaner thread frees buffers after the collection
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ByteBuffer> junk = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(8 + (i % 4) * 4);
            while (b.remaining() >= 4) {
                b.putFloat(1.0e6f);
            }
            junk.add(b);
        }
        junk.clear();
    }
}
