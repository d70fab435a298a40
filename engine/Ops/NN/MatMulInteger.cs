using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// MatMulInteger: int32 Y = (A − a_zero_point) · (B − b_zero_point) with numpy matmul semantics. A and B are int8 or
/// uint8; a_zero_point is a scalar or per row of A (1-D [M] or A's shape with K = 1), b_zero_point a scalar or per
/// column of B.
/// </summary>
internal sealed class MatMulInteger : TensorOp
{
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var a = inputs.Req(0);
        var b = inputs.Req(1);
        QuantizedInt.CheckEightBit("MatMulInteger", a, "A");
        QuantizedInt.CheckEightBit("MatMulInteger", b, "B");
        return [Product(a, inputs.Opt(2), b, inputs.Opt(3))];
    }

    /// <summary>(A − azp)·(B − bzp) in int32; a 1-D azp is per row of A.</summary>
    public static Tensor<int> Product(Tensor a, Tensor? aZero, Tensor b, Tensor? bZero)
    {
        int[]? aZeroShape = aZero is { Rank: 1 } && aZero.Length > 1 ? [aZero.Length, 1] : null;
        var ai = QuantizedInt.Subtract(a, aZero, aZeroShape);
        var bi = QuantizedInt.Subtract(b, bZero);
        return MatMulKernel.MatMul(ai, bi);
    }
}
