using NativeInfer.Kernels.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Widen-compute-narrow for the 16-bit float types: ops compute float16/bfloat16 tensors in float and round the result
/// once at the end.
/// </summary>
internal static class FloatWidening
{
    public static bool IsHalfWidth(DataType t) => t is DataType.Float16 or DataType.BFloat16;

    /// <summary>float16/bfloat16 widened to a new float tensor; any other tensor is returned as is.</summary>
    public static Tensor Widen(Tensor t)
    {
        switch (t)
        {
            case Tensor<Half> h:
            {
                var r = new Tensor<float>((int[])h.Shape.Clone());
                var src = h.Span;
                var dst = r.Span;
                for (int i = 0; i < dst.Length; i++) dst[i] = (float)src[i];
                return r;
            }
            case Tensor<BFloat16> b:
            {
                var r = new Tensor<float>((int[])b.Shape.Clone());
                var src = b.Span;
                var dst = r.Span;
                for (int i = 0; i < dst.Length; i++) dst[i] = (float)src[i];
                return r;
            }
            default:
                return t;
        }
    }

    /// <summary>
    /// Rounds a float result back to <paramref name="target"/> (float16 or bfloat16); other targets pass.
    /// </summary>
    public static Tensor Narrow(Tensor t, DataType target)
    {
        if (t.DataType != DataType.Float || !IsHalfWidth(target)) return t;
        var src = t.As<float>().Span;
        if (target == DataType.Float16)
        {
            var r = new Tensor<Half>((int[])t.Shape.Clone());
            var dst = r.Span;
            for (int i = 0; i < dst.Length; i++) dst[i] = (Half)src[i];
            return r;
        }
        var rb = new Tensor<BFloat16>((int[])t.Shape.Clone());
        var db = rb.Span;
        for (int i = 0; i < db.Length; i++) db[i] = (BFloat16)src[i];
        return rb;
    }
}
