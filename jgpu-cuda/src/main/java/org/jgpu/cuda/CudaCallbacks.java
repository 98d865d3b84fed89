package org.jgpu.cuda;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The host callbacks of one CUDA device that the driver has not called yet, so that each runs
 * exactly once even when the driver never calls it: the driver skips host work after a context
 * error, so every pending callback is run when the device is found lost (also the pending ones of
 * a stream destroyed before), and, for a loss nobody else notices, by a watchdog. A destroyed
 * stream of a device not lost keeps its callbacks: the driver still runs its remaining work.
 *
 * <p>The watchdog is one daemon thread per JVM. It sleeps while no callback is pending; while
 * some have been pending for more than {@value #STALE_MILLIS} ms it probes their devices every
 * {@value #PERIOD_MILLIS} ms ({@link CudaDevice#probe}: a query of a stream of the device's own
 * that is never captured, never of the callbacks' streams, which may be capturing a graph). A
 * sticky result marks the device lost, which runs them all.
 */
final class CudaCallbacks {
    private static final long STALE_MILLIS = 100;
    private static final long PERIOD_MILLIS = 150;
    private static final Map<CudaDevice, CudaCallbacks> BY_DEVICE = Collections.synchronizedMap(new WeakHashMap<>());
    private static final AtomicInteger PENDING = new AtomicInteger();
    private static final Object WATCH = new Object();
    private static Thread watchdog;

    /** One callback not run yet. */
    static final class Pending {
        final CudaStream stream;
        private final Runnable action;
        private final long since = System.nanoTime();
        private final AtomicBoolean ran = new AtomicBoolean();

        Pending(CudaStream stream, Runnable action) {
            this.stream = stream;
            this.action = action;
        }
    }

    private final Set<Pending> pending = ConcurrentHashMap.newKeySet();

    private CudaCallbacks() {
    }

    /**
     * @param device a device
     * @return its callbacks, made (and hooked to the device's loss) on first use
     */
    static CudaCallbacks of(CudaDevice device) {
        CudaCallbacks c;
        boolean made = false;
        synchronized (BY_DEVICE) {
            c = BY_DEVICE.get(device);
            if (c == null) {
                c = new CudaCallbacks();
                BY_DEVICE.put(device, c);
                made = true;
            }
        }
        if (made) {
            device.whenLost(c::runAll);
        }
        return c;
    }

    /**
     * Notes a callback before it is handed to the driver.
     *
     * @param stream its stream
     * @param action the hand-off to run once
     * @return the entry to {@link #run} when the driver calls back
     */
    Pending add(CudaStream stream, Runnable action) {
        Pending p = new Pending(stream, action);
        pending.add(p);
        if (PENDING.getAndIncrement() == 0) {
            synchronized (WATCH) {
                if (watchdog == null) {
                    watchdog = new Thread(CudaCallbacks::watch, "jgpu-cuda-callback-watchdog");
                    watchdog.setDaemon(true);
                    watchdog.start();
                }
                WATCH.notifyAll();
            }
        }
        return p;
    }

    /** Runs a callback unless it ran already (the driver, a loss and a destroy may all try). */
    void run(Pending p) {
        if (p.ran.compareAndSet(false, true)) {
            pending.remove(p);
            PENDING.decrementAndGet();
            p.action.run();   // only hands off
        }
    }

    /**
     * Forgets a callback without running it: the driver never got it and the caller reports the
     * failure instead (same bookkeeping as {@link #run}).
     */
    void cancel(Pending p) {
        if (p.ran.compareAndSet(false, true)) {
            pending.remove(p);
            PENDING.decrementAndGet();
        }
    }

    /** Runs every pending callback: the device is lost, the driver will not call them. */
    void runAll() {
        for (Pending p : new ArrayList<>(pending)) {
            run(p);
        }
    }

    /** Runs the pending callbacks of a destroyed stream. */
    void runStream(CudaStream stream) {
        for (Pending p : new ArrayList<>(pending)) {
            if (p.stream == stream) {
                run(p);
            }
        }
    }

    /** @return the devices with a callback pending since before {@code before} */
    private Set<CudaDevice> stale(long before) {
        Set<CudaDevice> devices = new LinkedHashSet<>();
        for (Pending p : pending) {
            if (p.since - before < 0) {
                devices.add(p.stream.device());
            }
        }
        return devices;
    }

    private static void watch() {
        while (true) {
            try {
                synchronized (WATCH) {
                    while (PENDING.get() == 0) {
                        WATCH.wait();
                    }
                }
                Thread.sleep(PERIOD_MILLIS);
                List<CudaCallbacks> all;
                synchronized (BY_DEVICE) {
                    all = new ArrayList<>(BY_DEVICE.values());
                }
                long before = System.nanoTime() - STALE_MILLIS * 1_000_000;
                for (CudaCallbacks c : all) {
                    for (CudaDevice d : c.stale(before)) {
                        if (d.probe()) {
                            c.runAll();   // lost: the driver will not call them (the loss ran them already)
                        }
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | LinkageError e) {
                // a probe that cannot even query: the next round tries again; nothing to report to
            }
        }
    }
}
