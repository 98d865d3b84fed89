#!/usr/bin/env bash
# Compiles the bundled kernels to PTX for jgpu-cuda's resources.
#   bash kernels/build.sh            # writes the committed PTX
#   bash kernels/build.sh OUT_DIR    # writes it elsewhere (the freshness test compares the two)
# Needs nvcc (CUDA 13). The PTX targets compute_75 so one file runs on Turing and newer.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../jgpu-cuda/src/main/resources/org/jgpu/cuda/kernels}
mkdir -p "$out"
for src in "$here"/*.cu; do
  name=$(basename "$src" .cu)
  # the header names the nvcc release; the freshness test compares only against the same release
  nvcc -ptx -arch=compute_75 -O3 -o "$out/$name.ptx" "$src"
  echo "wrote $out/$name.ptx"
done
