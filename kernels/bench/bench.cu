// The native baseline of jgpu's `bench` command: the same measurements, names, batch sizes and
// statistic (median of repeats after a warm-up), written against the CUDA driver API and
// launching the same bundled fatbin (or PTX), so the three columns (jgpu, raw JCuda, native) compare like
// with like. Prints one JSON object per line; `bench --native FILE` reads them.
//
//   bash kernels/bench/build.sh OUT_DIR
//   OUT_DIR/bench jgpu-cuda/src/main/resources/org/jgpu/cuda/kernels/jgpu_kernels.fatbin [--repeats N] [--max-mb N]
#include <cuda.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace {

// the same constants as org.jgpu.examples.bench.Suite
constexpr int kBatch = 100;
constexpr int kQueryBatch = 1000;
constexpr int kThroughputLaunches = 1000;
constexpr int kGraphKernels = 20;
constexpr size_t kAllocBytes = 1 << 20;
constexpr size_t kLargeCopy = 256ull << 20;
constexpr unsigned kBlock = 256;

void ok(CUresult r, const char* op) {
  if (r != CUDA_SUCCESS) {
    const char* name = "?";
    cuGetErrorName(r, &name);
    std::fprintf(stderr, "native bench: %s failed: %s (%d)\n", op, name, static_cast<int>(r));
    std::exit(1);
  }
}

