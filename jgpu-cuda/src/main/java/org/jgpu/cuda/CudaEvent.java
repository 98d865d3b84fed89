package org.jgpu.cuda;

import jcuda.driver.CUevent;
import org.jgpu.CudaException;
import org.jgpu.cuda.driver.Streams;
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

    @Override
    public boolean query() {
        device.enter();
        try {
            return Streams.queryEvent(handle);
        } catch (CudaException e) {
            throw device.failed(e, null);
        }
    }

    @Override
    public void synchronize() {
        device.enter();
        try {
            Streams.synchronizeEvent(handle);
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
            for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
                float ms = Streams.elapsedMillis(from, handle);
                if (!Float.isNaN(ms)) {
                    return (long) (ms * 1e6);
                }
                Streams.synchronizeEvent(from);
                Streams.synchronizeEvent(handle);
            }
        } catch (CudaException e) {
            throw device.failed(e, null);
        }
        throw new IllegalStateException("elapsedSince: the events were recorded again by other threads while their time"
                + " was read, " + READ_ATTEMPTS + " times in a row; time events that no other thread records meanwhile");
    }

    @Override
    public void destroy() {
        if (!device.isLost()) {
            device.bind();
            Streams.destroyEvent(handle);
        }
    }
}
