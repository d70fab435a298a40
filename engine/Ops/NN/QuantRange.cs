using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>Saturation ranges of the quantized integer types and bulk double views used by the quantization ops.</summary>
internal static class QuantRange
{
    public static (double Lo, double Hi) Of(DataType t)
    {
        var (min, max) = Tensors.LowPrecision.LowPrecisionScalar.IntegerRange(t);
        return (min, max);
    }

    /// <summary>The tensor's elements as doubles (exact for every integer type up to 32 bits and every float type).</summary>
    public static double[] ToDoubles(Tensor t) => t.ToDoubleArray();

    /// <summary>Stores already-saturated integral values into an integer tensor.</summary>
    public static void Store(Tensor t, double[] values)
    {
        switch (t)
        {
            case Tensor<byte> b: { var d = b.Span; for (int i = 0; i < values.Length; i++) d[i] = (byte)values[i]; break; }
            case Tensor<sbyte> b: { var d = b.Span; for (int i = 0; i < values.Length; i++) d[i] = (sbyte)values[i]; break; }
            case Tensor<int> b: { var d = b.Span; for (int i = 0; i < values.Length; i++) d[i] = (int)values[i]; break; }
            default: for (int i = 0; i < values.Length; i++) t.SetDouble(i, values[i]); break;
        }
    }
}
