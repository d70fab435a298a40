using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// DequantizeLinear: y = (x − x_zero_point) · x_scale, per tensor, per axis or blocked. x is int8, uint8, int16,
/// uint16, int32 or a low-precision type (float8, float4, int4, int2); y has the scale's type unless output_dtype says
/// otherwise.
/// </summary>
internal sealed class DequantizeLinear(long axis, long blockSize, DataType outputType) : TensorOp
{
    public static DequantizeLinear Create(OpBuildContext ctx)
    {
        var a = ctx.Attributes;
        var outType = (DataType)a.Int("output_dtype", 0);
        if (outType is not (DataType.Undefined or DataType.Float or DataType.Double or DataType.Float16 or DataType.BFloat16))
            throw new NotSupportedException($"DequantizeLinear output_dtype {DataTypes.Name(outType)} is not supported.");
        return new DequantizeLinear(a.Int("axis", 1), a.Int("block_size", 0), outType);
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var scale = inputs.Req(1);
        var zp = inputs.Opt(2);
        if (x.DataType is not (DataType.Int8 or DataType.UInt8 or DataType.Int16 or DataType.UInt16 or DataType.Int32) && !DataTypes.IsLowPrecision(x.DataType))
            throw new NotSupportedException($"DequantizeLinear from {DataTypes.Name(x.DataType)} is not supported.");
        if (zp is not null && zp.DataType != x.DataType)
            throw new ArgumentException($"DequantizeLinear zero point type {DataTypes.Name(zp.DataType)} differs from x's {DataTypes.Name(x.DataType)}.");
        if (!DataTypes.IsFloatingPoint(scale.DataType))
            throw new NotSupportedException($"DequantizeLinear scale type {DataTypes.Name(scale.DataType)} is not supported.");
        var layout = QuantLayout.Create("DequantizeLinear", x.Shape, scale, zp, axis, blockSize);
        var type = outputType != DataType.Undefined ? outputType : scale.DataType;
        var xs = QuantRange.ToDoubles(x);
        var ss = QuantRange.ToDoubles(scale);
        var zs = zp is null ? null : QuantRange.ToDoubles(zp);
        var y = Tensor.Create(type, (int[])x.Shape.Clone());
        bool viaFloat = type != DataType.Double && x.DataType != DataType.Int32;
        for (int i = 0; i < xs.Length; i++)
        {
            int p = layout.Index(i);
            double v = (xs[i] - (zs?[p] ?? 0)) * ss[p];
            y.SetDouble(i, viaFloat ? (float)v : v);
        }
        return [y];
    }
}
