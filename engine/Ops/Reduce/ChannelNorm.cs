using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// Helpers of the ops that normalize X of shape [N, C, spatial...] with per-channel parameters (Batch-, Instance- and
/// GroupNormalization).
/// </summary>
internal static class ChannelNorm
{
    /// <summary>(N, C, spatial size) of X, which must have rank ≥ 2.</summary>
    public static (int N, int C, int Spatial) Dims(Tensor x, string op)
    {
        if (x.Rank < 2) throw new ShapeMismatchException($"{op}: X must have shape [N, C, ...], got {x}.");
        ShapeUtil.ElementCount(x.Shape.AsSpan(0, 2));   // N·C sizes per-sample statistics even when X is empty
        return (x.Shape[0], x.Shape[1], ShapeUtil.ElementCount(x.Shape.AsSpan(2)));
    }

    /// <summary>A 1-D parameter of <paramref name="length"/> elements as T.</summary>
    public static T[] Vector<T>(Tensor t, int length, string op, string what) where T : unmanaged
    {
        if (t.Length != length || t.Rank > 1 && t.Shape.Count(d => d != 1) > 1)
            throw new ShapeMismatchException($"{op}: {what} must have {length} elements, got {t}.");
        return FloatWork.As<T>(t).ToArray();
    }

    /// <summary>
    /// y = (x − mean) · invStd · scale[c] + bias[c] over [N, C, spatial] data; the statistics are per channel
    /// (C values) or, with <paramref name="perSample"/>, per (n, c) (N·C values).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Affine<T>(ReadOnlySpan<T> x, Span<T> y, int n, int channels, int spatial, bool perSample,
        ReadOnlySpan<T> mean, ReadOnlySpan<T> invStd, ReadOnlySpan<T> scale, ReadOnlySpan<T> bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            NormalizationKernels.ChannelAffine(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y), n, channels, spatial, perSample,
                MemoryMarshal.Cast<T, float>(mean), MemoryMarshal.Cast<T, float>(invStd), MemoryMarshal.Cast<T, float>(scale), MemoryMarshal.Cast<T, float>(bias));
            return;
        }
        for (int b = 0, i = 0; b < n; b++)
            for (int c = 0; c < channels; c++)
            {
                int k = perSample ? b * channels + c : c;
                T a = scale[c] * invStd[k], m = mean[k], z = bias[c];
                for (int s = 0; s < spatial; s++, i++) y[i] = (x[i] - m) * a + z;
            }
    }
}
