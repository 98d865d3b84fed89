package org.jgpu.cuda.driver;

import static org.jgpu.cuda.driver.Driver.check;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;
import org.jgpu.cuda.CudaException;

/** The thin checked layer for what crosses devices: peer access and copies between contexts. */
public final class Peers {
    private Peers() {
    }

    /**
     * {@code cuDeviceCanAccessPeer}: needs no context.
     *
     * @param device the device that would read or write
     * @param peer the device whose memory it would reach
     * @param ordinal the device's ordinal, for messages
     * @param peerOrdinal the peer's ordinal, for messages
     * @return true if contexts on {@code device} can be given direct access to memory of {@code peer}
     * @throws CudaException if the driver cannot say
     */
    public static boolean canAccess(CUdevice device, CUdevice peer, int ordinal, int peerOrdinal) {
        int[] can = new int[1];
        check(JCudaDriver.cuDeviceCanAccessPeer(can, device, peer),
                "cuDeviceCanAccessPeer(device " + ordinal + ", peer device " + peerOrdinal + ")");
        return can[0] != 0;
    }

    /**
     * {@code cuCtxEnablePeerAccess(peer, 0)}: gives the calling thread's current context direct
     * access to the peer context's memory (one way). Access that is already enabled
     * ({@code CUDA_ERROR_PEER_ACCESS_ALREADY_ENABLED}) counts as success, so that several callers
     * may enable the same pair.
     *
     * @param peer the context whose memory becomes reachable
     * @param peerOrdinal its device's ordinal, for messages
     * @param current the device whose context is current, for messages
     * @throws CudaException if access cannot be enabled, e.g. {@code CUDA_ERROR_TOO_MANY_PEERS}
     */
    public static void enableAccess(CUcontext peer, int peerOrdinal, Object current) {
        int r = JCudaDriver.cuCtxEnablePeerAccess(peer, 0);
        if (r != CUresult.CUDA_SUCCESS && r != CUresult.CUDA_ERROR_PEER_ACCESS_ALREADY_ENABLED) {
            throw Driver.error(r, "cuCtxEnablePeerAccess(peer device " + peerOrdinal + ") on " + current);
        }
    }

    /**
     * @param code a CUresult
     * @return true if it says the devices cannot have peer access after all (unsupported, or the
     *         hardware's peer resources are used up): copies between them are staged instead
     */
    public static boolean isAccessRefused(int code) {
        return code == CUresult.CUDA_ERROR_PEER_ACCESS_UNSUPPORTED || code == CUresult.CUDA_ERROR_TOO_MANY_PEERS;
    }

    /**
     * {@code cuMemcpyPeerAsync}: copies between device memory of two contexts, ordered on a stream.
     *
     * @param dst destination device address
     * @param dstContext the destination memory's context
     * @param src source device address
     * @param srcContext the source memory's context
     * @param bytes bytes to copy
     * @param s the stream that orders it
     * @param what the stream's name, for messages
     * @throws CudaException if it cannot be enqueued
     */
    public static void copyAsync(CUdeviceptr dst, CUcontext dstContext, CUdeviceptr src, CUcontext srcContext, long bytes,
            CUstream s, Object what) {
        check(JCudaDriver.cuMemcpyPeerAsync(dst, dstContext, src, srcContext, bytes, s), "cuMemcpyPeerAsync", what);
    }
}
