using ILGPU;
using ILGPU.Runtime;
using NativeInfer.Kernels.Gpu.Runtime;

namespace NativeInfer.Kernels.Gpu.Elementwise;

/// <summary>
/// Elementwise float32 kernels: unary y = f(x), binary y = f(a, b) with numpy broadcasting (rank ≤ 6), and a
/// broadcast copy. One kernel per arity with the function chosen by a <see cref="GpuOpCode"/> argument (a uniform
/// branch on a GPU), so each is compiled once per accelerator. Launches are asynchronous on the given stream.
/// </summary>
public static class GpuElementwise
{
    private static readonly object s_unaryKey = new(), s_binaryKey = new(), s_expandKey = new();

    /// <summary>y[i] = f(x[i]) for i &lt; y.Length.</summary>
    public static void Unary(GpuDevice device, AcceleratorStream stream, ArrayView<float> x, ArrayView<float> y, int op, float p0 = 0f, float p1 = 0f)
    {
        if (!GpuOpCode.IsUnary(op)) throw new ArgumentException($"Opcode {op} is not a unary function.", nameof(op));
        if (x.Length < y.Length) throw new ArgumentException("The input is shorter than the output.");
        if (y.Length == 0) return;
        var kernel = device.Kernel(s_unaryKey, a => a.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, int, float, float>(UnaryKernel));
        kernel(stream, (int)y.Length, x, y, op, p0, p1);
    }

    /// <summary>
    /// y = f(a, b) with a and b broadcast to y's shape <paramref name="layout"/> describes (see
    /// <see cref="BroadcastLayout.TryCreate"/>); y is contiguous with y.Length elements.
    /// </summary>
    public static void Binary(GpuDevice device, AcceleratorStream stream, ArrayView<float> a, ArrayView<float> b, ArrayView<float> y,
        int op, in BroadcastLayout layout)
    {
        if (!GpuOpCode.IsBinary(op)) throw new ArgumentException($"Opcode {op} is not a binary function.", nameof(op));
        if (y.Length == 0) return;
        var kernel = device.Kernel(s_binaryKey,
            acc => acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, BroadcastLayout>(BinaryKernel));
        kernel(stream, (int)y.Length, a, b, y, op, layout);
    }

    /// <summary>y = x broadcast to y's shape (<paramref name="layout"/>'s A strides describe x).</summary>
    public static void Expand(GpuDevice device, AcceleratorStream stream, ArrayView<float> x, ArrayView<float> y, in BroadcastLayout layout)
    {
        if (y.Length == 0) return;
        var kernel = device.Kernel(s_expandKey,
            acc => acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, BroadcastLayout>(ExpandKernel));
        kernel(stream, (int)y.Length, x, y, layout);
    }

    internal static void UnaryKernel(Index1D i, ArrayView<float> x, ArrayView<float> y, int op, float p0, float p1) =>
        y[i] = GpuMath.Unary(op, x[i], p0, p1);

    internal static void BinaryKernel(Index1D i, ArrayView<float> a, ArrayView<float> b, ArrayView<float> y, int op, BroadcastLayout layout)
    {
        layout.Offsets(i, out int ia, out int ib);
        y[i] = GpuMath.Binary(op, a[ia], b[ib]);
    }

    internal static void ExpandKernel(Index1D i, ArrayView<float> x, ArrayView<float> y, BroadcastLayout layout)
    {
        layout.Offsets(i, out int ix, out _);
        y[i] = x[ix];
    }

    /// <summary>The kernel methods, for offline compilation checks (PTX, OpenCL C).</summary>
    public static IEnumerable<(string Name, System.Reflection.MethodInfo Method, bool ExplicitlyGrouped)> Kernels =>
    [
        ("Unary", ((Action<Index1D, ArrayView<float>, ArrayView<float>, int, float, float>)UnaryKernel).Method, false),
        ("Binary", ((Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, BroadcastLayout>)BinaryKernel).Method, false),
        ("Expand", ((Action<Index1D, ArrayView<float>, ArrayView<float>, BroadcastLayout>)ExpandKernel).Method, false),
    ];
}
