#!/usr/bin/env bash
# One-command check of the ILGPU backend (under 8 minutes): builds, runs the GPU test class on CUDA (or, with no NVIDIA
# GPU, on ILGPU's CPU accelerator, and says so), prints GEMM TFLOP/s (4096³ FP32 on a GPU), then model latencies on the
# chosen backend (nodes without a GPU kernel fall back to the CPU, as `inspect --backend` shows).
set -euo pipefail
cd "$(dirname "$0")/.."
export NATIVEINFER_ONNX_TESTS="${NATIVEINFER_ONNX_TESTS:-$(pwd)/../shared/onnx-backend}"

echo "== build"
dotnet build NativeInfer.sln -c Release -nologo -v q

if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
  backend=cuda
  classes="FullyQualifiedName~NativeInfer.Tests.Gpu.Backend.CudaBackendTests|FullyQualifiedName~NativeInfer.Tests.Gpu.Backend.GpuKernelCompileTests"
  nvidia-smi -L
else
  backend=ilgpu-cpu
  classes="FullyQualifiedName~NativeInfer.Tests.Gpu.Backend.IlgpuCpuBackendTests|FullyQualifiedName~NativeInfer.Tests.Gpu.Backend.GpuKernelCompileTests"
  echo "No NVIDIA GPU found: running on ILGPU's CPU accelerator (a simulator: correctness only, its timings are no speed)."
fi

echo "== GPU tests ($backend)"
timeout 300 dotnet test tests -c Release --no-build --filter "$classes" --logger "console;verbosity=minimal" || echo "GPU tests FAILED"

echo "== GEMM ($backend)"
timeout 120 dotnet run --project cli -c Release --no-build -- gpu-gemm --backend "$backend" || echo "GEMM check FAILED"

if [ "$backend" = cuda ]; then
  echo "== model latencies (cuda; CPU fallback where a node has no GPU kernel yet)"
  for model in "$NATIVEINFER_ONNX_TESTS/light/light_resnet50.onnx" ""; do
    label=${model:-ResNet18 (embedded)}
    echo "-- $label"
    timeout 60 dotnet run --project cli -c Release --no-build -- bench $model --backend cuda --iters 10 --warmup 2 || echo "bench FAILED: $label"
  done
fi
