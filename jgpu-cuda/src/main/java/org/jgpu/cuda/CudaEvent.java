package org.jgpu.cuda;

import jcuda.driver.CUevent;
import org.jgpu.CudaException;
import org.jgpu.cuda.driver.Streams;
import org.jgpu.spi.NativeEvent;

/** A CUDA event. */
final class CudaEvent implements NativeEvent {
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

    @Override
    public long elapsedNanos(NativeEvent start) {
        device.enter();
        return (long) (Streams.elapsedMillis(((CudaEvent) start).handle, handle) * 1e6);
    }

    @Override
    public void destroy() {
        if (!device.isLost()) {
            device.bind();
            Streams.destroyEvent(handle);
        }
    }
}
