package org.jgpu.cuda;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import org.jgpu.DeviceInfo;
import org.jgpu.cuda.driver.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's primary context, shared by every jgpu context on the device (and by the runtime
 * API, so by cuBLAS). Retained once, when the first jgpu context opens the device, and held for
 * the JVM's life: the driver destroys a primary context when its last retain is released, and
 * re-creating it (and re-loading the modules) would cost every later context hundreds of
 * milliseconds. A shutdown hook drops that hold; the retain is released then, or when the last
 * jgpu context of the device closes after it. A lost context is never released nor reset: CUDA
 * cannot use it again in this process, and resetting it would destroy the streams and memory of
 * every other jgpu context of the device under their feet.
 */
final class PrimaryContext {
    private static final Logger LOG = LoggerFactory.getLogger("org.jgpu");
    /** Guarded by the class lock. */
    private static final Map<Integer, PrimaryContext> DEVICES = new HashMap<>();
    /** Guarded by the class lock. */
    private static boolean hookAdded;
    /** Guarded by the class lock: set once the JVM exits; later retains are per open context. */
    private static boolean exiting;

    final int ordinal;
    final CUdevice device;
    /** The same handle for the JVM's life, unless released at exit and retained again. */
    volatile CUcontext context;
    final DeviceInfo info;
    final DeviceLoss loss;
    /** Guarded by this: open jgpu contexts of the device. */
    private int users;
    /** Guarded by this: whether this JVM's retain is held. */
    private boolean retained;
    /** Guarded by this: false once the JVM exits. */
    private boolean held;

    private PrimaryContext(int ordinal, CUdevice device, DeviceInfo info) {
        this.ordinal = ordinal;
        this.device = device;
        this.info = info;
        this.loss = new DeviceLoss("device " + ordinal + " (" + info.name() + ")");
        this.context = Driver.retainPrimaryContext(device, ordinal);
        this.retained = true;
    }

    /**
     * Opens a jgpu context on a device: retains its primary context the first time.
     *
     * @param ordinal the device ordinal
     * @return the device's primary context, with the caller counted as a user
     * @throws CudaException if the device cannot be queried or its context retained (nothing is
     *         kept then), or if the context was lost earlier (naming the fault)
     */
    static PrimaryContext open(int ordinal) {
        PrimaryContext p;
        synchronized (PrimaryContext.class) {
            p = DEVICES.get(ordinal);
            if (p == null) {
                addHook();
                // every query before the retain, so that a failing one leaves nothing to release
                CUdevice d = Driver.device(ordinal);
                p = new PrimaryContext(ordinal, d, DeviceProperties.read(d, ordinal));
                p.held = !exiting;
                DEVICES.put(ordinal, p);
            }
        }
        p.attach();
        return p;
    }

    private synchronized void attach() {
        CudaException lost = loss.failFast();
        if (lost != null) {
            throw lost;
        }
        if (!retained) {
            // released when the JVM began to exit; a context opened since holds its own retain
            context = Driver.retainPrimaryContext(device, ordinal);
            retained = true;
        }
        users++;
    }

    /** A jgpu context of the device closed: releases the retain if the JVM exits and it was the last. */
    synchronized void detach() {
        users--;
        releaseIfUnused();
    }

    private synchronized void endOfJvm() {
        held = false;
        releaseIfUnused();
    }

    private void releaseIfUnused() {
        if (held || users > 0 || !retained) {
            return;
        }
        retained = false;
        if (loss.error() != null) {
            return;   // a lost context is left alone: the process must restart anyway
        }
        try {
            Driver.releasePrimaryContext(device, ordinal);
        } catch (CudaException e) {
            LOG.warn("releasing the primary context of device {} failed", ordinal, e);
        }
    }

    private static void addHook() {
        if (hookAdded || exiting) {
            return;
        }
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(PrimaryContext::exit, "jgpu-cuda-release"));
            hookAdded = true;
        } catch (IllegalStateException e) {
            exiting = true;   // already exiting: hold nothing beyond the open contexts
        }
    }

    private static void exit() {
        List<PrimaryContext> all;
        synchronized (PrimaryContext.class) {
            exiting = true;
            all = new ArrayList<>(DEVICES.values());
        }
        for (PrimaryContext p : all) {
            p.endOfJvm();
        }
    }
}
