package org.jgpu.cuda.blas;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasPointerMode;
import jcuda.jcublas.cublasStatus;
import jcuda.runtime.cudaStream_t;
import org.jgpu.Arg;
import org.jgpu.DeviceBuffer;
import org.jgpu.GpuException;
import org.jgpu.Stream;
import org.jgpu.blas.BlasBackend;
import org.jgpu.blas.Transpose;
import org.jgpu.cuda.CudaHandles;
import org.jgpu.spi.Extensions;
import org.jgpu.spi.NativeStream;

/**
 * cuBLAS (through JCublas) on a stream's primary context. Row-major calls become column-major
 * ones by swapping operands: (A B)^T = B^T A^T. Every call runs under the context's enqueue lock
 * (see {@link Extensions#enqueue}), so the handle, shared by the threads using the stream's
 * {@link org.jgpu.blas.Blas}, is used by one thread at a time.
 */
final class CublasBlas implements BlasBackend {
    /** The backend stream, kept to bind its context when closing after the stream closed. */
    private final NativeStream nat;
    private final cublasHandle handle = new cublasHandle();

    private CublasBlas(NativeStream nat) {
        this.nat = nat;
    }

    /**
     * @param nat the backend stream of the stream the calls enqueue on
     * @return cuBLAS bound to the stream
     * @throws org.jgpu.BackendUnavailableException if JCublas or cuBLAS cannot be loaded
     * @throws GpuException if cuBLAS cannot make a handle (nothing is left allocated)
     */
    static CublasBlas create(NativeStream nat) {
        CublasLibrary.require();
        CublasBlas b = new CublasBlas(nat);
        // outside jgpu's enqueue lock: the first cublasCreate initializes the library, which takes
        // a while; making the stream's context current first has the runtime API adopt the primary context
        cudaStream_t bound = new cudaStream_t(CudaHandles.stream(b.nat));
        check(JCublas2.cublasCreate(b.handle), "cublasCreate");
        try {
            check(JCublas2.cublasSetStream(b.handle, bound), "cublasSetStream");
            check(JCublas2.cublasSetPointerMode(b.handle, cublasPointerMode.CUBLAS_POINTER_MODE_HOST),
                    "cublasSetPointerMode");
        } catch (RuntimeException e) {
            JCublas2.cublasDestroy(b.handle);   // the set-up failure is the news
            throw e;
        }
        return b;
    }

    private static void check(int status, String call) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new GpuException(call + " failed: " + cublasStatus.stringFor(status) + " (" + status + ")");
        }
    }

    /** Makes the stream's context current on this thread (cuBLAS uses the current one); returns the handle. */
    private cublasHandle bind(NativeStream s) {
        CudaHandles.stream(s);
        return handle;
    }

    private static int op(Transpose t) {
        return t == Transpose.NONE ? cublasOperation.CUBLAS_OP_N : cublasOperation.CUBLAS_OP_T;
    }

    @Override
    public void sgemm(Stream stream, Transpose ta, Transpose tb, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b,
            float beta, DeviceBuffer c) {
        int lda = ta == Transpose.NONE ? k : m;
        int ldb = tb == Transpose.NONE ? n : k;
        Extensions.enqueue(stream, "cublasSgemm", new Arg[] {Arg.in(a), Arg.in(b), beta == 0f ? Arg.out(c) : Arg.inOut(c)},
                (s, p) -> check(JCublas2.cublasSgemm(bind(s), op(tb), op(ta), n, m, k, Pointer.to(new float[] {alpha}),
                        CudaHandles.device(p[1]), ldb, CudaHandles.device(p[0]), lda, Pointer.to(new float[] {beta}),
                        CudaHandles.device(p[2]), n), "cublasSgemm"));
    }

    @Override
    public void sgemv(Stream stream, Transpose ta, int m, int n, float alpha, DeviceBuffer a, DeviceBuffer x, float beta,
            DeviceBuffer y) {
        // the row-major m x n matrix is a column-major n x m one: transpose the operation
        int colMajorOp = ta == Transpose.NONE ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        Extensions.enqueue(stream, "cublasSgemv", new Arg[] {Arg.in(a), Arg.in(x), beta == 0f ? Arg.out(y) : Arg.inOut(y)},
                (s, p) -> check(JCublas2.cublasSgemv(bind(s), colMajorOp, n, m, Pointer.to(new float[] {alpha}),
                        CudaHandles.device(p[0]), n, CudaHandles.device(p[1]), 1, Pointer.to(new float[] {beta}),
                        CudaHandles.device(p[2]), 1), "cublasSgemv"));
    }

    @Override
    public void saxpy(Stream stream, int n, float alpha, DeviceBuffer x, DeviceBuffer y) {
        Extensions.enqueue(stream, "cublasSaxpy", new Arg[] {Arg.in(x), Arg.inOut(y)},
                (s, p) -> check(JCublas2.cublasSaxpy(bind(s), n, Pointer.to(new float[] {alpha}), CudaHandles.device(p[0]), 1,
                        CudaHandles.device(p[1]), 1), "cublasSaxpy"));
    }

    @Override
    public void sdot(Stream stream, int n, DeviceBuffer x, DeviceBuffer y, DeviceBuffer result) {
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

    /**
     * {@inheritDoc} Destroys the handle with the stream's context current on this thread (cuBLAS
     * frees its workspace in the current context). If the context was lost, binding it fails and
     * the handle is left for the process's end (CUDA needs a new process after a sticky error).
     */
    @Override
    public void close() {
        CudaHandles.stream(nat);   // binds the context on this thread
        check(JCublas2.cublasDestroy(handle), "cublasDestroy");
    }
}
