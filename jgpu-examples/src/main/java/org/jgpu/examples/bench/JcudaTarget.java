package org.jgpu.examples.bench;

import org.jgpu.cuda.BundledBinaries;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUfunction;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUhostFn;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstreamCaptureMode;
import jcuda.driver.JCudaDriver;
import org.jgpu.BundledKernels;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * The benchmark operations written directly against JCuda's driver API, as a JCuda user would:
 * the baseline jgpu's overhead is measured against. Runs on device 0's primary context, with
 * the same bundled fatbin, launch shapes (one block of 256), stream and event flags as jgpu's
 * defaults.
 */
final class JcudaTarget implements Target {
    private final CUdevice device = new CUdevice();
    private final CUcontext ctx = new CUcontext();
    private final CUstream stream = new CUstream();
    private final CUstream other = new CUstream();
    private final CUmodule module = new CUmodule();
    private final CUfunction noop = new CUfunction();
    private final CUfunction scale = new CUfunction();
    private final CUdeviceptr one = new CUdeviceptr();
    private final Pointer scaleParams;
    private final CUevent plain = new CUevent();
    private final CUevent timed = new CUevent();
    private final CUevent start = new CUevent();
    private final CUevent end = new CUevent();
    private final CUevent crossed = new CUevent();
    private final Map<Long, byte[]> heap = new HashMap<>();
    private final CUhostFn callback = data -> setCalled();
    private Pointer hostIn;
    private Pointer hostOut;
    private CUdeviceptr devIn;
    private CUdeviceptr devOut;
    private CUgraphExec graph;
    private volatile boolean called;

    JcudaTarget() {
        ok(JCudaDriver.cuInit(0), "cuInit");
        ok(JCudaDriver.cuDeviceGet(device, 0), "cuDeviceGet");
        ok(JCudaDriver.cuDevicePrimaryCtxRetain(ctx, device), "cuDevicePrimaryCtxRetain");
        ok(JCudaDriver.cuCtxSetCurrent(ctx), "cuCtxSetCurrent");
        ok(JCudaDriver.cuStreamCreate(stream, 0), "cuStreamCreate");
        ok(JCudaDriver.cuStreamCreate(other, 0), "cuStreamCreate");
        ok(JCudaDriver.cuModuleLoadData(module, fatbin()), "cuModuleLoadData");
        ok(JCudaDriver.cuModuleGetFunction(noop, module, BundledKernels.NOOP), "cuModuleGetFunction");
        ok(JCudaDriver.cuModuleGetFunction(scale, module, BundledKernels.SCALE), "cuModuleGetFunction");
        ok(JCudaDriver.cuMemAlloc(one, 4), "cuMemAlloc");
        ok(JCudaDriver.cuMemsetD32(one, Float.floatToIntBits(1f), 1), "cuMemsetD32");
        scaleParams = Pointer.to(Pointer.to(one), Pointer.to(new float[] {1f}), Pointer.to(new int[] {1}));
        ok(JCudaDriver.cuEventCreate(plain, CUevent_flags.CU_EVENT_DISABLE_TIMING), "cuEventCreate");
        ok(JCudaDriver.cuEventCreate(timed, CUevent_flags.CU_EVENT_DEFAULT), "cuEventCreate");
        ok(JCudaDriver.cuEventCreate(start, CUevent_flags.CU_EVENT_DEFAULT), "cuEventCreate");
        ok(JCudaDriver.cuEventCreate(end, CUevent_flags.CU_EVENT_DEFAULT), "cuEventCreate");
        ok(JCudaDriver.cuEventCreate(crossed, CUevent_flags.CU_EVENT_DISABLE_TIMING), "cuEventCreate");
    }

