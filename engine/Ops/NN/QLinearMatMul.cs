using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// QLinearMatMul: y = saturate(round((a − a_zp)·(b − b_zp) · a_scale·b_scale / y_scale + y_zp)) with numpy matmul
/// semantics; a/b int8 or uint8; scales float32 or float16 (scalar, or per row of a / per column of b). y takes
/// y_zero_point's type.
/// </summary>
internal sealed class QLinearMatMul : TensorOp
{
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var a = inputs.Req(0);
        var aScale = inputs.Req(1);
        var aZero = inputs.Opt(2);
        var b = inputs.Req(3);
        var bScale = inputs.Req(4);
        var bZero = inputs.Opt(5);
        var yScale = inputs.Req(6);
        var yZero = inputs.Opt(7);
        QuantizedInt.CheckEightBit("QLinearMatMul", a, "a");
        QuantizedInt.CheckEightBit("QLinearMatMul", b, "b");
        var acc = MatMulInteger.Product(a, aZero, b, bZero);
        // Per-row a_scale applies along the rows of the output, per-column b_scale along its columns.
        int[] aScaleShape = aScale is { Rank: 1 } && aScale.Length > 1 ? [aScale.Length, 1] : aScale.Length == 1 ? [] : aScale.Shape;
        int[] bScaleShape = bScale.Length == 1 ? [] : bScale.Shape;
        var aIdx = QuantizedInt.Indices(aScaleShape, acc.Shape);
        var bIdx = QuantizedInt.Indices(bScaleShape, acc.Shape);
        var yIdx = QuantizedInt.Indices(yScale.Length == 1 ? [] : yScale.Shape, acc.Shape);
        var av = QuantRange.ToDoubles(aScale);
        var bv = QuantRange.ToDoubles(bScale);
        var yv = QuantRange.ToDoubles(yScale);
        var mult = new double[acc.Length];
        var identity = new int[acc.Length];
        for (int i = 0; i < mult.Length; i++)
        {
            mult[i] = QuantizedInt.ScaleProduct(av[aIdx[i]], bv[bIdx[i]], yv[yIdx[i]], aScale.DataType);
            identity[i] = i;
        }
        var zIdx = yZero is null ? null : QuantizedInt.Indices(yZero.Length == 1 ? [] : yZero.Shape, acc.Shape);
        return [QuantizedInt.Requantize(acc, mult, identity, yZero, zIdx, a.DataType)];
    }
}
