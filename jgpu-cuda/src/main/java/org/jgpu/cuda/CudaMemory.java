package org.jgpu.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import org.jgpu.cuda.driver.Memory;
import org.jgpu.spi.NativeMemory;
import org.jgpu.spi.NativeStream;

/**
 * Device memory, stream-ordered device memory (both blocks of the device's {@link BlockPool}),
 * or page-locked host memory.
 */
final class CudaMemory implements NativeMemory {
    private final CudaDevice device;
    private final CUdeviceptr dptr;
    private final Pointer hptr;
    private final long size;
    private final boolean async;
    private volatile CUdeviceptr mapped;
    private ByteBuffer view;

    private CudaMemory(CudaDevice device, CUdeviceptr dptr, Pointer hptr, long size, boolean async) {
        this.device = device;
        this.dptr = dptr;
        this.hptr = hptr;
        this.size = size;
        this.async = async;
    }

    static CudaMemory device(CudaDevice device, CUdeviceptr p, long size, boolean async) {
        return new CudaMemory(device, p, null, size, async);
    }

    static CudaMemory host(CudaDevice device, Pointer p, long size) {
        return new CudaMemory(device, null, p, size, false);
    }

    /** @return the device (jgpu context) whose memory this is */
    CudaDevice device() {
        return device;
    }

    /** @return the device address of byte {@code offset}: device memory, or pinned memory as the device sees it */
    CUdeviceptr deviceAt(long offset) {
        CUdeviceptr base = dptr;
        if (base == null) {
            base = mapped;
            if (base == null) {
                base = Memory.devicePointerOf(hptr);
                mapped = base;
            }
        }
        return offset == 0 ? base : base.withByteOffset(offset);
    }

    /** @return the host address of byte {@code offset} of pinned memory */
    Pointer hostAt(long offset) {
        return offset == 0 ? hptr : hptr.withByteOffset(offset);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean isHost() {
        return hptr != null;
    }

    @Override
    public synchronized ByteBuffer hostView() {
        if (hptr == null) {
            throw new UnsupportedOperationException("device memory has no host view");
        }
        if (size > Integer.MAX_VALUE) {
            throw new UnsupportedOperationException("pinned buffer of " + size + " bytes is larger than a ByteBuffer can view");
        }
        if (view == null) {
            view = hptr.getByteBuffer(0, size).order(ByteOrder.nativeOrder());
        }
        return view.duplicate().order(ByteOrder.nativeOrder());
    }

    @Override
    public void free() {
        if (device.isLost()) {
            return;   // CUDA cannot use a lost context again: the process's end frees it
        }
        device.bind();
        if (hptr != null) {
            Memory.freeHost(hptr);
        } else {
            device.releaseBlock(dptr, size, null);   // idle: no stream orders it
        }
    }

    @Override
    public void freeAsync(NativeStream stream) {
        if (!async) {
            free();
            return;
        }
        if (device.isLost()) {
            return;   // CUDA cannot use a lost context again: the process's end frees it
        }
        device.bind();
        device.releaseBlock(dptr, size, (CudaStream) stream);
    }
}