    /** The bundled fatbin, as jgpu's CUDA backend loads it: the same SASS on Ampere and Hopper. */
    private static byte[] fatbin() {
        try (InputStream in = JcudaTarget.class.getClassLoader().getResourceAsStream(BundledBinaries.FATBIN_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundled fatbin " + BundledBinaries.FATBIN_RESOURCE
                        + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void ok(int result, String op) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new IllegalStateException("raw JCuda baseline: " + op + " failed: " + CUresult.stringFor(result));
        }
    }

    private void setCalled() {
        called = true;
    }

    @Override
    public String name() {
        return "jcuda";
    }

    @Override
    public void launchNoop() {
        ok(JCudaDriver.cuLaunchKernel(noop, 1, 1, 1, 256, 1, 1, 0, stream, null, null), "cuLaunchKernel");
    }

    @Override
    public void launchScale() {
        ok(JCudaDriver.cuLaunchKernel(scale, 1, 1, 1, 256, 1, 1, 0, stream, scaleParams, null), "cuLaunchKernel");
    }

    @Override
    public void recordEvent() {
        ok(JCudaDriver.cuEventRecord(plain, stream), "cuEventRecord");
    }

    @Override
    public void recordTimingEvent() {
        ok(JCudaDriver.cuEventRecord(timed, stream), "cuEventRecord");
    }

    @Override
    public boolean queryEvent() {
        return JCudaDriver.cuEventQuery(plain) == CUresult.CUDA_SUCCESS;
    }

    @Override
    public boolean queryStream() {
        return JCudaDriver.cuStreamQuery(stream) == CUresult.CUDA_SUCCESS;
    }

    @Override
    public void synchronize() {
        ok(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    @Override
    public void callbackRoundTrip() {
        called = false;
        ok(JCudaDriver.cuLaunchHostFunc(stream, callback, null), "cuLaunchHostFunc");
        while (!called) {
            Thread.onSpinWait();
        }
    }

    @Override
    public void allocFreeAsync(long bytes) {
        CUdeviceptr p = new CUdeviceptr();
        ok(JCudaDriver.cuMemAllocAsync(p, bytes, stream), "cuMemAllocAsync");
        ok(JCudaDriver.cuMemFreeAsync(p, stream), "cuMemFreeAsync");
    }

    @Override
    public void prepareCopies(long bytes) {
        hostIn = new Pointer();
        hostOut = new Pointer();
        devIn = new CUdeviceptr();
        devOut = new CUdeviceptr();
        ok(JCudaDriver.cuMemAllocHost(hostIn, bytes), "cuMemAllocHost");
        ok(JCudaDriver.cuMemAllocHost(hostOut, bytes), "cuMemAllocHost");
        ok(JCudaDriver.cuMemAlloc(devIn, bytes), "cuMemAlloc");
        ok(JCudaDriver.cuMemAlloc(devOut, bytes), "cuMemAlloc");
        ByteBuffer b = hostIn.getByteBuffer(0, bytes);
        for (int i = 0; i + 8 <= b.capacity(); i += 4096) {
            b.putLong(i, i * 0x9E3779B97F4A7C15L);
        }
        ok(JCudaDriver.cuMemcpyHtoD(devOut, hostIn, bytes), "cuMemcpyHtoD");
    }

    @Override
    public long copyNanos(Copy kind, long bytes) {
        if (kind == Copy.H2D_HEAP || kind == Copy.D2H_HEAP) {
            byte[] a = heap.computeIfAbsent(bytes, b -> {
                byte[] x = new byte[(int) (long) b];
                new Random(42).nextBytes(x);
                return x;
            });
            long t0 = System.nanoTime();
            if (kind == Copy.H2D_HEAP) {
                ok(JCudaDriver.cuMemcpyHtoD(devIn, Pointer.to(a), bytes), "cuMemcpyHtoD");
            } else {
                ok(JCudaDriver.cuMemcpyDtoH(Pointer.to(a), devOut, bytes), "cuMemcpyDtoH");
            }
            return System.nanoTime() - t0;
        }
        ok(JCudaDriver.cuEventRecord(start, stream), "cuEventRecord");
        if (kind == Copy.BIDIR_PINNED) {
            ok(JCudaDriver.cuStreamWaitEvent(other, start, 0), "cuStreamWaitEvent");
            ok(JCudaDriver.cuMemcpyHtoDAsync(devIn, hostIn, bytes, stream), "cuMemcpyHtoDAsync");
            ok(JCudaDriver.cuMemcpyDtoHAsync(hostOut, devOut, bytes, other), "cuMemcpyDtoHAsync");
            ok(JCudaDriver.cuEventRecord(crossed, other), "cuEventRecord");
            ok(JCudaDriver.cuStreamWaitEvent(stream, crossed, 0), "cuStreamWaitEvent");
        } else if (kind == Copy.H2D_PINNED) {
            ok(JCudaDriver.cuMemcpyHtoDAsync(devIn, hostIn, bytes, stream), "cuMemcpyHtoDAsync");
        } else {
            ok(JCudaDriver.cuMemcpyDtoHAsync(hostOut, devOut, bytes, stream), "cuMemcpyDtoHAsync");
        }
        ok(JCudaDriver.cuEventRecord(end, stream), "cuEventRecord");
        ok(JCudaDriver.cuEventSynchronize(end), "cuEventSynchronize");
        float[] ms = new float[1];
        ok(JCudaDriver.cuEventElapsedTime(ms, start, end), "cuEventElapsedTime");
        return Math.round(ms[0] * 1e6);
    }

    @Override
    public void prepareGraph(int kernels) {
        CUgraph g = new CUgraph();
        ok(JCudaDriver.cuStreamBeginCapture(stream, CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL),
                "cuStreamBeginCapture");
        for (int i = 0; i < kernels; i++) {
            launchNoop();
        }
        ok(JCudaDriver.cuStreamEndCapture(stream, g), "cuStreamEndCapture");
        graph = new CUgraphExec();
        ok(JCudaDriver.cuGraphInstantiate(graph, g, 0), "cuGraphInstantiate");
        ok(JCudaDriver.cuGraphDestroy(g), "cuGraphDestroy");
    }

    @Override
    public void launchGraph() {
        ok(JCudaDriver.cuGraphLaunch(graph, stream), "cuGraphLaunch");
    }

    @Override
    public void close() {
        JCudaDriver.cuCtxSynchronize();
        if (graph != null) {
            JCudaDriver.cuGraphExecDestroy(graph);
        }
        if (hostIn != null) {
            JCudaDriver.cuMemFreeHost(hostIn);
            JCudaDriver.cuMemFreeHost(hostOut);
            JCudaDriver.cuMemFree(devIn);
            JCudaDriver.cuMemFree(devOut);
        }
        for (CUevent e : new CUevent[] {plain, timed, start, end, crossed}) {
            JCudaDriver.cuEventDestroy(e);
        }
        JCudaDriver.cuMemFree(one);
        JCudaDriver.cuModuleUnload(module);
        JCudaDriver.cuStreamDestroy(stream);
        JCudaDriver.cuStreamDestroy(other);
        JCudaDriver.cuDevicePrimaryCtxRelease(device);
    }
}
