// The kernels bundled with jgpu. Each has a Java twin with the same name, parameters and
// results in jgpu-api (org.jgpu.host.kernels.BundledTwins), and its contract (parameter types
// and which buffers it reads or writes) in org.jgpu.BundledKernels.
//
// Every element-wise kernel uses a grid-stride loop, so any launch configuration covers all n
// elements and the result never depends on the grid.

extern "C" __global__ void vector_add(const float* __restrict__ a, const float* __restrict__ b,
                                      float* __restrict__ c, int n) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        c[i] = a[i] + b[i];
    }
}

extern "C" __global__ void saxpy(float a, const float* __restrict__ x, float* __restrict__ y, int n) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        y[i] = a * x[i] + y[i];
    }
}

extern "C" __global__ void scale(float* __restrict__ x, float factor, int n) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        x[i] = factor * x[i];
    }
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
