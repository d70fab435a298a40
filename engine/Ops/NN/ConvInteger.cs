using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// ConvInteger: int32 Y = conv(X − x_zero_point, W − w_zero_point) with Conv's window attributes; X and W int8 or
/// uint8; x_zero_point a scalar, w_zero_point a scalar or one per output channel. Padding reads as the zero point.
/// </summary>
internal sealed class ConvInteger(ConvAttributes attrs) : TensorOp
{
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs) =>
        [Accumulate("ConvInteger", inputs.Req(0), inputs.Opt(2), inputs.Req(1), inputs.Opt(3), null, attrs)];

    /// <summary>int32 conv of zero-point-shifted X and W, plus an optional int32 bias.</summary>
    public static Tensor<int> Accumulate(string opName, Tensor x, Tensor? xZero, Tensor w, Tensor? wZero, Tensor? bias, ConvAttributes attrs)
    {
        QuantizedInt.CheckEightBit(opName, x, "x");
        QuantizedInt.CheckEightBit(opName, w, "w");
        if (xZero is not null && xZero.Length != 1) throw new ShapeMismatchException($"{opName}: x_zero_point must be a scalar.");
        if (bias is not null && bias.DataType != DataType.Int32) throw new ArgumentException($"{opName}: bias must be int32.");
        int[]? wZeroShape = wZero is not null && wZero.Length > 1
            ? [wZero.Length, .. Enumerable.Repeat(1, w.Rank - 1)]
            : null;
        var xi = QuantizedInt.Subtract(x, xZero);
        var wi = QuantizedInt.Subtract(w, wZero, wZeroShape);
        return ConvKernel.Forward(xi, wi, bias?.As<int>(), attrs);
    }
}
