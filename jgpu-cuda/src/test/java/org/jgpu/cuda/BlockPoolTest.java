package org.jgpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reuse pool's logic on fake driver operations: reuse, stream order, bound, trimming, close. */
class BlockPoolTest {

    /** A fake device: blocks and events are numbered; every operation is logged. */
    static final class Fake implements BlockPool.Ops<String, String, String> {
        final List<String> log = new ArrayList<>();
        final long capacity;
        long used;
        int blocks;
        int events;
        final List<String> liveEvents = new ArrayList<>();
        /** Events whose work is done; the others are still pending. */
        final Set<String> completed = new HashSet<>();

        Fake(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public String allocate(long bytes, String stream) {
            if (used + bytes > capacity) {
                log.add("oom " + bytes);
                throw new IllegalStateException("out of memory");
            }
            used += bytes;
            String b = "b" + (++blocks) + ":" + bytes;
            log.add("alloc " + b + " on " + stream);
            return b;
        }

        @Override
        public boolean isOutOfMemory(RuntimeException e) {
            return e.getMessage().equals("out of memory");
        }

        @Override
        public void free(String block, String stream, String after) {
            used -= Long.parseLong(block.substring(block.indexOf(':') + 1));
            log.add("free " + block + (stream != null ? " on " + stream : "") + (after != null ? " after " + after : ""));
        }

        @Override
        public String newEvent() {
            if ("newEvent".equals(failNext)) {
                failNext = null;
                throw new IllegalStateException("newEvent failed");
            }
            String e = "e" + (++events);
            liveEvents.add(e);
            return e;
        }

        /** Set to make the next newEvent or record throw. */
        String failNext;

        @Override
        public void record(String event, String stream) {
            if ("record".equals(failNext)) {
                failNext = null;
                throw new IllegalStateException("record failed");
            }
            log.add("record " + event + " on " + stream);
        }

        @Override
        public boolean isComplete(String event) {
            log.add("query " + event);
            return completed.contains(event);
        }

        @Override
        public void destroy(String event) {
            liveEvents.remove(event);
        }

        @Override
        public void settle() {
            log.add("settle");
        }
    }

    @Test
    void aBlockFreedOnAnotherStreamIsReusedOnlyOnceItsFreeCompleted() {
        Fake f = new Fake(1 << 20);
        BlockPool<String, String, String> pool = new BlockPool<>(f, 1 << 20);
        String b = pool.allocate(1000, "s1");
        pool.release(b, 1000, "s1");
        assertEquals(1024, pool.cachedBytes());
        // s1 has not reached the free: s2 gets a new block, the busy one stays cached
        String fresh = pool.allocate(1000, "s2");
        assertNotEquals(b, fresh);
        assertEquals(1024, pool.cachedBytes());
        f.completed.add("e1");
        assertSame(b, pool.allocate(1000, "s3"));
        assertEquals(0, pool.cachedBytes());
        assertEquals(List.of("alloc b1:1024 on s1", "record e1 on s1", "query e1", "alloc b2:1024 on s2", "query e1"), f.log);
        assertTrue(f.log.stream().noneMatch(l -> l.contains("wait")), "no stream waits for another's free");
    }

    @Test
    void aBusyBlockIsPassedOverForALaterCompletedOne() {
        Fake f = new Fake(1 << 20);
        BlockPool<String, String, String> pool = new BlockPool<>(f, 1 << 20);
        String a = pool.allocate(2000, "s1");
        String b = pool.allocate(2000, "s2");
        pool.release(a, 2000, "s1");   // e1, done
        pool.release(b, 2000, "s2");   // e2, the latest, still busy
        f.completed.add("e1");
        assertSame(a, pool.allocate(2000, "s3"));
        assertEquals(2048, pool.cachedBytes(), "the busy block stays cached");
    }

    @Test
    void theFreeingStreamReusesWithoutAWait() {
        Fake f = new Fake(1 << 20);
        BlockPool<String, String, String> pool = new BlockPool<>(f, 1 << 20);
        String b = pool.allocate(5000, "s1");
        pool.release(b, 5000, "s1");
        assertSame(b, pool.allocate(5000, "s1"));
        assertTrue(f.log.stream().noneMatch(l -> l.contains("waits")), f.log::toString);
    }

    @Test
    void anAllocationForAnyStreamNeverWaitsOnTheHostForABusyFree() {
        Fake f = new Fake(1 << 20);
        BlockPool<String, String, String> pool = new BlockPool<>(f, 1 << 20);
        String b = pool.allocate(4096, "s1");
        pool.release(b, 4096, "s1");
        String fresh = pool.allocate(4096, null);
        assertNotEquals(b, fresh, "s1 has not reached the free: a new block, no host wait");
        f.completed.add("e1");
        assertSame(b, pool.allocate(4096, null));
        assertTrue(f.log.stream().noneMatch(l -> l.contains("wait")), f.log::toString);
        // a block freed idle (nothing uses it) needs no query at all
        pool.release(b, 4096, null);
        f.log.clear();
        assertSame(b, pool.allocate(4096, "s9"));
        assertEquals(List.of(), f.log);
    }

