package org.jgpu.cuda.driver;

import org.jgpu.cuda.CudaException;
import static org.jgpu.cuda.driver.Driver.check;

import jcuda.driver.CUevent;
import jcuda.driver.CUstreamCaptureMode;
import jcuda.driver.CUstream_flags;
import jcuda.driver.CUgraph;
import jcuda.driver.CUstream;
import jcuda.driver.CUstreamCallback;
import jcuda.driver.JCudaDriver;

/** The thin checked layer for streams: creation, ordering, host functions and capture. */
public final class Streams {
    private Streams() {
    }

    /**
     * @param nonBlocking true for {@code CU_STREAM_NON_BLOCKING}
     * @param priority the priority (clamped by the driver)
     * @param name the stream's name, for messages
     * @return the stream
     * @throws CudaException if it cannot be created
     */
    public static CUstream create(boolean nonBlocking, int priority, String name) {
        CUstream s = new CUstream();
        check(JCudaDriver.cuStreamCreateWithPriority(s, nonBlocking ? CUstream_flags.CU_STREAM_NON_BLOCKING : 0, priority),
                "cuStreamCreateWithPriority", "stream '" + name + "'");
        return s;
    }

    /** @return the legacy default stream's handle */
    public static CUstream legacyDefault() {
        return JCudaDriver.CU_STREAM_LEGACY;
    }

    /**
     * @param s a stream
     * @param what its name, for messages
     * @return its priority
     * @throws CudaException if the driver cannot say
     */
    public static int priority(CUstream s, Object what) {
        int[] p = new int[1];
        check(JCudaDriver.cuStreamGetPriority(s, p), "cuStreamGetPriority", what);
        return p[0];
    }

    /**
     * @param s a stream
     * @param what its name, for messages
     * @throws CudaException if it cannot be destroyed
     */
    public static void destroy(CUstream s, Object what) {
        check(JCudaDriver.cuStreamDestroy(s), "cuStreamDestroy", what);
    }

    /**
     * @param s a stream
     * @param what its name, for messages
     * @return true if its work is done, false if not yet ({@code CUDA_ERROR_NOT_READY})
     * @throws CudaException for any other result: an error of earlier asynchronous work
     */
    public static boolean query(CUstream s, Object what) {
        int r = JCudaDriver.cuStreamQuery(s);
        if (r == Driver.notReady()) {
            return false;
        }
        check(r, "cuStreamQuery", what);
        return true;
    }

    /**
     * @param s a stream
     * @param what its name, for messages
     * @throws CudaException for an error of earlier asynchronous work
     */
    public static void synchronize(CUstream s, Object what) {
        check(JCudaDriver.cuStreamSynchronize(s), "cuStreamSynchronize", what);
    }

    /**
     * @param s the waiting stream
     * @param e the event
     * @param what the stream's name, for messages
     * @throws CudaException if the wait cannot be enqueued
     */
    public static void waitEvent(CUstream s, CUevent e, Object what) {
        check(JCudaDriver.cuStreamWaitEvent(s, e, 0), "cuStreamWaitEvent", what);
    }

    /**
     * Enqueues a stream callback: unlike a host function, the driver calls it also after a
     * device error, with the error as its status.
     *
     * @param s the stream
     * @param cb runs on the driver's callback thread after earlier work, with its CUresult status
     * @param what the stream's name, for messages
     * @throws CudaException if it cannot be enqueued
     */
    public static void addCallback(CUstream s, CUstreamCallback cb, Object what) {
        check(JCudaDriver.cuStreamAddCallback(s, cb, null, 0), "cuStreamAddCallback", what);
    }

    /**
     * @param status a callback's status
     * @return true for {@code CUDA_SUCCESS}
     */
    public static boolean succeeded(int status) {
        return status == jcuda.driver.CUresult.CUDA_SUCCESS;
    }

    /**
     * Starts capturing the stream's work into a graph (thread-local mode: other threads may
     * keep using the driver).
     *
     * @param s the stream
     * @param what its name, for messages
     * @throws CudaException if capture cannot start
     */
    public static void beginCapture(CUstream s, Object what) {
        check(JCudaDriver.cuStreamBeginCapture(s, CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL),
                "cuStreamBeginCapture", what);
    }

    /**
     * @param s the capturing stream
     * @param what its name, for messages
     * @return the captured graph
     * @throws CudaException if the capture was invalidated
     */
    public static CUgraph endCapture(CUstream s, Object what) {
        CUgraph g = new CUgraph();
        check(JCudaDriver.cuStreamEndCapture(s, g), "cuStreamEndCapture", what);
        return g;
    }
}
