using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>How ScatterElements / ScatterND combine an update with the value already there.</summary>
internal enum ScatterReduction { None, Add, Mul, Max, Min }

/// <summary>
/// The shared write step of the scatter ops: a copy of data with update blocks written (or combined by a reduction) at
/// given flat starts, in order, so with duplicate indices the last update wins under "none".
/// </summary>
internal static class ScatterReduce
{
    public static ScatterReduction Parse(string reduction) => reduction switch
    {
        "none" => ScatterReduction.None,
        "add" => ScatterReduction.Add,
        "mul" => ScatterReduction.Mul,
        "max" => ScatterReduction.Max,
        "min" => ScatterReduction.Min,
        _ => throw new NotSupportedException($"Scatter reduction '{reduction}' is not supported."),
    };

    public static Tensor Apply(Tensor data, Tensor updates, int[] starts, int block, ScatterReduction reduction)
    {
        if (updates.DataType != data.DataType)
            throw new ArgumentException($"Scatter updates are {DataTypes.Name(updates.DataType)} but data is {DataTypes.Name(data.DataType)}.");
        if (updates.Length != starts.Length * block)
            throw new ShapeMismatchException($"Scatter updates have {updates.Length} elements, expected {starts.Length * block}.");
        if (reduction == ScatterReduction.None)
        {
            var y = data.Clone();
            TensorCopy.Scatter(updates, y, starts, block);
            return y;
        }
        if (data.DataType == DataType.BFloat16)
            return TensorConvert.Convert(
                Apply(TensorConvert.ToFloat(data), TensorConvert.ToFloat(updates), starts, block, reduction), DataType.BFloat16);
        return Dispatch.Numeric<Combine, Tensor>(data.DataType, new Combine(data, updates, starts, block, reduction));
    }

    private readonly struct Combine(Tensor data, Tensor updates, int[] starts, int block, ScatterReduction reduction)
        : INumericFunc<Tensor>
    {
        public Tensor Invoke<T>() where T : unmanaged, INumber<T>
        {
            var y = (Tensor<T>)data.Clone();
            var d = y.Span;
            ReadOnlySpan<T> u = updates.As<T>().Span;
            for (int i = 0; i < starts.Length; i++)
            {
                var dst = d.Slice(starts[i], block);
                var src = u.Slice(i * block, block);
                for (int j = 0; j < block; j++)
                    dst[j] = reduction switch
                    {
                        ScatterReduction.Add => dst[j] + src[j],
                        ScatterReduction.Mul => dst[j] * src[j],
                        ScatterReduction.Max => T.Max(dst[j], src[j]),
                        _ => T.Min(dst[j], src[j]),
                    };
            }
            return y;
        }
    }
}
