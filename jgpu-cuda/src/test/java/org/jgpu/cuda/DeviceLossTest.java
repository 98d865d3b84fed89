package org.jgpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jgpu.cuda.driver.Driver;
import org.junit.jupiter.api.Test;

/** The lost state of a device shared by all its contexts, and the actions run on loss (no driver needed). */
class DeviceLossTest {
    private static CudaException illegalAddress() {
        return Driver.error(700, "cuStreamSynchronize on stream 'faulty'");
    }

    @Test
    void aStickyErrorSeenByOneContextLosesEveryContextOfTheDeviceNamingTheFirstFault() {
        DeviceLoss loss = new DeviceLoss("device 0 (test)");
        DeviceLoss.Watchers a = loss.join();
        DeviceLoss.Watchers b = loss.join();
        AtomicInteger ranA = new AtomicInteger();
        AtomicInteger ranB = new AtomicInteger();
        a.add(ranA::incrementAndGet);
        b.add(ranB::incrementAndGet);
        assertNull(loss.failFast());

        assertFalse(loss.mark(Driver.error(1, "cuMemAlloc"), null), "a plain error loses nothing");
        assertNull(loss.error());
        CudaException first = illegalAddress();
        assertTrue(loss.mark(first, "launch scale on stream 'faulty'"));
        assertFalse(loss.mark(Driver.error(719, "cuCtxSynchronize"), null), "only the first fault counts");
        assertSame(first, loss.error());
        assertEquals(1, ranA.get());
        assertEquals(1, ranB.get(), "the other context of the device is told too");

        CudaException fast = loss.failFast();
        assertTrue(fast.isSticky());
        assertEquals(700, fast.code());
        assertSame(first, fast.getCause());
        assertTrue(fast.getMessage().contains("device 0 (test)") && fast.getMessage().contains("lost earlier by launch scale"
                + " on stream 'faulty'") && fast.getMessage().contains("CUDA_ERROR_ILLEGAL_ADDRESS"), fast.getMessage());
    }

    @Test
    void anActionRunsOnceAtOnceIfAlreadyLostAndNotAfterItIsCancelledOrItsContextClosed() {
        DeviceLoss loss = new DeviceLoss("device 1 (test)");
        DeviceLoss.Watchers open = loss.join();
        DeviceLoss.Watchers closed = loss.join();
        AtomicInteger cancelled = new AtomicInteger();
        AtomicInteger ofClosed = new AtomicInteger();
        AtomicInteger kept = new AtomicInteger();
        Runnable cancel = open.add(cancelled::incrementAndGet);
        open.add(() -> {
            throw new IllegalStateException("an action that fails does not stop the others");
        });
        open.add(kept::incrementAndGet);
        cancel.run();
        cancel.run();
        closed.add(ofClosed::incrementAndGet);
        closed.close();
        assertEquals(0, closed.size(), "a closed context keeps no registration");
        closed.add(ofClosed::incrementAndGet);
        assertEquals(0, closed.size(), "nor one made after it closed");

        loss.mark(illegalAddress(), null);
        assertEquals(0, cancelled.get());
        assertEquals(0, ofClosed.get());
        assertEquals(1, kept.get());
        assertEquals(0, open.size());

        Thread caller = Thread.currentThread();
        List<Thread> ranOn = new ArrayList<>();
        open.add(() -> ranOn.add(Thread.currentThread()));
        closed.add(() -> ranOn.add(Thread.currentThread()));
        assertEquals(List.of(caller, caller), ranOn, "already lost: runs at once on the caller, closed or not");
        loss.mark(Driver.error(700, "again"), null);
        assertEquals(1, kept.get(), "runs once");
    }

    @Test
    void registrationsRacingWithTheLossEachRunExactlyOnce() throws Exception {
        for (int round = 0; round < 50; round++) {
            DeviceLoss loss = new DeviceLoss("device 0 (test)");
            DeviceLoss.Watchers w = loss.join();
            AtomicInteger ran = new AtomicInteger();
            int perThread = 200;
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Thread th = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        w.add(ran::incrementAndGet);
                    }
                });
                th.start();
                threads.add(th);
            }
            Thread marker = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                loss.mark(illegalAddress(), null);
            });
            marker.start();
            go.countDown();
            marker.join();
            for (Thread th : threads) {
                th.join();
            }
            assertEquals(3 * perThread, ran.get(), "round " + round);
            assertEquals(0, w.size());
        }
    }
}