    @Test
    void otherSizeClassesGetNewBlocks() {
        Fake f = new Fake(1 << 20);
        BlockPool<String, String, String> pool = new BlockPool<>(f, 1 << 20);
        String b = pool.allocate(1000, "s1");
        pool.release(b, 1000, "s1");
        assertNotEquals(b, pool.allocate(2000, "s1"));
        assertEquals(2, f.blocks);
    }

    @Test
    void sizeClassesWasteAtMostAnEighth() {
        for (long n : new long[] {1, 255, 256, 257, 4096, 4097, 8191, 8192, 1_000_000, 123_456_789, 1L << 33}) {
            long c = BlockPool.sizeClass(n);
            assertTrue(c >= n && c - n <= Math.max(255, n / 8), n + " -> " + c);
        }
        assertEquals(BlockPool.sizeClass(1_000_000), BlockPool.sizeClass(1_000_001));
    }

    @Test
    void whatDoesNotFitTheBoundIsFreedInTheStreamsOrder() {
        Fake f = new Fake(1 << 20);
        BlockPool<String, String, String> pool = new BlockPool<>(f, 8192);
        String a = pool.allocate(4096, "s1");
        String b = pool.allocate(4096, "s1");
        String c = pool.allocate(4096, "s1");
        pool.release(a, 4096, "s1");
        pool.release(b, 4096, "s1");
        pool.release(c, 4096, "s2");
        assertEquals(8192, pool.cachedBytes());
        assertEquals("free " + c + " on s2", f.log.get(f.log.size() - 1));
        String huge = pool.allocate(100_000, "s1");
        pool.release(huge, 100_000, null);
        assertEquals("free " + huge, f.log.get(f.log.size() - 1));
        assertEquals(8192, pool.cachedBytes());
    }

    @Test
    void outOfMemoryTrimsTheCacheAfterEachFreeThenRetries() {
        Fake f = new Fake(16384);
        BlockPool<String, String, String> pool = new BlockPool<>(f, 1 << 20);
        String a = pool.allocate(8192, "s1");
        String b = pool.allocate(8192, "s2");
        pool.release(a, 8192, "s1");
        pool.release(b, 8192, "s2");
        String c = pool.allocate(12288, "s3");
        assertEquals(0, pool.cachedBytes());
        List<String> tail = f.log.subList(f.log.indexOf("oom 12288"), f.log.size());
        assertTrue(tail.contains("free " + a + " after e1") && tail.contains("free " + b + " after e2"), tail::toString);
        assertTrue(tail.indexOf("settle") < tail.indexOf("alloc " + c + " on s3"), tail::toString);
        assertEquals(12288, f.used);
    }

    @Test
    void outOfMemoryWithNothingCachedIsThrown() {
        Fake f = new Fake(4096);
        BlockPool<String, String, String> pool = new BlockPool<>(f, 1 << 20);
        RuntimeException e = assertThrows(IllegalStateException.class, () -> pool.allocate(8192, "s1"));
        assertEquals("out of memory", e.getMessage());
        assertEquals(List.of("oom 8192"), f.log);
    }

    @Test
    void closeFreesEveryCachedBlockAndEventAndLaterReleasesFreeAtOnce() {
        Fake f = new Fake(1 << 20);
        BlockPool<String, String, String> pool = new BlockPool<>(f, 1 << 20);
        String a = pool.allocate(1000, "s1");
        String b = pool.allocate(3000, "s1");
        String c = pool.allocate(3000, "s1");
        pool.release(a, 1000, "s1");
        pool.release(b, 3000, null);
        pool.close();
        assertEquals(3072, f.used, "only the block still in use is left");
        assertEquals(List.of(), f.liveEvents, "no event is left");
        pool.release(c, 3000, "s1");
        assertEquals("free " + c + " on s1", f.log.get(f.log.size() - 1));
        assertEquals(0, f.used);
        assertThrows(IllegalStateException.class, () -> pool.allocate(1000, "s1"));
    }

    @Test
    void aFreeEventThatCannotBeMadeOrRecordedLeaksNeitherEventNorBlock() {
        for (String failing : new String[] {"newEvent", "record"}) {
            Fake f = new Fake(1 << 20);
            BlockPool<String, String, String> pool = new BlockPool<>(f, 1 << 20);
            String b = pool.allocate(1000, "s1");
            f.failNext = failing;
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.release(b, 1000, "s1"));
            assertEquals(failing + " failed", e.getMessage());
            assertEquals(0, f.used, failing + ": the block is freed");
            assertEquals("free " + b + " on s1", f.log.get(f.log.size() - 1), failing);
            assertEquals(List.of(), f.liveEvents, failing + ": no event is left");
            assertEquals(0, pool.cachedBytes(), failing + ": nothing cached");
        }
    }
}
