using NativeInfer.Kernels.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// float16 and bfloat16 have no fast arithmetic here: the NN ops widen them to float32, compute, and narrow the
/// result back to the input's element type.
/// </summary>
internal static class FloatWidening
{
    public static bool IsNarrow(DataType t) => t is DataType.Float16 or DataType.BFloat16;

    /// <summary>The tensor as float32 when it is float16/bfloat16, else unchanged.</summary>
    public static Tensor Widen(Tensor t)
    {
        switch (t)
        {
            case Tensor<Half> h:
            {
                var r = new Tensor<float>((int[])t.Shape.Clone());
                var s = h.Span;
                var d = r.Span;
                for (int i = 0; i < s.Length; i++) d[i] = (float)s[i];
                return r;
            }
            case Tensor<BFloat16>:
                return TensorConvert.ToFloat(t);
            default:
                return t;
        }
    }

    /// <summary>Converts a float32 result back to <paramref name="type"/> (no-op when it already is).</summary>
    public static Tensor Narrow(Tensor t, DataType type)
    {
        if (t.DataType == type) return t;
        if (type == DataType.Float16 && t is Tensor<float> f)
        {
            var r = new Tensor<Half>((int[])t.Shape.Clone());
            var s = f.Span;
            var d = r.Span;
            for (int i = 0; i < s.Length; i++) d[i] = (Half)s[i];
            return r;
        }
        return TensorConvert.Convert(t, type);
    }
}
