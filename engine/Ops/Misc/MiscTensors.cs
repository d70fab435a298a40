using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>Small shared helpers of the misc family: double working buffers, attribute choices, scalar inputs.</summary>
internal static class MiscTensors
{
    /// <summary>The elements of a numeric tensor widened to double.</summary>
    public static double[] ToDoubles(Tensor t) => t.ToDoubleArray();

    /// <summary>
    /// A tensor of <paramref name="type"/> holding <paramref name="values"/>. Integer targets round to nearest and
    /// saturate (interpolated pixels), floating targets convert directly.
    /// </summary>
    public static Tensor FromDoubles(ReadOnlySpan<double> values, DataType type, int[] shape)
    {
        var t = Tensor.Create(type, shape);
        switch (t)
        {
            case Tensor<float> f:
                var fs = f.Span;
                for (int i = 0; i < values.Length; i++) fs[i] = (float)values[i];
                return t;
            case Tensor<double> d:
                values.CopyTo(d.Span);
                return t;
        }
        if (DataTypes.IsInteger(type))
        {
            var (lo, hi) = IntegerRange(type);
            for (int i = 0; i < values.Length; i++)
            {
                double v = values[i];
                v = double.IsNaN(v) ? 0 : Math.Clamp(Math.Round(v, MidpointRounding.ToEven), lo, hi);
                t.SetDouble(i, v);
            }
            return t;
        }
        for (int i = 0; i < values.Length; i++) t.SetDouble(i, values[i]);
        return t;
    }

    private static (double Lo, double Hi) IntegerRange(DataType t) => t switch
    {
        DataType.UInt8 => (byte.MinValue, byte.MaxValue),
        DataType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        DataType.UInt16 => (ushort.MinValue, ushort.MaxValue),
        DataType.Int16 => (short.MinValue, short.MaxValue),
        DataType.UInt32 => (uint.MinValue, uint.MaxValue),
        DataType.Int32 => (int.MinValue, int.MaxValue),
        DataType.UInt64 => (0, 1.8446744073709550E19),
        _ => (-9.2233720368547748E18, 9.2233720368547748E18),
    };

    /// <summary>Index of <paramref name="value"/> in <paramref name="allowed"/>; an unknown value is refused at build time.</summary>
    public static int Choice(string op, string attribute, string value, params string[] allowed)
    {
        int i = Array.IndexOf(allowed, value);
        if (i < 0)
            throw new NotSupportedException(
                $"{op}: {attribute} '{value}' is not supported (expected one of: {string.Join(", ", allowed)}).");
        return i;
    }

    /// <summary>The single value of a scalar (or one-element) integer input.</summary>
    public static long ScalarInt(Tensor t, string op, string name)
    {
        if (t.Length != 1)
            throw new ShapeMismatchException($"{op}: {name} must be a scalar, got shape {ShapeUtil.Format(t.Shape)}.");
        if (!DataTypes.IsInteger(t.DataType))
            throw new InvalidOperationException($"{op}: {name} must be an integer, got {DataTypes.Name(t.DataType)}.");
        return t.ToInt64Array()[0];
    }

    /// <summary>The single value of a scalar (or one-element) numeric input, as double.</summary>
    public static double ScalarDouble(Tensor t, string op, string name)
    {
        if (t.Length != 1)
            throw new ShapeMismatchException($"{op}: {name} must be a scalar, got shape {ShapeUtil.Format(t.Shape)}.");
        return t.GetDouble(0);
    }
}
