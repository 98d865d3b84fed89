package org.jgpu.cuda.driver;

import static org.jgpu.cuda.driver.Driver.check;

import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;
import org.jgpu.cuda.CudaException;

/** The thin checked layer for events (a stream's wait for one is in {@link Streams}). */
public final class Events {
    private Events() {
    }

    /**
     * @param timing whether the event records timestamps
     * @param blockingSync whether waiting on it blocks instead of spinning
     * @return the event
     * @throws CudaException if it cannot be created
     */
    public static CUevent create(boolean timing, boolean blockingSync) {
        CUevent e = new CUevent();
        int flags = (timing ? 0 : CUevent_flags.CU_EVENT_DISABLE_TIMING) | (blockingSync ? CUevent_flags.CU_EVENT_BLOCKING_SYNC : 0);
        check(JCudaDriver.cuEventCreate(e, flags), "cuEventCreate");
        return e;
    }

    /**
     * @param e the event
     * @param s the stream to record it on
     * @param what the stream's name, for messages
     * @throws CudaException if it cannot be recorded
     */
    public static void record(CUevent e, CUstream s, Object what) {
        check(JCudaDriver.cuEventRecord(e, s), "cuEventRecord", what);
    }

    /**
     * @param e an event
     * @return true if its latest record completed, false if not yet
     * @throws CudaException for any other result
     */
    public static boolean query(CUevent e) {
        int r = JCudaDriver.cuEventQuery(e);
        if (r == Driver.notReady()) {
            return false;
        }
        check(r, "cuEventQuery");
        return true;
    }

    /**
     * @param e an event
     * @throws CudaException for an error of the work before it
     */
    public static void synchronize(CUevent e) {
        check(JCudaDriver.cuEventSynchronize(e), "cuEventSynchronize");
    }

    /**
     * @param start an earlier timing event
     * @param end a later timing event
     * @return milliseconds between them, or {@code NaN} if either is not complete
     *         ({@code CUDA_ERROR_NOT_READY}: recorded again since the caller waited for it)
     * @throws CudaException if either lacks timing or was never recorded
     */
    public static float elapsedMillis(CUevent start, CUevent end) {
        float[] ms = new float[1];
        int r = JCudaDriver.cuEventElapsedTime(ms, start, end);
        if (r == Driver.notReady()) {
            return Float.NaN;
        }
        check(r, "cuEventElapsedTime");
        return ms[0];
    }

    /**
     * @param e the event
     * @throws CudaException if it cannot be destroyed
     */
    public static void destroy(CUevent e) {
        check(JCudaDriver.cuEventDestroy(e), "cuEventDestroy");
    }
}
