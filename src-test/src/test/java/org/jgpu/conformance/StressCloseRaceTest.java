package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.jgpu.Buffer;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DefaultStreamMode;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.HazardMode;
import org.jgpu.HostAllocOption;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Close is a clean cut, with eight threads using the object while it closes: once close() of a
 * context, stream or buffer returns, nothing accepted before it is still pending and nothing is
 * accepted after it; every racing call either completes fully or throws an
 * IllegalStateException naming the object; nothing leaks.
 *
 * <p>Racing threads use the objects from several streams at once without ordering them, on
 * purpose, so these contexts run with hazard checks off.
 */
@Tag(Stress.TAG)
@Timeout(value = 2, unit = TimeUnit.HOURS)   // a backstop only: each test bounds itself (Stress.bounded)
class StressCloseRaceTest {
    private static final int THREADS = 8;
    private static final int N = 1024;   // floats in the buffers the racing threads read
    private static final float VALUE = 7f;
    /** Calls of defaultStream() per thread on a closed per-thread context: each one may start a thread. */
    private static final int CALLS_ON_A_CLOSED_CONTEXT = 5;

    private static Context open(String backend) {
        return Context.create(Backend.options(backend).hazardMode(HazardMode.OFF).build());
    }

    /** A synchronous copy into an array that returns has the data, whatever closed meanwhile. */
    private static void readAndCheck(StressRace race, String what, Stream s, DeviceBuffer from) {
        float[] got = new float[N];
        Arrays.fill(got, -1f);
        if (race.attempt(what, () -> s.copy(from, got))) {
            for (int i = 0; i < N; i++) {
                if (got[i] != VALUE) {
                    race.problem(what + " returned without its data: element " + i + " is " + got[i]);
                    return;
                }
            }
        }
    }

    private static void launchProbe(StressRace race, String what, Stream s, Kernel probe, Buffer x, int counter) {
        if (race.attempt(what, () -> s.launch(probe, LaunchConfig.forElements(1), x, counter))) {
            race.probeAccepted();
        }
    }

