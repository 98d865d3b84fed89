#!/usr/bin/env bash
# Builds the native baseline of the `bench` command.
#   bash kernels/bench/build.sh OUT_DIR      # writes OUT_DIR/bench
#   bash kernels/bench/build.sh --check      # compiles only (machines without the driver library)
# Needs nvcc (CUDA 12 or 13) and, to link, the driver library: the toolkit's stub, or the
# installed libcuda.so.1 itself.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUT_DIR | --check}
if [ "$out" = "--check" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  nvcc -O2 -std=c++17 -c -o "$tmp/bench.o" "$here/bench.cu"
  echo "kernels/bench/bench.cu compiles"
  exit 0
fi
mkdir -p "$out"
link=()
for d in "${CUDA_HOME:-/usr/local/cuda}/lib64/stubs" "${CUDA_HOME:-/usr/local/cuda}/targets/x86_64-linux/lib/stubs"; do
  if [ -e "$d/libcuda.so" ]; then
    link=("-L$d" -lcuda)
    break
  fi
done
if [ ${#link[@]} -eq 0 ]; then
  lib=$(ldconfig -p 2>/dev/null | awk '/libcuda\.so\.1 /{print $NF; exit}')
  if [ -z "$lib" ]; then
    echo "no libcuda to link against: set CUDA_HOME to a toolkit with lib64/stubs, or install the NVIDIA driver" >&2
    exit 1
  fi
  link=("$lib")
fi
nvcc -O2 -std=c++17 -o "$out/bench" "$here/bench.cu" "${link[@]}"
echo "wrote $out/bench"
