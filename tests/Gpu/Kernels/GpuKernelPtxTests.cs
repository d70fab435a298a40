using Xunit;
using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using NativeInfer.Kernels.Gpu.Conv;

namespace NativeInfer.Tests.Gpu.Kernels;

/// <summary>
/// Every kernel of the conv, pooling, normalization, softmax, reduce and data families compiles to PTX for SM_80 and
/// SM_90 without a device (ILGPU's PTX backend needs no driver to generate code; for SM_90 it emits sm_80 code).
/// </summary>
public sealed class GpuKernelPtxTests
{
    private static readonly string[] Families =
    [
        "NativeInfer.Kernels.Gpu.Conv", "NativeInfer.Kernels.Gpu.Pooling", "NativeInfer.Kernels.Gpu.Normalization",
        "NativeInfer.Kernels.Gpu.Softmax", "NativeInfer.Kernels.Gpu.Reduce", "NativeInfer.Kernels.Gpu.Data",
        "NativeInfer.Kernels.Gpu.Typed",
    ];

    /// <summary>Kernels are the static methods named *Kernel; those taking an Index1D/2D/3D first are implicitly grouped.</summary>
    public static IEnumerable<MethodInfo> Kernels() =>
        typeof(GpuConvolution).Assembly.GetTypes()
            .Where(t => t.Namespace is { } ns && Families.Contains(ns))
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.Name.EndsWith("Kernel", StringComparison.Ordinal) && m.ReturnType == typeof(void) && !m.IsGenericMethodDefinition)
            .OrderBy(m => m.DeclaringType!.FullName + "." + m.Name, StringComparer.Ordinal);

    [Fact]
    public void EveryKernel_CompilesToPtx()
    {
        var kernels = Kernels().ToList();
        Assert.True(kernels.Count >= 4, $"Found only {kernels.Count} kernels.");
        using var context = Context.Create(b => b.Cuda().EnableAlgorithms());
        foreach (var (arch, isa) in new[] { (CudaArchitecture.SM_80, CudaInstructionSet.ISA_80), (CudaArchitecture.SM_90, CudaInstructionSet.ISA_80) })
        {
            using var backend = new PTXBackend(context, arch, isa, null);
            foreach (var m in kernels)
            {
                var first = m.GetParameters()[0].ParameterType;
                bool implicitGroups = first == typeof(Index1D) || first == typeof(Index2D) || first == typeof(Index3D);
                var entry = implicitGroups
                    ? EntryPointDescription.FromImplicitlyGroupedKernel(m)
                    : EntryPointDescription.FromExplicitlyGroupedKernel(m);
                var compiled = (PTXCompiledKernel)backend.Compile(entry, default);
                Assert.Contains(".entry", compiled.PTXAssembly);
                // ILGPU 1.5.3 writes ".target sm_80" for SM_90 too (its newest code-generation target); the driver JITs it forward.
                Assert.Matches(@"\.target sm_\d+", compiled.PTXAssembly);
            }
        }
    }
}
