using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// DynamicQuantizeLinear: uint8 quantization of a float32 tensor with a scale and zero point computed from its range
/// (extended to include 0): scale = (max − min) / 255 (1 when the range is empty), zero point = round(clamp(−min /
/// scale)). Outputs y, y_scale, y_zero_point; arithmetic in float32 like the reference.
/// </summary>
internal sealed class DynamicQuantizeLinear : TensorOp
{
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        if (x.DataType != DataType.Float)
            throw new NotSupportedException($"DynamicQuantizeLinear does not support {DataTypes.Name(x.DataType)}.");
        var xs = x.As<float>().Span;
        float max = 0f, min = 0f;
        foreach (float v in xs)
        {
            if (v > max) max = v;
            if (v < min) min = v;
        }
        float scale = max == min ? 1f : (max - min) / 255f;
        float zpf = Math.Clamp(0f - min / scale, 0f, 255f);
        float zp = MathF.Round(zpf, MidpointRounding.ToEven);
        var y = new Tensor<byte>((int[])x.Shape.Clone());
        var ys = y.Span;
        for (int i = 0; i < xs.Length; i++)
            ys[i] = (byte)Math.Clamp(MathF.Round(xs[i] / scale, MidpointRounding.ToEven) + zp, 0f, 255f);
        return [y, Tensor<float>.Scalar(scale), Tensor<byte>.Scalar((byte)zp)];
    }
}
