package org.jgpu.cuda.blas;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasPointerMode;
import jcuda.jcublas.cublasStatus;
import jcuda.runtime.cudaStream_t;
import org.jgpu.Arg;
import org.jgpu.BackendUnavailableException;
import org.jgpu.DeviceBuffer;
import org.jgpu.GpuException;
import org.jgpu.Stream;
import org.jgpu.cuda.CudaHandles;
import org.jgpu.spi.Extensions;

/**
 * cuBLAS (through JCublas) on a stream's primary context. Row-major calls become column-major
 * ones by swapping operands: (A B)^T = B^T A^T.
 */
final class CublasBlas implements Blas {
    private final Stream stream;
    private final cublasHandle handle = new cublasHandle();
    private volatile boolean closed;

    private CublasBlas(Stream stream) {
        this.stream = stream;
    }

    static Blas create(Stream stream) {
        try {
            JCublas2.setExceptionsEnabled(false);
        } catch (LinkageError e) {
            throw new BackendUnavailableException("cuBLAS cannot be used: JCublas 12.6 needs libcublas.so.12 (cuBLAS of "
                    + "CUDA 12), which could not be loaded (" + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                    + "); install CUDA 12's cuBLAS (e.g. Debian/Ubuntu package libcublas-12-*) and put its directory "
                    + "on LD_LIBRARY_PATH");
        }
        CublasBlas b = new CublasBlas(stream);
        // outside jgpu's locks: the first cublasCreate initializes the library, which takes a while;
        // making the stream's context current first has the runtime API adopt the primary context
        cudaStream_t bound = new cudaStream_t(CudaHandles.stream(Extensions.nativeStream(stream)));
        check(JCublas2.cublasCreate(b.handle), "cublasCreate");
        check(JCublas2.cublasSetStream(b.handle, bound), "cublasSetStream");
        check(JCublas2.cublasSetPointerMode(b.handle, cublasPointerMode.CUBLAS_POINTER_MODE_HOST), "cublasSetPointerMode");
        return b;
    }

    private static void check(int status, String call) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new GpuException(call + " failed: " + cublasStatus.stringFor(status) + " (" + status + ")");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("cuBLAS handle on stream '" + stream.name() + "' is closed");
        }
    }

    /** Makes the stream's context current on this thread (cuBLAS uses the current one); returns the handle. */
    private cublasHandle bind(org.jgpu.spi.NativeStream s) {
        CudaHandles.stream(s);
        return handle;
    }

    private static int op(Transpose t) {
        return t == Transpose.NONE ? cublasOperation.CUBLAS_OP_N : cublasOperation.CUBLAS_OP_T;
    }

    @Override
    public Stream stream() {
        return stream;
    }

    @Override
    public void sgemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b,
            float beta, DeviceBuffer c) {
        ensureOpen();
        BlasShapes.sgemm(m, n, k, a, b, c, ta, tb);
        int lda = ta == Transpose.NONE ? k : m;
        int ldb = tb == Transpose.NONE ? n : k;
        Extensions.enqueue(stream, "cublasSgemm", new Arg[] {Arg.in(a), Arg.in(b), beta == 0f ? Arg.out(c) : Arg.inOut(c)},
                (s, p) -> check(JCublas2.cublasSgemm(bind(s), op(tb), op(ta), n, m, k, Pointer.to(new float[] {alpha}),
                        CudaHandles.device(p[1]), ldb, CudaHandles.device(p[0]), lda, Pointer.to(new float[] {beta}),
                        CudaHandles.device(p[2]), n), "cublasSgemm"));
    }

    @Override
    public void sgemv(Transpose ta, int m, int n, float alpha, DeviceBuffer a, DeviceBuffer x, float beta, DeviceBuffer y) {
        ensureOpen();
        BlasShapes.sgemv(ta, m, n, a, x, y);
        // the row-major m x n matrix is a column-major n x m one: transpose the operation
        int colMajorOp = ta == Transpose.NONE ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        Extensions.enqueue(stream, "cublasSgemv", new Arg[] {Arg.in(a), Arg.in(x), beta == 0f ? Arg.out(y) : Arg.inOut(y)},
                (s, p) -> check(JCublas2.cublasSgemv(bind(s), colMajorOp, n, m, Pointer.to(new float[] {alpha}),
                        CudaHandles.device(p[0]), n, CudaHandles.device(p[1]), 1, Pointer.to(new float[] {beta}),
                        CudaHandles.device(p[2]), 1), "cublasSgemv"));
    }

    @Override
    public void saxpy(int n, float alpha, DeviceBuffer x, DeviceBuffer y) {
        ensureOpen();
        BlasShapes.vectors("saxpy", n, x, y);
        Extensions.enqueue(stream, "cublasSaxpy", new Arg[] {Arg.in(x), Arg.inOut(y)},
                (s, p) -> check(JCublas2.cublasSaxpy(bind(s), n, Pointer.to(new float[] {alpha}), CudaHandles.device(p[0]), 1,
                        CudaHandles.device(p[1]), 1), "cublasSaxpy"));
    }

    @Override
    public void sdot(int n, DeviceBuffer x, DeviceBuffer y, DeviceBuffer result) {
        ensureOpen();
        BlasShapes.vectors("sdot", n, x, y);
        BlasShapes.holds("sdot", "result", result, 1, "1");
        Extensions.enqueue(stream, "cublasSdot", new Arg[] {Arg.in(x), Arg.in(y), Arg.out(result)}, (s, p) -> {
            // device pointer mode: the result stays on the device and the call stays asynchronous
            check(JCublas2.cublasSetPointerMode(bind(s), cublasPointerMode.CUBLAS_POINTER_MODE_DEVICE), "cublasSetPointerMode");
            try {
                check(JCublas2.cublasSdot(handle, n, CudaHandles.device(p[0]), 1, CudaHandles.device(p[1]), 1,
                        CudaHandles.device(p[2])), "cublasSdot");
            } finally {
                JCublas2.cublasSetPointerMode(handle, cublasPointerMode.CUBLAS_POINTER_MODE_HOST);
            }
        });
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (stream.isOpen()) {   // a closed stream already waited for its work
                stream.synchronize();
            }
            check(JCublas2.cublasDestroy(handle), "cublasDestroy");
        }
    }
}
