package org.jgpu.cuda;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.Pointer;
import jcuda.driver.CUhostFn;
import jcuda.driver.CUstream;
import org.jgpu.AsyncOperationException;
import org.jgpu.CudaException;
import org.jgpu.LaunchConfig;
import org.jgpu.cuda.driver.Memory;
import org.jgpu.cuda.driver.Modules;
import org.jgpu.cuda.driver.Streams;
import org.jgpu.spi.NativeEvent;
import org.jgpu.spi.NativeFunction;
import org.jgpu.spi.NativeGraph;
import org.jgpu.spi.NativeMemory;
import org.jgpu.spi.NativeStream;
import org.jgpu.spi.OpTag;

/**
 * A CUDA stream. Remembers the tags of its recent operations, so that an asynchronous error
 * found at a later query or synchronize names the operation that most likely caused it.
 */
final class CudaStream implements NativeStream {
    private static final int RECENT = 32;

    final CUstream handle;
    private final CudaDevice device;
    private final String name;
    /** The legacy or a per-thread default stream: the driver owns it. */
    private final boolean builtIn;
    private final OpTag[] recent = new OpTag[RECENT];
    private long count;
    private volatile RuntimeException error;
    /** Host functions the driver has not called yet: kept reachable until it does. */
    private final Set<CUhostFn> pendingCallbacks = ConcurrentHashMap.newKeySet();

    CudaStream(CudaDevice device, CUstream handle, String name, boolean builtIn) {
        this.device = device;
        this.handle = handle;
        this.name = name;
        this.builtIn = builtIn;
    }

    CudaDevice device() {
        return device;
    }

    private synchronized void note(OpTag tag) {
        recent[(int) (count++ % RECENT)] = tag;
    }

    /** @return the operation that most likely failed: the latest launch among recent ones, else the latest */
    synchronized String likelyCause() {
        if (count == 0) {
            return "no operation recorded on stream '" + name + "'";
        }
        int seen = (int) Math.min(count, RECENT);
        for (int i = 1; i <= seen; i++) {
            OpTag t = recent[(int) ((count - i) % RECENT)];
            if (t.kind().equals("launch")) {
                return t + " (the latest kernel before the failure)";
            }
        }
        return recent[(int) ((count - 1) % RECENT)] + " (the latest operation before the failure)";
    }

    private RuntimeException failed(CudaException e) {
        return device.failed(e, likelyCause());
    }

    private RuntimeException asyncFailure(CudaException e) {
        device.failed(e, likelyCause());
        AsyncOperationException a = new AsyncOperationException(likelyCause(), e);
        error = a;
        return a;
    }

    @Override
    public void copy(NativeMemory src, long srcOffset, NativeMemory dst, long dstOffset, long bytes, OpTag tag) {
        device.enter();
        note(tag);
        CudaMemory s = (CudaMemory) src;
        CudaMemory d = (CudaMemory) dst;
        try {
            if (s.isHost() && !d.isHost()) {
                Memory.copyHtoDAsync(d.deviceAt(dstOffset), s.hostAt(srcOffset), bytes, handle, this);
            } else if (!s.isHost() && d.isHost()) {
                Memory.copyDtoHAsync(d.hostAt(dstOffset), s.deviceAt(srcOffset), bytes, handle, this);
            } else {
                Memory.copyAsync(d.deviceAt(dstOffset), s.deviceAt(srcOffset), bytes, handle, this);
            }
        } catch (CudaException e) {
            throw failed(e);
        }
    }

    @Override
    public void copyHeap(ByteBuffer heap, NativeMemory memory, long offset, boolean toMemory, OpTag tag) {
        device.enter();
        note(tag);
        CudaMemory m = (CudaMemory) memory;
        long bytes = heap.remaining();
        synchronize();
        try {
            if (m.isHost()) {
                ByteBuffer v = m.hostView().position((int) offset).limit((int) (offset + bytes)).slice();
                if (toMemory) {
                    v.put(heap.duplicate());
                } else {
                    heap.duplicate().put(v);
                }
            } else if (toMemory) {
                Memory.copyHtoD(m.deviceAt(offset), Pointer.to(heap), bytes);
            } else {
                Memory.copyDtoH(Pointer.to(heap), m.deviceAt(offset), bytes);
            }
        } catch (CudaException e) {
            throw failed(e);
        }
    }

    @Override
    public void fill(NativeMemory dst, long offset, long bytes, int pattern, int patternBytes, OpTag tag) {
        device.enter();
        note(tag);
        CudaMemory d = (CudaMemory) dst;
        try {
            if (patternBytes == 1) {
                Memory.setD8Async(d.deviceAt(offset), (byte) pattern, bytes, handle, this);
            } else {
                Memory.setD32Async(d.deviceAt(offset), pattern, bytes / 4, handle, this);
            }
        } catch (CudaException e) {
            throw failed(e);
        }
    }

    @Override
    public void launch(NativeFunction function, LaunchConfig config, Object[] args, OpTag tag) {
        device.enter();
        note(tag);
        CudaModule.Function f = (CudaModule.Function) function;
        int[] grid = {config.grid().x(), config.grid().y(), config.grid().z()};
        int[] block = {config.block().x(), config.block().y(), config.block().z()};
        try {
            Modules.launch(f.handle(), grid, block, config.sharedMemoryBytes(), handle, f.marshal(args), tag);
        } catch (CudaException e) {
            throw failed(e);
        }
    }

    @Override
    public void record(NativeEvent event) {
        device.enter();
        try {
            Streams.record(((CudaEvent) event).handle, handle, this);
        } catch (CudaException e) {
            throw failed(e);
        }
    }

    @Override
    public void waitEvent(NativeEvent event) {
        device.enter();
        try {
            Streams.waitEvent(handle, ((CudaEvent) event).handle, this);
        } catch (CudaException e) {
            throw failed(e);
        }
    }

    @Override
    public void hostCallback(Runnable action) {
        device.enter();
        CUhostFn[] self = new CUhostFn[1];
        CUhostFn fn = userData -> {
            pendingCallbacks.remove(self[0]);
            action.run();   // only hands off: never calls CUDA, never blocks
        };
        self[0] = fn;
        pendingCallbacks.add(fn);
        try {
            Streams.launchHostFunc(handle, fn, this);
        } catch (CudaException e) {
            pendingCallbacks.remove(fn);
            throw failed(e);
        }
    }

    @Override
    public boolean query() {
        device.enter();
        try {
            return Streams.query(handle, this);
        } catch (CudaException e) {
            throw asyncFailure(e);
        }
    }

    @Override
    public void synchronize() {
        device.enter();
        try {
            Streams.synchronize(handle, this);
        } catch (CudaException e) {
            throw asyncFailure(e);
        }
    }

    @Override
    public RuntimeException peekError() {
        return error;
    }

    @Override
    public void beginCapture() {
        device.enter();
        try {
            Streams.beginCapture(handle, this);
        } catch (CudaException e) {
            throw failed(e);
        }
    }

    @Override
    public NativeGraph endCapture() {
        device.enter();
        try {
            return new CudaGraph(device, Streams.endCapture(handle, this));
        } catch (CudaException e) {
            throw failed(e);
        }
    }

    @Override
    public int priority() {
        device.enter();
        return Streams.priority(handle, this);
    }

    @Override
    public void destroy() {
        if (!builtIn && !device.isLost()) {
            device.bind();
            Streams.destroy(handle, this);
        }
    }

    @Override
    public String toString() {
        return "stream '" + name + "'";
    }
}
