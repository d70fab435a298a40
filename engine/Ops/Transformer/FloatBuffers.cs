using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Transformer;

/// <summary>
/// Moves floating-point tensors in and out of the double working buffers the ops of this family compute in, and
/// checks element types and buffer sizes on the way.
/// </summary>
internal static class FloatBuffers
{
    /// <summary>Throws unless <paramref name="t"/> holds float16, bfloat16, float or double.</summary>
    public static void RequireFloat(Tensor t, string op, string name)
    {
        if (!DataTypes.IsFloatingPoint(t.DataType))
            throw new NotSupportedException($"{op}: input '{name}' must be a floating-point tensor, got {DataTypes.Name(t.DataType)}.");
    }

    /// <summary>Throws unless <paramref name="t"/> has rank <paramref name="rank"/>.</summary>
    public static void RequireRank(Tensor t, int rank, string op, string name)
    {
        if (t.Rank != rank)
            throw new ShapeMismatchException($"{op}: input '{name}' must have rank {rank}, got shape {ShapeUtil.Format(t.Shape)}.");
    }

    /// <summary>A zero-filled working buffer, refused like a tensor when it would exceed the size limit.</summary>
    public static double[] Allocate(long length)
    {
        TensorLimits.CheckAllocation(length, DataType.Double);
        return new double[length];
    }

    /// <summary>The elements of a numeric tensor as doubles, in row-major order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double[] Read(Tensor t)
    {
        var r = Allocate(t.Length);
        switch (t)
        {
            case Tensor<float> f:
                var fs = f.Span;
                for (int i = 0; i < r.Length; i++) r[i] = fs[i];
                break;
            case Tensor<double> d:
                d.Span.CopyTo(r);
                break;
            case Tensor<Half> h:
                var hs = h.Span;
                for (int i = 0; i < r.Length; i++) r[i] = (double)hs[i];
                break;
            case Tensor<BFloat16> b:
                var bs = b.Span;
                for (int i = 0; i < r.Length; i++) r[i] = (float)bs[i];
                break;
            default:
                for (int i = 0; i < r.Length; i++) r[i] = t.GetDouble(i);
                break;
        }
        return r;
    }

    /// <summary>A new tensor of element type <paramref name="type"/> holding <paramref name="data"/> (rounded to nearest).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor Write(ReadOnlySpan<double> data, int[] shape, DataType type)
    {
        var t = Tensor.Create(type, shape);
        if (data.Length != t.Length)
            throw new InvalidOperationException($"Buffer of {data.Length} elements does not fit shape {ShapeUtil.Format(shape)}.");
        switch (t)
        {
            case Tensor<float> f:
                var fs = f.Span;
                for (int i = 0; i < data.Length; i++) fs[i] = (float)data[i];
                break;
            case Tensor<double> d:
                data.CopyTo(d.Span);
                break;
            case Tensor<Half> h:
                var hs = h.Span;
                for (int i = 0; i < data.Length; i++) hs[i] = (Half)data[i];
                break;
            default:
                for (int i = 0; i < data.Length; i++) t.SetDouble(i, data[i]);
                break;
        }
        return t;
    }
}
