package org.jgpu.spi;

import java.util.Set;
import org.jgpu.DeviceInfo;
import org.jgpu.EventOption;
import org.jgpu.HostAllocOption;
import org.jgpu.MemoryInfo;
import org.jgpu.ModuleSource;
import org.jgpu.PeerRoute;
import org.jgpu.StreamOptions;
import org.jgpu.StreamPriorityRange;

/** An opened device: the raw primitives the API is built on. Calls come with valid arguments. */
public interface DeviceBackend {

    /** @return the device's description and limits */
    DeviceInfo info();

    /** @return free and total device memory now */
    MemoryInfo memoryInfo();

    /**
     * @param options priority and flags
     * @return a new stream
     */
    NativeStream createStream(StreamOptions options);

    /** @return the legacy default stream (never destroyed by the caller) */
    NativeStream defaultStream();

    /**
     * @param name a name for messages
     * @return the calling thread's per-thread default stream: a blocking stream that the
     *         caller destroys when the context closes. It must be the same stream whichever
     *         thread later uses it: the library waits on it, records on it and calls back from
     *         it on other threads
     */
    NativeStream perThreadDefaultStream(String name);

    /**
     * Takes in a stream made elsewhere, without owning it: the caller never destroys the
     * returned stream (it only stops using it).
     *
     * @param handle the native handle, as {@link #streamHandle(NativeStream)} gives it
     * @param name a name for messages
     * @return the stream and its flags
     * @throws IllegalArgumentException naming the handle if it names no open stream this device
     *         can use, or a default stream
     * @throws UnsupportedOperationException if the backend cannot take in streams (the default)
     */
    default BorrowedStream borrowStream(long handle, String name) {
        throw new UnsupportedOperationException(info().backend() + " backend cannot borrow streams (asked for '" + name
                + "')");
    }

    /**
     * @param stream a stream of this device
     * @return its native handle (on CUDA the {@code CUstream} address; on the host backend an id)
     * @throws UnsupportedOperationException if the backend's streams have no handle (the default)
     */
    default long streamHandle(NativeStream stream) {
        throw new UnsupportedOperationException(info().backend() + " backend's streams have no native handle");
    }

    /**
     * @return the stream priorities this device honours; {@link #createStream} clamps into it.
     *         The default is a backend without priorities: only 0
     */
    default StreamPriorityRange streamPriorityRange() {
        return new StreamPriorityRange(0, 0);
    }

    /**
     * How copies from this device's memory to {@code other}'s travel, making them possible: where
     * the devices can reach each other's memory, the backend enables peer access (both ways)
     * before it returns {@link org.jgpu.PeerRoute#PEER}. Called once per pair of contexts of a
     * {@link org.jgpu.DeviceGroup}, before any copy between them.
     *
     * @param other an opened device of the same backend
     * @return the route; {@link org.jgpu.PeerRoute#SAME_DEVICE} if both are one device
     * @throws UnsupportedOperationException if the backend cannot copy between devices (the default)
     * @throws org.jgpu.GpuException if enabling peer access failed
     */
    default PeerRoute peerRoute(DeviceBackend other) {
        throw new UnsupportedOperationException(info().backend() + " backend cannot copy between devices");
    }

    /**
     * @param options event options
     * @return a new event
     */
    NativeEvent createEvent(Set<EventOption> options);

    /**
     * @param bytes at least 1
     * @return device memory
     * @throws org.jgpu.GpuOutOfMemoryException if there is not enough
     */
    NativeMemory allocDevice(long bytes);

    /**
     * @param bytes at least 1
     * @param options allocation options
     * @return zeroed page-locked host memory (also when the backend recycles memory)
     * @throws UnsupportedOperationException if an option cannot be honoured
     * @throws org.jgpu.GpuOutOfMemoryException if there is not enough, or {@code bytes} is more
     *         than one pinned buffer of the backend can hold (2 GiB - 1 on the bundled backends),
     *         refused before anything is pinned
     */
    NativeMemory allocHost(long bytes, Set<HostAllocOption> options);

    /**
     * @param bytes at least 1
     * @param stream the stream that orders the allocation
     * @return device memory usable in stream order
     * @throws org.jgpu.GpuOutOfMemoryException if there is not enough
     */
    NativeMemory allocAsync(long bytes, NativeStream stream);

    /**
     * Loads code. The core has read a PTX source's entries first (so every parameter is one jgpu
     * can pass) and keeps them; it resolves each kernel's signature before
     * {@link NativeModule#function} is called.
     *
     * @param source the code to load
     * @return the module
     * @throws org.jgpu.GpuException if it cannot be loaded here
     */
    NativeModule loadModule(ModuleSource source);

    /**
     * Blocks until the work this backend runs outside the caller's streams is done (e.g. its
     * own allocator's). The caller has synchronized each of its streams first, so a backend with
     * nothing of its own may return at once; it does not wait for other contexts' work.
     */
    void synchronize();

    /** Releases the device; everything created from it is gone. */
    void close();
}
