package org.jgpu.cuda;

import java.util.function.DoubleSupplier;
import jcuda.driver.CUevent;
import org.jgpu.cuda.driver.Events;
import org.jgpu.spi.NativeEvent;

/** A CUDA event. */
final class CudaEvent implements NativeEvent {
    /** How often elapsedNanos reads the time before it gives up on events being recorded again. */
    private static final int READ_ATTEMPTS = 8;

    final CUevent handle;
    private final CudaDevice device;

    CudaEvent(CudaDevice device, CUevent handle) {
        this.device = device;
        this.handle = handle;
    }

    /** @return the device (jgpu context) the event was created on */
    CudaDevice device() {
        return device;
    }

    @Override
    public boolean query() {
        device.enter();
        try {
            return Events.query(handle);
        } catch (CudaException e) {
            throw device.failed(e, null);
        }
    }

    @Override
    public void synchronize() {
        device.enter();
        try {
            Events.synchronize(handle);
        } catch (CudaException e) {
            throw device.failed(e, null);
        }
    }

    /**
     * The time between two completed events. The caller waited for both, but another thread may
     * record either again before the driver reads them ({@code CUDA_ERROR_NOT_READY}): then both
     * are waited for again and the read retried, a bounded number of times.
     *
     * @throws IllegalStateException if the events keep being recorded again by other threads
     * @throws CudaException if the driver fails (a sticky error loses the context)
     */
    @Override
    public long elapsedNanos(NativeEvent start) {
        device.enter();
        CUevent from = ((CudaEvent) start).handle;
        try {
            return elapsedNanos(() -> Events.elapsedMillis(from, handle), () -> {
                Events.synchronize(from);
                Events.synchronize(handle);
            });
        } catch (CudaException e) {
            throw device.failed(e, null);
        }
    }

    /**
     * Reads the time between two events, waiting for both again while the read says that one is
     * not complete: the caller waited for both, but another thread may have recorded either
     * again since ({@code CUDA_ERROR_NOT_READY}).
     *
     * @param readMillis the milliseconds between them, {@code NaN} if one is not complete
     * @param waitForBoth waits for both events
     * @return the nanoseconds between them
     * @throws IllegalStateException if one is still incomplete after {@value #READ_ATTEMPTS} reads
     */
    static long elapsedNanos(DoubleSupplier readMillis, Runnable waitForBoth) {
        for (int attempt = 1; ; attempt++) {
            double ms = readMillis.getAsDouble();
            if (!Double.isNaN(ms)) {
                return (long) (ms * 1e6);
            }
            if (attempt == READ_ATTEMPTS) {
                throw new IllegalStateException("elapsedSince: the events were recorded again by other threads while"
                        + " their time was read, " + READ_ATTEMPTS + " times in a row; time events that no other"
                        + " thread records meanwhile");
            }
            waitForBoth.run();
        }
    }

    @Override
    public void destroy() {
        if (!device.isLost()) {
            device.bind();
            Events.destroy(handle);
        }
    }
}
