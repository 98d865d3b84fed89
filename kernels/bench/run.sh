#!/usr/bin/env bash
# Runs the GPU benchmarks of docs/performance.md and writes their raw logs to OUT_DIR:
# the native baseline, `bench` (jgpu, raw JCuda and native side by side), and `compare` on the
# ResNet-50 profile, a copy-bound and a compute-bound real workload.
#   bash kernels/bench/run.sh OUT_DIR
# JGPU_JAVA is how to start the examples' main class (default: the shaded jar), e.g.
#   JGPU_JAVA="bash .gpu/run.sh java org.jgpu.examples.Main" bash kernels/bench/run.sh "$OUT"
set -euo pipefail
out=${1:?usage: run.sh OUT_DIR}
mkdir -p "$out"
java=${JGPU_JAVA:-java -jar jgpu-examples/target/jgpu-examples.jar}
image=jgpu-cuda/src/main/resources/org/jgpu/cuda/kernels/jgpu_kernels.fatbin
{
  echo "# $(date -u +%FT%TZ)"
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv || true
  nproc
} > "$out/machine.txt" 2>&1
bash "$(dirname "$0")/build.sh" "$out/native-bin"
"$out/native-bin/bench" "$image" --repeats 31 | tee "$out/native.jsonl"
$java bench --backend cuda --repeats 31 --native "$out/native.jsonl" 2>&1 | tee "$out/bench.log"
$java compare --backend cuda --profile resnet50 --scale 0.2 --batches 100 2>&1 | tee "$out/compare-resnet50.log"
$java compare --backend cuda --workload real --mb 64 --iters 1 --batches 50 2>&1 | tee "$out/compare-copy-bound.log"
$java compare --backend cuda --workload real --mb 4 --iters 4000 --batches 50 2>&1 | tee "$out/compare-compute-bound.log"
rm -rf "$out/native-bin"