double nowNs() {
  return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Sampler {
  int warmUps;
  int repeats;
  double median(const std::function<double()>& sample) const {
    for (int i = 0; i < warmUps; i++) sample();
    std::vector<double> v(repeats);
    for (int i = 0; i < repeats; i++) v[i] = sample();
    std::sort(v.begin(), v.end());
    int n = static_cast<int>(v.size());
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
  Sampler withRepeats(int r) const { return Sampler{warmUps, r}; }
};

void row(const std::string& name, const char* unit, double value) {
  // JSON has no NaN or infinity: a value that is not finite is null
  if (std::isfinite(value)) {
    std::printf("{\"name\":\"%s\",\"unit\":\"%s\",\"value\":%.6g}\n", name.c_str(), unit, value);
  } else {
    std::printf("{\"name\":\"%s\",\"unit\":\"%s\",\"value\":null}\n", name.c_str(), unit);
  }
  std::fflush(stdout);
}

std::string sizeName(size_t bytes) {
  char b[32];
  if (bytes >= (1ull << 30) && bytes % (1ull << 30) == 0) std::snprintf(b, sizeof b, "%zuGiB", bytes >> 30);
  else if (bytes >= (1ull << 20) && bytes % (1ull << 20) == 0) std::snprintf(b, sizeof b, "%zuMiB", bytes >> 20);
  else std::snprintf(b, sizeof b, "%zuKiB", bytes >> 10);
  return b;
}

std::atomic<bool> called{false};
void CUDA_CB onHost(void*) { called.store(true, std::memory_order_release); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FATBIN_OR_PTX_FILE [--repeats N] [--max-mb N]\n", argv[0]);
    return 2;
  }
  int repeats = 31;
  size_t maxBytes = 1ull << 30;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--repeats")) repeats = std::max(1, std::atoi(argv[i + 1]));
    else if (!std::strcmp(argv[i], "--max-mb")) maxBytes = static_cast<size_t>(std::max(1, std::atoi(argv[i + 1]))) << 20;
    else { std::fprintf(stderr, "unknown option %s\n", argv[i]); return 2; }
  }
  Sampler sampler{std::max(20, repeats), repeats};  // as Bench.warmUps

  std::ifstream in(argv[1], std::ios::binary);
  if (!in) { std::fprintf(stderr, "cannot read %s\n", argv[1]); return 2; }
  std::stringstream image;  // a fatbin, or PTX text (NUL-terminated by c_str())
  image << in.rdbuf();

  ok(cuInit(0), "cuInit");
  CUdevice dev;
  ok(cuDeviceGet(&dev, 0), "cuDeviceGet");
  CUcontext ctx;
  ok(cuDevicePrimaryCtxRetain(&ctx, dev), "cuDevicePrimaryCtxRetain");
  ok(cuCtxSetCurrent(ctx), "cuCtxSetCurrent");
  char name[256];
  ok(cuDeviceGetName(name, sizeof name, dev), "cuDeviceGetName");
  int driver = 0;
  ok(cuDriverGetVersion(&driver), "cuDriverGetVersion");
  std::printf("# native baseline on %s, CUDA driver API %d.%d, median of %d after %d warm-up\n", name, driver / 1000,
              (driver % 1000) / 10, sampler.repeats, sampler.warmUps);

  CUstream stream, other;
  ok(cuStreamCreate(&stream, 0), "cuStreamCreate");
  ok(cuStreamCreate(&other, 0), "cuStreamCreate");
  CUmodule module;
  ok(cuModuleLoadData(&module, image.str().c_str()), "cuModuleLoadData");
  CUfunction noop, scale;
  ok(cuModuleGetFunction(&noop, module, "noop"), "cuModuleGetFunction(noop)");
  ok(cuModuleGetFunction(&scale, module, "scale"), "cuModuleGetFunction(scale)");
  CUdeviceptr one;
  ok(cuMemAlloc(&one, 4), "cuMemAlloc");
  float oneF = 1.0f;
  unsigned oneBits;
  std::memcpy(&oneBits, &oneF, 4);
  ok(cuMemsetD32(one, oneBits, 1), "cuMemsetD32");
  float factor = 1.0f;
  int n = 1;
  void* scaleParams[] = {&one, &factor, &n};
  CUevent plain, timed, start, end, crossed;
  ok(cuEventCreate(&plain, CU_EVENT_DISABLE_TIMING), "cuEventCreate");
  ok(cuEventCreate(&timed, CU_EVENT_DEFAULT), "cuEventCreate");
  ok(cuEventCreate(&start, CU_EVENT_DEFAULT), "cuEventCreate");
  ok(cuEventCreate(&end, CU_EVENT_DEFAULT), "cuEventCreate");
  ok(cuEventCreate(&crossed, CU_EVENT_DISABLE_TIMING), "cuEventCreate");

  auto launchNoop = [&] { ok(cuLaunchKernel(noop, 1, 1, 1, kBlock, 1, 1, 0, stream, nullptr, nullptr), "cuLaunchKernel"); };
  auto launchScale = [&] { ok(cuLaunchKernel(scale, 1, 1, 1, kBlock, 1, 1, 0, stream, scaleParams, nullptr), "cuLaunchKernel"); };
  auto sync = [&] { ok(cuStreamSynchronize(stream), "cuStreamSynchronize"); };
  // median microseconds of one call, from samples of k calls; synchronizes after each sample
  auto perOpMicros = [&](int k, const std::function<void()>& op) {
    return sampler.median([&] {
      double t0 = nowNs();
      for (int i = 0; i < k; i++) op();
      double e = nowNs() - t0;
      sync();
      return e / k;
    }) / 1e3;
  };

  row("launch.enqueue", "us", perOpMicros(kBatch, launchNoop));
  row("launch.args.enqueue", "us", perOpMicros(kBatch, launchScale));
  row("launch.throughput", "launches/s", 1e9 / sampler.median([&] {
    double t0 = nowNs();
    for (int i = 0; i < kThroughputLaunches; i++) launchNoop();
    sync();
    return (nowNs() - t0) / kThroughputLaunches;
  }));
  CUgraph g;
  ok(cuStreamBeginCapture(stream, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL), "cuStreamBeginCapture");
  for (int i = 0; i < kGraphKernels; i++) launchNoop();
  ok(cuStreamEndCapture(stream, &g), "cuStreamEndCapture");
  CUgraphExec graph;
  ok(cuGraphInstantiate(&graph, g, 0), "cuGraphInstantiate");
  int graphs = kThroughputLaunches / kGraphKernels;
  row("graph.throughput", "launches/s", 1e9 / sampler.median([&] {
    double t0 = nowNs();
    for (int i = 0; i < graphs; i++) ok(cuGraphLaunch(graph, stream), "cuGraphLaunch");
    sync();
    return (nowNs() - t0) / (graphs * kGraphKernels);
  }));
  row("event.record", "us", perOpMicros(kBatch, [&] { ok(cuEventRecord(plain, stream), "cuEventRecord"); }));
  row("event.record.timing", "us", perOpMicros(kBatch, [&] { ok(cuEventRecord(timed, stream), "cuEventRecord"); }));
  ok(cuEventRecord(plain, stream), "cuEventRecord");
  sync();
  row("event.query", "us", perOpMicros(kQueryBatch, [&] { (void)cuEventQuery(plain); }));
  row("stream.query", "us", perOpMicros(kQueryBatch, [&] { (void)cuStreamQuery(stream); }));
  row("stream.sync.idle", "us", perOpMicros(kQueryBatch, sync));
  row("callback.roundtrip", "us", sampler.withRepeats(4 * sampler.repeats).median([&] {
    double t0 = nowNs();
    called.store(false);
    ok(cuLaunchHostFunc(stream, onHost, nullptr), "cuLaunchHostFunc");
    while (!called.load(std::memory_order_acquire)) {
    }
    return nowNs() - t0;
  }) / 1e3);
  row("alloc.async", "us", sampler.median([&] {
    double t0 = nowNs();
    for (int i = 0; i < kBatch; i++) {
      CUdeviceptr p;
      ok(cuMemAllocAsync(&p, kAllocBytes, stream), "cuMemAllocAsync");
      ok(cuMemFreeAsync(p, stream), "cuMemFreeAsync");
    }
    sync();
    return (nowNs() - t0) / kBatch;
  }) / 1e3);

  std::vector<size_t> sizes;
  for (size_t s : {4ull << 10, 64ull << 10, 1ull << 20, 16ull << 20, 64ull << 20, 256ull << 20, 1ull << 30}) {
    if (s <= maxBytes) sizes.push_back(s);
  }
  if (!sizes.empty()) {
    size_t max = sizes.back();
    void *hostIn, *hostOut;
    ok(cuMemAllocHost(&hostIn, max), "cuMemAllocHost");
    ok(cuMemAllocHost(&hostOut, max), "cuMemAllocHost");
    CUdeviceptr devIn, devOut;
    ok(cuMemAlloc(&devIn, max), "cuMemAlloc");
    ok(cuMemAlloc(&devOut, max), "cuMemAlloc");
    // never time all-zero data: the same pattern as the JVM side
    for (size_t i = 0; i + 8 <= max; i += 4096) {
      unsigned long long v = static_cast<unsigned long long>(i) * 0x9E3779B97F4A7C15ull;
      std::memcpy(static_cast<char*>(hostIn) + i, &v, 8);
    }
    ok(cuMemcpyHtoD(devOut, hostIn, max), "cuMemcpyHtoD");
    std::vector<char> heap(max);
    for (size_t i = 0; i < max; i++) heap[i] = static_cast<char>(i * 131 + 7);
    auto timedCopy = [&](int kind, size_t bytes) {  // 0 h2d, 1 d2h, 2 both at once
      ok(cuEventRecord(start, stream), "cuEventRecord");
      if (kind == 2) {
        ok(cuStreamWaitEvent(other, start, 0), "cuStreamWaitEvent");
        ok(cuMemcpyHtoDAsync(devIn, hostIn, bytes, stream), "cuMemcpyHtoDAsync");
        ok(cuMemcpyDtoHAsync(hostOut, devOut, bytes, other), "cuMemcpyDtoHAsync");
        ok(cuEventRecord(crossed, other), "cuEventRecord");
        ok(cuStreamWaitEvent(stream, crossed, 0), "cuStreamWaitEvent");
      } else if (kind == 0) {
        ok(cuMemcpyHtoDAsync(devIn, hostIn, bytes, stream), "cuMemcpyHtoDAsync");
      } else {
        ok(cuMemcpyDtoHAsync(hostOut, devOut, bytes, stream), "cuMemcpyDtoHAsync");
      }
      ok(cuEventRecord(end, stream), "cuEventRecord");
      ok(cuEventSynchronize(end), "cuEventSynchronize");
      float ms = 0;
      ok(cuEventElapsedTime(&ms, start, end), "cuEventElapsedTime");
      return static_cast<double>(ms) * 1e6;
    };
    for (size_t s : sizes) {
      Sampler sm = s >= kLargeCopy ? Sampler{2, std::min(5, sampler.repeats)} : sampler;
      std::string sz = sizeName(s);
      // bytes per nanosecond is GB/s
      row("copy.h2d.pinned." + sz, "GB/s", s / sm.median([&] { return timedCopy(0, s); }));
      row("copy.d2h.pinned." + sz, "GB/s", s / sm.median([&] { return timedCopy(1, s); }));
      row("copy.bidir.pinned." + sz, "GB/s", 2.0 * s / sm.median([&] { return timedCopy(2, s); }));
      row("copy.h2d.heap." + sz, "GB/s", s / sm.median([&] {
        double t0 = nowNs();
        ok(cuMemcpyHtoD(devIn, heap.data(), s), "cuMemcpyHtoD");
        return nowNs() - t0;
      }));
      row("copy.d2h.heap." + sz, "GB/s", s / sm.median([&] {
        double t0 = nowNs();
        ok(cuMemcpyDtoH(heap.data(), devOut, s), "cuMemcpyDtoH");
        return nowNs() - t0;
      }));
    }
    cuMemFreeHost(hostIn);
    cuMemFreeHost(hostOut);
    cuMemFree(devIn);
    cuMemFree(devOut);
  }
  cuGraphExecDestroy(graph);
  cuGraphDestroy(g);
  cuCtxSynchronize();
  cuDevicePrimaryCtxRelease(dev);
  return 0;
}