    private static void check(String backend, String round, StressRace race, long runsAtClose) {
        List<String> problems = race.problems();
        assertEquals(List.of(), problems, round);
        if (StressProbe.counts(backend)) {
            assertEquals(race.probes(), runsAtClose, round + ": of the " + race.probes() + " probe launches accepted, "
                    + runsAtClose + " had run when close() returned (the rest were still pending, or accepted after it)");
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void closingAStreamThatEightThreadsUseIsACleanCut(String backend) {
        int rounds = Stress.scaled(100);
        Stress.bounded("stream close races (" + backend + ")", Stress.limit(40, 15), () -> {
            ExecutorService pool = StressRace.pool(THREADS);
            long accepted = 0;
            long refused = 0;
            try (Context ctx = open(backend)) {
                Kernel probe = StressProbe.load(ctx);
                DeviceBuffer src = ctx.allocDevice(4L * N, "src");
                ctx.defaultStream().fill(src, VALUE);
                Stream other = ctx.createStream(StreamOptions.builder().name("other").build());
                HostBuffer[] host = new HostBuffer[THREADS];
                DeviceBuffer[] scratch = new DeviceBuffer[THREADS];
                for (int t = 0; t < THREADS; t++) {
                    host[t] = ctx.allocHost(4L * N, "host" + t);
                    scratch[t] = ctx.allocDevice(4L * N, "scratch" + t);
                }
                Event elsewhere = other.record();
                ctx.synchronize();
                Random random = new Random(21);
                for (int round = 0; round < rounds; round++) {
                    Stress.checkpoint();
                    Stream s = ctx.createStream(StreamOptions.builder().name("raced" + round).build());
                    StressRace race = new StressRace("'raced" + round + "'");
                    int counter = StressProbe.newCounter();
                    long runs = race.run(pool, THREADS, random, (t, r) -> {
                        switch (r.nextInt(10)) {
                            case 0: launchProbe(race, "launch", s, probe, src, counter); break;
                            case 1: race.attempt("copy H2D", () -> s.copy(host[t], scratch[t])); break;
                            case 2: race.attempt("copy D2D", () -> s.copy(src, scratch[t])); break;
                            case 3: readAndCheck(race, "copy into float[]", s, src); break;
                            case 4: race.attempt("record", s::record); break;
                            case 5: race.attempt("waitFor", () -> s.waitFor(elsewhere)); break;
                            case 6: race.attempt("query", s::query); break;
                            case 7: race.attempt("synchronize", s::synchronize); break;
                            case 8: race.attempt("callback", () -> race.future(s.callback(() -> { }))); break;
                            default: race.attempt("onComplete", () -> race.future(s.onComplete())); break;
                        }
                    }, s::close, () -> StressProbe.runs(counter));
                    check(backend, "round " + round, race, runs);
                    accepted += race.accepted();
                    refused += race.refused();
                }
                ctx.synchronize();
            } finally {
                pool.shutdownNow();
            }
            Stress.report("stream close races %s: %d rounds, %d calls accepted and completed, %d refused naming the "
                    + "stream", backend, rounds, accepted, refused);
        });
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void closingABufferThatEightThreadsUseIsACleanCut(String backend) {
        int rounds = Stress.scaled(100);
        Stress.bounded("buffer close races (" + backend + ")", Stress.limit(40, 15), () -> {
            ExecutorService pool = StressRace.pool(THREADS);
            long accepted = 0;
            long refused = 0;
            try (Context ctx = open(backend)) {
                Kernel probe = StressProbe.load(ctx);
                Stream[] streams = new Stream[THREADS];
                DeviceBuffer[] dev = new DeviceBuffer[THREADS];
                HostBuffer[] host = new HostBuffer[THREADS];
                float[] values = new float[N];
                Arrays.fill(values, VALUE);
                for (int t = 0; t < THREADS; t++) {
                    streams[t] = ctx.createStream();
                    dev[t] = ctx.allocDevice(4L * N, "dev" + t);
                    host[t] = ctx.allocHost(4L * N, "host" + t);
                    // what is copied into the raced buffer is what a read of it must find
                    host[t].write(0, values);
                    streams[t].fill(dev[t], VALUE);
                }
                Random random = new Random(22);
                for (int round = 0; round < rounds; round++) {
                    Stress.checkpoint();
                    // a device buffer, or mapped host memory (which kernels can use too), in turn
                    boolean onDevice = round % 2 == 0;
                    String name = "raced" + round;
                    Buffer b = onDevice ? ctx.allocDevice(4L * N, name)
                            : ctx.allocHost(4L * N, EnumSet.of(HostAllocOption.MAPPED));
                    String named = onDevice ? "'" + name + "'" : "'" + b.name() + "'";
                    if (onDevice) {
                        ctx.defaultStream().fill((DeviceBuffer) b, VALUE);
                    }
                    ctx.synchronize();
                    StressRace race = new StressRace(named);
                    int counter = StressProbe.newCounter();
                    long runs = race.run(pool, THREADS, random, (t, r) -> {
                        Stream s = streams[t];
                        switch (r.nextInt(6)) {
                            case 0:
                            case 1: launchProbe(race, "launch using " + named, s, probe, b, counter); break;
                            case 2: race.attempt("copy to " + named, () -> s.copy(onDevice ? host[t] : dev[t], b)); break;
                            case 3: race.attempt("copy from " + named, () -> s.copy(b, onDevice ? host[t] : dev[t])); break;
                            case 4:
                                if (onDevice) {
                                    readAndCheck(race, "copy " + named + " into float[]", s, (DeviceBuffer) b);
                                } else {
                                    race.attempt("write " + named, () -> ((HostBuffer) b).write(0, values));
                                }
                                break;
                            default: race.attempt("slice of " + named, () -> s.copy(onDevice
                                    ? ((DeviceBuffer) b).slice(0, 64) : ((HostBuffer) b).slice(0, 64), dev[t].slice(64, 64)));
                                break;
                        }
                    }, b::close, () -> StressProbe.runs(counter));
                    check(backend, "round " + round + " (" + named + ")", race, runs);
                    accepted += race.accepted();
                    refused += race.refused();
                    ctx.synchronize();
                }
            } finally {
                pool.shutdownNow();
            }
            Stress.report("buffer close races %s: %d rounds, %d calls accepted and completed, %d refused naming the "
                    + "buffer", backend, rounds, accepted, refused);
        });
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void closingAContextThatEightThreadsUseIsACleanCutAndLeaksNothing(String backend) {
        int rounds = Stress.scaled(50);
        Stress.bounded("context close races (" + backend + ")", Stress.limit(40, 15), () -> {
            int baseline = Stress.warmUp(backend);
            ExecutorService pool = StressRace.pool(THREADS);
            List<String> names = new ArrayList<>();
            long accepted = 0;
            long refused = 0;
            try (Stress.LeakWarnings leaks = new Stress.LeakWarnings()) {
                Random random = new Random(23);
                for (int round = 0; round < rounds; round++) {
                    Stress.checkpoint();
                    Context ctx = open(backend);
                    names.add(ctx.name());
                    Kernel probe = StressProbe.load(ctx);
                    DeviceBuffer src = ctx.allocDevice(4L * N, "src");
                    Stream[] streams = new Stream[THREADS];
                    for (int t = 0; t < THREADS; t++) {
                        streams[t] = ctx.createStream();
                    }
                    ctx.defaultStream().fill(src, VALUE);
                    ctx.synchronize();
                    StressRace race = new StressRace(ctx.name());
                    int counter = StressProbe.newCounter();
                    long runs = race.run(pool, THREADS, random, (t, r) -> {
                        Stream s = streams[t];
                        switch (r.nextInt(9)) {
                            case 0:
                            case 1: launchProbe(race, "launch", s, probe, src, counter); break;
                            case 2: readAndCheck(race, "copy into float[]", s, src); break;
                            case 3: race.attempt("createStream and use it", () -> {
                                // closed by the context if the context closes first, else here
                                try (Stream mine = ctx.createStream()) {
                                    mine.fill(src.slice(0, 64), VALUE);
                                }
                            });
                                break;
                            case 4: race.attempt("allocDevice", () -> ctx.allocDevice(256).close()); break;
                            case 5: race.attempt("callback", () -> race.future(s.callback(() -> { }))); break;
                            case 6: race.attempt("context onComplete", () -> race.future(ctx.onComplete())); break;
                            case 7: race.attempt("context synchronize", ctx::synchronize); break;
                            default: race.attempt("record and wait", () -> streams[(t + 1) % THREADS].waitFor(s.record())); break;
                        }
                    }, ctx::close, () -> StressProbe.runs(counter));
                    check(backend, "round " + round + " (" + ctx.name() + ")", race, runs);
                    accepted += race.accepted();
                    refused += race.refused();
                }
                pool.shutdownNow();
                pool.awaitTermination(10, TimeUnit.SECONDS);
                leaks.settle();
                List<String> warnings = new ArrayList<>();
                for (String n : names) {
                    warnings.addAll(leaks.about(n));
                }
                assertEquals(List.of(), warnings.stream().limit(5).toList(), warnings.size() + " leak warnings for objects "
                        + "created while their context closed (the first 5 shown)");
            } finally {
                pool.shutdownNow();
            }
            int after = Stress.assertThreadsAtMost(baseline + 2, "threads after " + rounds + " contexts closed under "
                    + "racing threads (baseline " + baseline + ")");
            Stress.report("context close races %s: %d rounds, %d calls accepted and completed, %d refused naming the "
                    + "context; live threads %d before, %d after", backend, rounds, accepted, refused, baseline, after);
        });
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aClosedPerThreadContextStartsNoThreadForItsDefaultStream(String backend) {
        Stress.bounded("per-thread default streams of a closed context (" + backend + ")", Stress.limit(30, 5), () -> {
            ContextOptions perThread = Backend.options(backend).defaultStream(DefaultStreamMode.PER_THREAD).build();
            int warm = Stress.warmUp(backend);
            // racing: eight threads use their default streams while the context closes
            Random random = new Random(24);
            ExecutorService pool = StressRace.pool(THREADS);
            int rounds = Stress.scaled(10);
            try {
                for (int round = 0; round < rounds; round++) {
                    Stress.checkpoint();
                    Context ctx = Context.create(perThread);
                    DeviceBuffer[] dev = new DeviceBuffer[THREADS];
                    for (int t = 0; t < THREADS; t++) {
                        dev[t] = ctx.allocDevice(256);
                    }
                    // a few calls after the close: each one may leak a thread until this is fixed
                    StressRace race = new StressRace(ctx.name(), 3);
                    race.run(pool, THREADS, random, (t, r) -> race.attempt("defaultStream().fill",
                            () -> ctx.defaultStream().fill(dev[t], t)), ctx::close, null);
                    assertEquals(List.of(), race.problems(), "round " + round);
                }
            } finally {
                pool.shutdownNow();
                pool.awaitTermination(10, TimeUnit.SECONDS);
            }
            int baseline = Stress.assertThreadsAtMost(warm + 1, rounds + " per-thread contexts closed while " + THREADS
                    + " threads used their default streams (before: " + warm + " threads)");
            // after the close: every call is refused and starts nothing
            Context ctx = Context.create(perThread);
            ctx.defaultStream().query();
            ctx.close();
            List<Thread> callers = new ArrayList<>();
            List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Thread caller = new Thread(() -> {
                    for (int i = 0; i < CALLS_ON_A_CLOSED_CONTEXT; i++) {
                        try {
                            ctx.defaultStream();
                            problems.add("defaultStream() of a closed context returned");
                        } catch (IllegalStateException e) {
                            if (!e.getMessage().contains(ctx.name())) {
                                problems.add("the refusal does not name " + ctx.name() + ": " + e);
                            }
                        }
                    }
                }, "stress-caller-" + t);
                caller.start();
                callers.add(caller);
            }
            for (Thread c : callers) {
                c.join(30_000);
            }
            assertEquals(List.of(), problems.stream().distinct().toList());
            int after = Stress.assertThreadsAtMost(baseline + 1, THREADS + " threads called defaultStream() " + CALLS_ON_A_CLOSED_CONTEXT
                    + " times each on a closed per-thread context (before: " + baseline + " threads)");
            Stress.report("per-thread default streams %s: %d contexts closed under racing threads, then %d calls on a "
                    + "closed one; live threads %d before, %d after", backend, rounds, THREADS * CALLS_ON_A_CLOSED_CONTEXT, baseline, after);
        });
    }
}
