package org.jgpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The device's pinned staging chunks on fake driver operations: reuse across copies, the bound, close. */
class StagingPoolTest {

    /** A fake pinner: a chunk is its size; every pin and unpin is counted. */
    static final class Fake implements StagingPool.Ops<int[]> {
        final List<int[]> live = new ArrayList<>();
        int pins;

        @Override
        public int[] allocate(int bytes) {
            pins++;
            int[] c = {bytes};
            live.add(c);
            return c;
        }

        @Override
        public int capacity(int[] chunk) {
            return chunk[0];
        }

        @Override
        public void free(int[] chunk) {
            live.remove(chunk);
        }
    }

    @Test
    void repeatedHeapCopiesPinOnceAndNothingIsUnpinnedUntilClose() {
        Fake f = new Fake();
        StagingPool<int[]> pool = new StagingPool<>(f);
        int[] first = pool.take(1000);
        assertEquals(64 << 10, first[0]);
        pool.give(first);
        for (int i = 0; i < 100; i++) {
            int[] c = pool.take(5000);
            assertSame(first, c);
            pool.give(c);
        }
        assertEquals(1, f.pins);
        assertEquals(1, f.live.size(), "kept between copies, not unpinned after each");
        int[] big = pool.take(100L << 20);
        assertEquals(StagingPool.CHUNK, big[0], "at most one chunk's size");
        pool.give(big);
        assertSame(big, pool.take(StagingPool.CHUNK));
        pool.give(big);
        pool.close();
        assertEquals(List.of(), f.live);
        assertThrows(IllegalStateException.class, () -> pool.take(1));
    }

    @Test
    void atMostAFewChunksAreKeptTheLargestFirst() {
        Fake f = new Fake();
        StagingPool<int[]> pool = new StagingPool<>(f);
        int[] a = pool.take(1);
        int[] b = pool.take(1);
        int[] c = pool.take(StagingPool.CHUNK);
        assertNotSame(a, b);
        pool.give(a);
        pool.give(b);
        pool.give(c);   // displaces a small one
        assertEquals(StagingPool.KEPT, f.live.size());
        assertSame(c, pool.take(StagingPool.CHUNK));
        int[] late = pool.take(1);
        pool.close();
        pool.give(late);   // after close: unpinned at once
        pool.give(c);
        assertEquals(List.of(), f.live);
    }
}
