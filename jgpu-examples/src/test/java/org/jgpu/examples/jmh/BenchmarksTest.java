package org.jgpu.examples.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jgpu.HazardMode;
import org.jgpu.Stream;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Every benchmark runs in every hazard mode without a hazard (CHECK throws none) and measures
 * what it says: AUTO inserts no waits (it makes the backend calls OFF makes), each API call
 * makes the backend calls its floor makes, and threads launch side by side.
 */
class BenchmarksTest {
    private static final int REPEATS = 3;

    /** @return each zero-argument benchmark of {@code type}, by name */
    private static List<Method> benchmarks(Class<?> type) {
        List<Method> out = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (m.isAnnotationPresent(Benchmark.class) && m.getParameterCount() == 0) {
                out.add(m);
            }
        }
        out.sort(Comparator.comparing(Method::getName));
        return out;
    }

    private static void call(Method m, Object target, Object... args) {
        try {
            m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw new AssertionError(m.getName() + " failed", e.getCause());
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    private static long calls(Stream... streams) {
        return Arrays.stream(streams).mapToLong(NullContexts::calls).sum();
    }

    /** @return backend calls per call of each benchmark of {@link OpsBench} in {@code mode} */
    private static Map<String, Long> opsCalls(HazardMode mode) {
        Map<String, Long> perCall = new TreeMap<>();
        for (Method m : benchmarks(OpsBench.class)) {
            OpsBench b = new OpsBench();
            b.mode = mode;
            b.setUp();
            try {
                call(m, b);     // the first call may set things up
                long before = calls(b.s, b.a, b.b, b.c);
                for (int i = 0; i < REPEATS; i++) {
                    call(m, b);
                }
                perCall.put(m.getName(), (calls(b.s, b.a, b.b, b.c) - before) / REPEATS);
            } finally {
                b.tearDown();
            }
        }
        return perCall;
    }

    @Test
    void opsMakeTheFloorsBackendCallsInEveryMode() {
        Map<String, Long> floor = new TreeMap<>();
        for (Method m : benchmarks(FloorBench.class)) {
            FloorBench b = new FloorBench();
            b.setUp();
            NullStream[] streams = {(NullStream) b.s, (NullStream) b.a, (NullStream) b.b, (NullStream) b.c};
            long before = Arrays.stream(streams).mapToLong(NullStream::calls).sum();
            call(m, b);
            floor.put(m.getName(), Arrays.stream(streams).mapToLong(NullStream::calls).sum() - before);
            b.tearDown();
        }
        // launchBoxed and launchArgs make launch's backend call
        floor.put("launchBoxed", floor.get("launch"));
        floor.put("launchArgs", floor.get("launch"));
        assertEquals(8L, floor.get("pipeline"));
        for (HazardMode mode : HazardMode.values()) {
            assertEquals(floor, opsCalls(mode), mode + ": an API call no longer makes its floor's backend calls"
                    + " (update FloorBench), or the benchmark races (AUTO inserted waits)");
        }
    }

    /** @return backend calls per measured call, by mode, of a history's benchmark */
    private static <H extends HazardGrowthBench.History> Map<HazardMode, Long> growthCalls(
            Supplier<H> make, String benchmark, Function<H, Stream> measured) {
        Map<HazardMode, Long> out = new EnumMap<>(HazardMode.class);
        Method m = Arrays.stream(HazardGrowthBench.class.getMethods()).filter(x -> x.getName().equals(benchmark))
                .findFirst().orElseThrow();
        HazardGrowthBench bench = new HazardGrowthBench();
        for (HazardMode mode : HazardMode.values()) {
            H h = make.get();
            h.mode = mode;
            h.setUp();
            try {
                long before = NullContexts.calls(measured.apply(h));
                for (int i = 0; i < REPEATS; i++) {
                    call(m, bench, h);
                }
                out.put(mode, (NullContexts.calls(measured.apply(h)) - before) / REPEATS);
            } finally {
                h.tearDown();
            }
        }
        return out;
    }

    private static void assertSameInEveryMode(long expected, Map<HazardMode, Long> calls) {
        for (HazardMode mode : HazardMode.values()) {
            assertEquals(expected, calls.get(mode), () -> mode + ": " + calls);
        }
    }

    @Test
    void hazardHistoriesAreRaceFreeInEveryMode() {
        assertSameInEveryMode(1, growthCalls(() -> {
            HazardGrowthBench.Slices h = new HazardGrowthBench.Slices();
            h.slices = 64;
            return h;
        }, "copyAfterSlices", h -> h.copier));
        assertSameInEveryMode(1, growthCalls(() -> {
            HazardGrowthBench.Readers h = new HazardGrowthBench.Readers();
            h.readers = 8;
            return h;
        }, "launchAfterReaders", h -> h.launcher));
        for (String op : List.of("recordAfterChurn", "queryAfterChurn")) {
            assertSameInEveryMode(1, growthCalls(() -> {
                HazardGrowthBench.Churn h = new HazardGrowthBench.Churn();
                h.closed = 50;
                return h;
            }, op, h -> h.live));
        }
    }

    private static final int LAUNCHES = 1000;

    /** @return backend calls made by {@link #LAUNCHES} launches */
    private static long launchMany(ScalingBench.Launcher l) {
        long before = l.calls();
        for (int i = 0; i < LAUNCHES; i++) {
            l.launch();
        }
        return l.calls() - before;
    }

    /** @return what {@code task} returned on each of two threads running at once */
    private static List<Long> onTwoThreads(Callable<Long> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Long>> running = List.of(pool.submit(task), pool.submit(task));
            List<Long> out = new ArrayList<>();
            for (Future<Long> f : running) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void twoThreadsLaunchSideBySideInOneContextAndInTheirOwn() throws Exception {
        ScalingBench.Config config = new ScalingBench.Config();
        config.mode = HazardMode.CHECK;
        config.launchNanos = 1000;
        ScalingBench.SharedContext shared = new ScalingBench.SharedContext();
        shared.open(config);
        try {
            assertEquals(List.of((long) LAUNCHES, (long) LAUNCHES), onTwoThreads(() -> {
                ScalingBench.InSharedContext t = new ScalingBench.InSharedContext();
                t.open(shared);
                return launchMany(t.launcher);
            }));
        } finally {
            shared.close();
        }
        assertEquals(List.of((long) LAUNCHES, (long) LAUNCHES), onTwoThreads(() -> {
            ScalingBench.OwnContext t = new ScalingBench.OwnContext();
            t.open(config);
            try {
                return launchMany(t.launcher);
            } finally {
                t.close();
            }
        }));
    }
}
