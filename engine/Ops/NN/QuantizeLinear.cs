using NativeInfer.IR;
using NativeInfer.Tensors;
using NativeInfer.Tensors.LowPrecision;

namespace NativeInfer.Ops.NN;

/// <summary>
/// QuantizeLinear: y = saturate(round_half_even(x / y_scale) + y_zero_point), per tensor, per axis or blocked. The
/// division runs in x's precision (or the precision attribute's type). y's type is the zero point's, else
/// output_dtype, else uint8: int8, uint8, int16, uint16, int32, int4/uint4, int2/uint2, and (without rounding to an
/// integer) float8/float4, which convert with Cast's rules and the saturate attribute.
/// </summary>
internal sealed class QuantizeLinear(long axis, long blockSize, DataType outputType, DataType precision, bool saturate) : TensorOp
{
    public static QuantizeLinear Create(OpBuildContext ctx)
    {
        var a = ctx.Attributes;
        var outType = (DataType)a.Int("output_dtype", 0);
        var precision = (DataType)a.Int("precision", 0);
        if (outType != DataType.Undefined) CheckOutputType(outType);
        if (precision is not (DataType.Undefined or DataType.Float or DataType.Double or DataType.Float16 or DataType.BFloat16))
            throw new NotSupportedException($"QuantizeLinear precision {DataTypes.Name(precision)} is not supported.");
        return new QuantizeLinear(a.Int("axis", 1), a.Int("block_size", 0), outType, precision, a.Int("saturate", 1) != 0);
    }

    private static void CheckOutputType(DataType t)
    {
        if (t is not (DataType.Int8 or DataType.UInt8 or DataType.Int16 or DataType.UInt16 or DataType.Int32) && !DataTypes.IsLowPrecision(t))
            throw new NotSupportedException($"QuantizeLinear to {DataTypes.Name(t)} is not supported.");
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var scale = inputs.Req(1);
        var zp = inputs.Opt(2);
        var type = zp?.DataType ?? (outputType != DataType.Undefined ? outputType : DataType.UInt8);
        if (zp is not null && outputType != DataType.Undefined && outputType != zp.DataType)
            throw new ArgumentException($"QuantizeLinear output_dtype {DataTypes.Name(outputType)} differs from the zero point's {DataTypes.Name(zp.DataType)}.");
        CheckOutputType(type);
        var layout = QuantLayout.Create("QuantizeLinear", x.Shape, scale, zp, axis, blockSize);
        var div = precision != DataType.Undefined ? precision : x.DataType;
        var y = Tensor.Create(type, (int[])x.Shape.Clone());
        var xs = QuantRange.ToDoubles(x);
        var ss = QuantRange.ToDoubles(scale);
        var zs = zp is null ? null : QuantRange.ToDoubles(zp);
        if (DataTypes.IsFloatingPoint(type))
        {
            // float8/float4 targets: no integer rounding; the value converts as Cast does.
            for (int i = 0; i < xs.Length; i++)
            {
                int p = layout.Index(i);
                LowPrecisionScalar.SetCast(y, i, Divide(xs[i], ss[p], div) + (zs?[p] ?? 0), saturate);
            }
            return [y];
        }
        var (lo, hi) = QuantRange.Of(type);
        var q = new double[x.Length];
        for (int i = 0; i < q.Length; i++)
        {
            int p = layout.Index(i);
            double v = Math.Round(Divide(xs[i], ss[p], div), MidpointRounding.ToEven) + (zs?[p] ?? 0);
            q[i] = Math.Clamp(v, lo, hi);
        }
        QuantRange.Store(y, q);
        return [y];
    }

    /// <summary>x / scale rounded to the precision type, as numpy computes it.</summary>
    private static double Divide(double x, double s, DataType precision) => precision switch
    {
        DataType.Float => (float)x / (float)s,
        DataType.Float16 => (double)(Half)((float)x / (float)s),
        DataType.BFloat16 => (float)(Kernels.Numerics.BFloat16)((float)x / (float)s),
        _ => x / s,
    };
}
