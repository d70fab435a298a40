using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using NativeInfer.Kernels.Gpu.Gemm;

namespace NativeInfer.Tests.Gpu;

/// <summary>One GPU kernel: a readable name, its method, and whether it is explicitly grouped (shared memory, barriers).</summary>
public readonly record struct GpuKernelEntry(string Name, MethodInfo Method, bool ExplicitlyGrouped)
{
    /// <summary>The entry point ILGPU's backends compile.</summary>
    public EntryPointDescription EntryPoint => ExplicitlyGrouped
        ? EntryPointDescription.FromExplicitlyGroupedKernel(Method)
        : EntryPointDescription.FromImplicitlyGroupedKernel(Method);

    public override string ToString() => Name;
}

/// <summary>
/// The one list of every GPU kernel, shared by the offline compile checks (PTX: <c>GpuKernelPtxTests</c>,
/// <c>GpuKernelCompileTests</c>; OpenCL C: <c>GpuKernelOpenClTests</c>).
/// A kernel is a non-generic static void method named <c>*Kernel</c> (or <c>Kernel</c>) of any type in a
/// <c>NativeInfer.Kernels.Gpu.*</c> namespace other than <c>.Runtime</c>, so a new kernel or family following that
/// convention is listed without an edit here. One taking an Index1D/2D/3D first is implicitly grouped; any other is
/// explicitly grouped. A kernel that does not follow the convention goes into <see cref="Extra"/>.
/// </summary>
public static class GpuKernelList
{
    /// <summary>Kernels outside the naming convention (none so far).</summary>
    private static readonly GpuKernelEntry[] Extra = [];

    public static IReadOnlyList<GpuKernelEntry> All { get; } = Discover().Concat(Extra).ToArray();

    private static IEnumerable<GpuKernelEntry> Discover() =>
        typeof(GpuGemm).Assembly.GetTypes()
            .Where(t => t.Namespace is { } ns && ns.StartsWith("NativeInfer.Kernels.Gpu.", StringComparison.Ordinal)
                        && ns != "NativeInfer.Kernels.Gpu.Runtime")
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.Name.EndsWith("Kernel", StringComparison.Ordinal) && m.ReturnType == typeof(void)
                        && !m.IsGenericMethodDefinition && m.GetParameters().Length > 0)
            .Select(m =>
            {
                var first = m.GetParameters()[0].ParameterType;
                bool implicitGroups = first == typeof(Index1D) || first == typeof(Index2D) || first == typeof(Index3D);
                return new GpuKernelEntry(m.DeclaringType!.Name + "." + m.Name, m, !implicitGroups);
            })
            .OrderBy(k => k.Method.DeclaringType!.FullName + "." + k.Method.Name, StringComparer.Ordinal);
}
