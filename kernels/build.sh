#!/usr/bin/env bash
# Compiles the bundled kernels for jgpu-cuda's resources: PTX and a fat binary.
#   bash kernels/build.sh            # writes the committed PTX and fatbin
#   bash kernels/build.sh OUT_DIR    # writes them elsewhere (the freshness test compares)
# Needs nvcc, ptxas and fatbinary (CUDA 13).
#
# PTX: nvcc writes compute_75 (Turing and newer) code declared as the ISA of its own release
# (9.0 for CUDA 13, which only R580+ drivers load). The kernels use nothing newer than ISA 6.x,
# so the file declares ISA $PTX_ISA instead: any driver this backend runs on (CUDA 11.4+, for
# cuMemAllocAsync and cuGraphInstantiateWithFlags) can JIT it. ptxas then assembles the declared
# file for sm_75, which fails if an instruction needs a newer ISA than the one declared.
#
# fatbin: SASS for sm_80 (Ampere; sm_86/sm_89 run it too) and sm_90 (Hopper), assembled from
# that same PTX, plus the PTX for every other GPU. The backend loads it, so those GPUs load
# the module without a JIT compile. Every image is compressed with LZ4 (mode "speed", about
# 44 KB in all), which drivers have read for many releases; CUDA 13's default (zstd, 30 KB)
# needs a recent driver. Where a driver refuses the fatbin, the backend loads the PTX instead.
set -euo pipefail
PTX_ISA=7.0
SASS_ARCHS="80 90"
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../jgpu-cuda/src/main/resources/org/jgpu/cuda/kernels}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for src in "$here"/*.cu; do
  name=$(basename "$src" .cu)
  # the header names the nvcc release; the freshness test compares only against the same release
  nvcc -ptx -arch=compute_75 -O3 -o "$tmp/$name.ptx" "$src"
  if ! grep -qE '^\.version [0-9]+\.[0-9]+$' "$tmp/$name.ptx"; then
    echo "no .version line in nvcc's PTX for $name" >&2
    exit 1
  fi
  sed -E "s/^\.version [0-9]+\.[0-9]+$/.version $PTX_ISA/" "$tmp/$name.ptx" > "$out/$name.ptx"
  ptxas -arch=sm_75 -o /dev/null "$out/$name.ptx"
  echo "wrote $out/$name.ptx (PTX ISA $PTX_ISA)"
  images=()
  for sm in $SASS_ARCHS; do
    ptxas -O3 -arch=sm_$sm -o "$tmp/$name.sm_$sm.cubin" "$out/$name.ptx"
    images+=("--image3=kind=elf,sm=$sm,file=$tmp/$name.sm_$sm.cubin")
  done
  fatbinary --64 --compress-all --compress-mode=speed --create="$out/$name.fatbin" "${images[@]}" \
    "--image3=kind=ptx,sm=75,file=$out/$name.ptx"
  echo "wrote $out/$name.fatbin (SASS sm_${SASS_ARCHS// /, sm_}; PTX for the rest)"
done
