package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jgpu.HazardMode;
import org.jgpu.conformance.Fixture.Target;
import org.jgpu.conformance.Ops.Op;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The operation list of {@link Ops}, on every backend: in order, after each object it uses is
 * closed, after the context is closed, and from several threads at once.
 */
class OperationsConformanceTest {

    private static Stream<DynamicNode> perBackend(java.util.function.Function<String, Stream<DynamicNode>> tests) {
        return Backend.ALL.stream().map(b -> DynamicContainer.dynamicContainer(b, tests.apply(b)));
    }

    @TestFactory
    Stream<DynamicNode> everyOperationWorksInOrder() {
        return perBackend(b -> Stream.of(DynamicTest.dynamicTest("all " + Ops.ALL.size() + " operations", () -> {
            try (Fixture f = new Fixture(Backend.open(b, HazardMode.AUTO))) {
                for (Op op : Ops.ALL) {
                    assertDoesNotThrow(() -> op.run().accept(f), op.name());
                }
                f.ctx.synchronize();
            }
        })));
    }

    @TestFactory
    Stream<DynamicNode> everyOperationFailsNamingTheClosedObjectItUses() {
        return perBackend(b -> Ops.ALL.stream().flatMap(op -> op.uses().stream()
                .map(target -> DynamicTest.dynamicTest(op.name() + " after closing " + target, () -> {
                    try (Fixture f = new Fixture(Backend.open(b, HazardMode.AUTO))) {
                        String name = f.nameOf(target);
                        f.close(target);
                        IllegalStateException e = assertThrows(IllegalStateException.class, () -> unwrap(op, f));
                        assertTrue(e.getMessage().contains(name),
                                "message should name " + name + ": " + e.getMessage());
                        assertTrue(e.getMessage().contains("closed"), e.getMessage());
                        if (target != Target.CONTEXT) {
                            f.ctx.synchronize();   // everything else still works
                            f.ctx.allocDevice(16).close();
                        }
                    }
                }))));
    }

    private static void unwrap(Op op, Fixture f) {
        try {
            op.run().accept(f);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e;
        }
    }

    @TestFactory
    Stream<DynamicNode> everyOperationWorksFromSeveralThreadsAtOnce() {
        return perBackend(b -> Stream.of(DynamicTest.dynamicTest("4 threads, every operation 5 times", () -> {
            int threads = 4;
            List<Op> ops = Ops.ALL;
            try (Fixture f = new Fixture(Backend.open(b, HazardMode.AUTO))) {
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                try {
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<?>> futures = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        int offset = t * 7;
                        futures.add(pool.submit(() -> {
                            go.await();
                            for (int rep = 0; rep < 5; rep++) {
                                for (int i = 0; i < ops.size(); i++) {
                                    Op op = ops.get((i + offset) % ops.size());
                                    try {
                                        op.run().accept(f);
                                    } catch (RuntimeException e) {
                                        throw new AssertionError(op.name() + " failed from a second thread", e);
                                    }
                                }
                            }
                            return null;
                        }));
                    }
                    go.countDown();
                    for (Future<?> fut : futures) {
                        fut.get(120, TimeUnit.SECONDS);
                    }
                } finally {
                    pool.shutdownNow();
                }
                f.ctx.synchronize();
                assertEquals(Fixture.BYTES, f.dev.size());
            }
        })));
    }
}
