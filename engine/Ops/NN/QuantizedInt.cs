using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// Helpers for the integer and QLinear ops: zero-point subtraction into int32 (with numpy broadcasting of the zero
/// point), broadcast index maps, and requantization of int32 accumulators.
/// </summary>
internal static class QuantizedInt
{
    public static void CheckEightBit(string opName, Tensor t, string what)
    {
        if (t.DataType is not (DataType.Int8 or DataType.UInt8))
            throw new NotSupportedException($"{opName}: {what} must be int8 or uint8, got {DataTypes.Name(t.DataType)}.");
    }

    /// <summary>x − zp as int32; <paramref name="zpShape"/> is the shape zp broadcasts with (defaults to its own).</summary>
    public static Tensor<int> Subtract(Tensor x, Tensor? zp, int[]? zpShape = null)
    {
        var xs = QuantRange.ToDoubles(x);
        var r = new Tensor<int>((int[])x.Shape.Clone());
        var d = r.Span;
        if (zp is null)
        {
            for (int i = 0; i < xs.Length; i++) d[i] = (int)xs[i];
            return r;
        }
        if (zp.DataType != x.DataType)
            throw new ArgumentException($"Zero point type {DataTypes.Name(zp.DataType)} differs from the input's {DataTypes.Name(x.DataType)}.");
        var zs = QuantRange.ToDoubles(zp);
        var map = Indices(zp.Length == 1 ? [] : zpShape ?? zp.Shape, x.Shape);
        for (int i = 0; i < xs.Length; i++) d[i] = (int)(xs[i] - zs[map[i]]);
        return r;
    }

    /// <summary>For each element of <paramref name="outShape"/>, the index of the element of a tensor of shape
    /// <paramref name="inShape"/> that numpy broadcasting pairs with it.</summary>
    public static int[] Indices(int[] inShape, int[] outShape)
    {
        if (!ShapeUtil.Broadcast(inShape, outShape).AsSpan().SequenceEqual(outShape))
            throw new ShapeMismatchException($"{ShapeUtil.Format(inShape)} does not broadcast to {ShapeUtil.Format(outShape)}.");
        return StridedOffsets.Of(outShape, ShapeUtil.BroadcastStrides(inShape, outShape.Length));
    }

    /// <summary>
    /// y = saturate(round_half_even(acc · multiplier + zero point)) into the zero point's type (or
    /// <paramref name="fallbackType"/>); multiplier and zero point are indexed per accumulator element.
    /// </summary>
    public static Tensor Requantize(Tensor<int> acc, double[] multiplier, int[] multiplierIndex, Tensor? yZeroPoint,
        int[]? zeroPointIndex, DataType fallbackType)
    {
        var type = yZeroPoint?.DataType ?? fallbackType;
        var (lo, hi) = QuantRange.Of(type);
        var zs = yZeroPoint is null ? null : QuantRange.ToDoubles(yZeroPoint);
        var a = acc.Span;
        var q = new double[a.Length];
        for (int i = 0; i < q.Length; i++)
        {
            double v = a[i] * multiplier[multiplierIndex[i]] + (zs is null ? 0 : zs[zeroPointIndex![i]]);
            q[i] = Math.Clamp(Math.Round(v, MidpointRounding.ToEven), lo, hi);
        }
        var y = Tensor.Create(type, (int[])acc.Shape.Clone());
        QuantRange.Store(y, q);
        return y;
    }

    /// <summary>a · b / c in the scales' precision (float32, or float16 when the scales are float16), like numpy.</summary>
    public static double ScaleProduct(double a, double b, double c, DataType scaleType) => scaleType switch
    {
        DataType.Float16 => (double)(Half)((float)(Half)((float)a * (float)b) / (float)c),
        DataType.Double => a * b / c,
        _ => (float)((float)a * (float)b) / (float)c,
    };
}
