package org.jgpu.host;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jgpu.spi.NativeMemory;
import org.jgpu.spi.NativeStream;

/** Memory of the host backend: a direct buffer standing for device or pinned host memory. */
final class HostMemory implements NativeMemory {
    private final HostDevice device;
    private final ByteBuffer bytes;
    private final boolean host;
    /** Set by the first free: freeing again must not give the device the same bytes twice. */
    private final AtomicBoolean freed = new AtomicBoolean();

    HostMemory(HostDevice device, ByteBuffer bytes, boolean host) {
        this.device = device;
        this.bytes = bytes.order(ByteOrder.nativeOrder());
        this.host = host;
    }

    /** @return a native-order view of {@code [offset, offset + length)} */
    ByteBuffer view(long offset, long length) {
        return bytes.duplicate().position((int) offset).limit((int) (offset + length)).slice().order(ByteOrder.nativeOrder());
    }

    @Override
    public long size() {
        return bytes.capacity();
    }

    @Override
    public boolean isHost() {
        return host;
    }

    @Override
    public ByteBuffer hostView() {
        if (!host) {
            throw new UnsupportedOperationException("device memory has no host view");
        }
        return view(0, bytes.capacity());
    }

    @Override
    public void free() {
        if (freed.compareAndSet(false, true) && !host) {
            device.release(bytes.capacity());
        }
    }

    @Override
    public void freeAsync(NativeStream stream) {
        // stream-ordered memory goes back to the device's pool, as with cuMemFreeAsync
        ((HostStream) stream).enqueueHostStep(() -> {
            if (freed.compareAndSet(false, true)) {
                device.release(bytes.capacity());
                device.recycle(bytes);
            }
        });
    }
}
