package dev.hkd.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class BatchBuffersTest {

    @Test
    void aBufferGivenBackIsTheOneTheNextBatchGets() {
        BatchBuffers buffers = new BatchBuffers(2);
        ByteBuffer first = buffers.take(12);
        assertEquals(48, first.limit(), "exactly 12 float32 values");
        assertEquals(ByteOrder.nativeOrder(), first.order(), "the engine reads it as native floats");
        buffers.give(first);
        assertSame(first, buffers.take(12), "no batch-sized allocation once the first batches are made");
    }

    @Test
    void aSmallerBatchUsesALargerBufferUpToItsOwnSize() {
        BatchBuffers buffers = new BatchBuffers(2);
        ByteBuffer full = buffers.take(12);
        buffers.give(full);
        ByteBuffer last = buffers.take(5);
        assertSame(full, last, "an epoch's short last batch fits in a full one's buffer");
        assertEquals(20, last.limit());
        assertEquals(0, last.position());
    }

    @Test
    void atMostIdleBuffersAreKept() {
        BatchBuffers buffers = new BatchBuffers(1);
        ByteBuffer a = buffers.take(4);
        ByteBuffer b = buffers.take(4);
        buffers.give(a);
        buffers.give(b);
        assertSame(a, buffers.take(4));
        assertNotSame(b, buffers.take(4), "the second was left to the collector");
    }
}
