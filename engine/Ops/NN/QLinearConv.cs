using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// QLinearConv: y = saturate(round(conv(x − x_zp, w − w_zp) + B) · x_scale·w_scale / y_scale + y_zp)) with Conv's
/// window attributes; w_scale and w_zero_point may be per output channel; B is int32. y takes y_zero_point's type
/// (else x's).
/// </summary>
internal sealed class QLinearConv(ConvAttributes attrs) : TensorOp
{
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var xScale = inputs.Req(1);
        var w = inputs.Req(3);
        var wScale = inputs.Req(4);
        var yScale = inputs.Req(6);
        var yZero = inputs.Opt(7);
        var acc = ConvInteger.Accumulate("QLinearConv", x, inputs.Opt(2), w, inputs.Opt(5), inputs.Opt(8), attrs);
        if (xScale.Length != 1 || yScale.Length != 1 || yZero is not null && yZero.Length != 1)
            throw new ShapeMismatchException("QLinearConv: x_scale, y_scale and y_zero_point must be scalars.");
        int m = acc.Shape[1];
        if (wScale.Length != 1 && wScale.Length != m)
            throw new ShapeMismatchException($"QLinearConv: w_scale must be a scalar or have {m} entries.");
        double xs = xScale.GetDouble(0), ys = yScale.GetDouble(0);
        var ws = QuantRange.ToDoubles(wScale);
        var mult = new double[m];
        for (int c = 0; c < m; c++) mult[c] = QuantizedInt.ScaleProduct(xs, ws[wScale.Length == 1 ? 0 : c], ys, xScale.DataType);
        int inner = acc.Length / Math.Max(1, acc.Shape[0] * m);
        var channelOf = new int[acc.Length];
        for (int i = 0; i < channelOf.Length; i++) channelOf[i] = i / inner % m;
        var zeroIdx = yZero is null ? null : new int[acc.Length];
        return [QuantizedInt.Requantize(acc, mult, channelOf, yZero, zeroIdx, x.DataType)];
    }
}
