using Xunit;
using ILGPU;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;

namespace NativeInfer.Tests.Gpu.Kernels;

/// <summary>
/// Every kernel of <see cref="GpuKernelList"/> compiles to PTX for SM_80 and SM_90 (ISA 8.0) without a device
/// (ILGPU's PTX backend needs no driver to generate code; for SM_90 it emits sm_80 code).
/// </summary>
public sealed class GpuKernelPtxTests
{
    [Fact]
    public void EveryKernel_CompilesToPtx()
    {
        var kernels = GpuKernelList.All;
        Assert.True(kernels.Count >= 28, $"Found only {kernels.Count} kernels.");
        using var context = Context.Create(b => b.Cuda().EnableAlgorithms());
        foreach (var (arch, isa) in new[] { (CudaArchitecture.SM_80, CudaInstructionSet.ISA_80), (CudaArchitecture.SM_90, CudaInstructionSet.ISA_80) })
        {
            using var backend = new PTXBackend(context, arch, isa, null);
            foreach (var kernel in kernels)
            {
                var compiled = (PTXCompiledKernel)backend.Compile(kernel.EntryPoint, default);
                Assert.Contains(".entry", compiled.PTXAssembly);
                // ILGPU 1.5.3 writes ".target sm_80" for SM_90 too (its newest code-generation target); the driver JITs it forward.
                Assert.Matches(@"\.target sm_\d+", compiled.PTXAssembly);
            }
        }
    }
}
