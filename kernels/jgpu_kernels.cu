// The kernels bundled with jgpu. Each has a Java twin with the same name, parameters and
// results in jgpu-api (org.jgpu.sim.internal.BundledTwins), and its contract (parameter types
// and which buffers it reads or writes) in org.jgpu.BundledKernels.
//
// Every element-wise kernel uses a grid-stride loop, so any launch configuration covers all n
// elements and the result never depends on the grid. Its index is 64-bit: with an int index,
// i + stride wraps negative once n is near 2^31 (an 8 GiB float buffer fits on one GPU).
//
// jgpu checks every launch of these kernels before it is enqueued (counts not negative, buffers
// large enough and aligned, k in [1, 64]); the kernels still refuse what would write outside
// their own local arrays or turn two negative counts into a positive total, so that a launch
// from code that bypasses those checks returns instead of corrupting memory.

extern "C" __global__ void vector_add(const float* __restrict__ a, const float* __restrict__ b,
                                      float* __restrict__ c, int n) {
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;
         i += (long long)gridDim.x * blockDim.x) {
        c[i] = a[i] + b[i];
    }
}

// acc += x: the reduction step of DeviceGroup.allReduceSum, one device's share added to another's.
extern "C" __global__ void accumulate(float* __restrict__ acc, const float* __restrict__ x, int n) {
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;
         i += (long long)gridDim.x * blockDim.x) {
        acc[i] += x[i];
    }
}

extern "C" __global__ void saxpy(float a, const float* __restrict__ x, float* __restrict__ y, int n) {
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;
         i += (long long)gridDim.x * blockDim.x) {
        // one rounding, written out so that the twin (Math.fma) need not guess what nvcc contracts
        y[i] = __fmaf_rn(a, x[i], y[i]);
    }
}

extern "C" __global__ void scale(float* __restrict__ x, float factor, int n) {
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;
         i += (long long)gridDim.x * blockDim.x) {
        x[i] = factor * x[i];
    }
}

// Does nothing: what a launch costs when the kernel costs nothing (launch overhead benchmarks).
extern "C" __global__ void noop() {
}

// Keeps the calling thread busy for ns nanoseconds of the device's global timer: a kernel of
// known duration, for overlap experiments. Launch it with one block of one thread to occupy
// one SM, or with a full grid to occupy the device.
extern "C" __global__ void spin(long long ns) {
    unsigned long long start;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(start));
    unsigned long long now = start;
    while ((long long)(now - start) < ns) {
        asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(now));
    }
}

// x[i] = fma(x[i], 0.999f, 0.001f), iters times: an arithmetic-intensity knob (2 * iters flops
// per 8 bytes moved). fmaf rounds once, exactly like Java's Math.fma, so twins agree bit for bit.
extern "C" __global__ void fma_loop(float* __restrict__ x, int n, int iters) {
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;
         i += (long long)gridDim.x * blockDim.x) {
        float v = x[i];
        for (int k = 0; k < iters; k++) {
            v = fmaf(v, 0.999f, 0.001f);
        }
        x[i] = v;
    }
}

// out[q * nb + b] = sum over d of (queries[q * dim + d] - base[b * dim + d])^2, accumulated in
// order of d with fmaf, one thread per (q, b) pair.
extern "C" __global__ void l2_distances(const float* __restrict__ queries, const float* __restrict__ base,
                                        float* __restrict__ out, int nq, int nb, int dim) {
    if (nq < 0 || nb < 0 || dim < 0) {
        return;
    }
    long long total = (long long)nq * nb;
    for (long long p = blockIdx.x * (long long)blockDim.x + threadIdx.x; p < total;
         p += (long long)gridDim.x * blockDim.x) {
        int q = (int)(p / nb);
        int b = (int)(p % nb);
        const float* qv = queries + (long long)q * dim;
        const float* bv = base + (long long)b * dim;
        float acc = 0.0f;
        for (int d = 0; d < dim; d++) {
            float diff = qv[d] - bv[d];
            acc = fmaf(diff, diff, acc);
        }
        out[p] = acc;
    }
}

#define JGPU_TOPK_MAX 64

// For each query row of dist (nq x nb), the k smallest distances in ascending order and their
// column indexes; ties go to the smaller index. One thread per query; k <= 64.
extern "C" __global__ void topk_smallest(const float* __restrict__ dist, int* __restrict__ outIdx,
                                         float* __restrict__ outDist, int nq, int nb, int k) {
    if (k < 1 || k > JGPU_TOPK_MAX) {
        return;   // bestD[k - 1] and the local arrays hold 1..64 entries
    }
    for (long long q = blockIdx.x * (long long)blockDim.x + threadIdx.x; q < nq;
         q += (long long)gridDim.x * blockDim.x) {
        float bestD[JGPU_TOPK_MAX];
        int bestI[JGPU_TOPK_MAX];
        int count = 0;
        const float* row = dist + (long long)q * nb;
        for (int b = 0; b < nb; b++) {
            float d = row[b];
            if (count == k && !(d < bestD[k - 1])) {
                continue;
            }
            int pos = count < k ? count++ : k - 1;
            while (pos > 0 && d < bestD[pos - 1]) {
                bestD[pos] = bestD[pos - 1];
                bestI[pos] = bestI[pos - 1];
                pos--;
            }
            bestD[pos] = d;
            bestI[pos] = b;
        }
        for (int j = 0; j < k; j++) {
            outIdx[(long long)q * k + j] = j < count ? bestI[j] : -1;
            outDist[(long long)q * k + j] = j < count ? bestD[j] : __int_as_float(0x7f800000);
        }
    }
}

// x[r * cols + c] = max(0, x[r * cols + c] + bias[c]): a dense layer's epilogue.
extern "C" __global__ void bias_relu(float* __restrict__ x, const float* __restrict__ bias, int rows, int cols) {
    if (rows < 0 || cols < 0) {
        return;
    }
    long long total = (long long)rows * cols;
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total;
         i += (long long)gridDim.x * blockDim.x) {
        float v = x[i] + bias[i % cols];
        x[i] = v > 0.0f ? v : 0.0f;
    }
}

// A long-running job that reports progress and can be cancelled: for step = 1..steps, spin for
// nsPerStep, then write step to progress[0]; stop early once cancel[0] != 0. progress and cancel
// are meant to live in mapped pinned memory, which the host reads and writes while the kernel
// runs. Launch with one thread.
extern "C" __global__ void progress_loop(unsigned long long* progress, const volatile int* cancel,
                                         long long steps, long long nsPerStep) {
    if (blockIdx.x != 0 || threadIdx.x != 0) {
        return;
    }
    for (long long step = 1; step <= steps; step++) {
        if (cancel[0] != 0) {
            break;
        }
        unsigned long long start;
        asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(start));
        unsigned long long now = start;
        while ((long long)(now - start) < nsPerStep) {
            asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(now));
        }
        *(volatile unsigned long long*)progress = (unsigned long long)step;
        __threadfence_system();
    }
}
