using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// MatMul: numpy matrix product of A [..., M, K] and B [..., K, N] with broadcast batch dims; a 1-D operand is
/// promoted to a matrix and the promoted dim dropped from the result. float16/bfloat16 compute in float32.
/// </summary>
internal sealed class MatMul : TensorOp
{
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var a = inputs.Req(0);
        var b = inputs.Req(1);
        if (a.DataType != b.DataType)
            throw new ArgumentException($"MatMul operands differ in type: {DataTypes.Name(a.DataType)} and {DataTypes.Name(b.DataType)}.");
        var type = a.DataType;
        var r = Dispatch.Numeric<Product, Tensor>(FloatWidening.IsNarrow(type) ? DataType.Float : type,
            new Product(FloatWidening.Widen(a), FloatWidening.Widen(b)));
        return [FloatWidening.Narrow(r, type)];
    }

    private readonly struct Product(Tensor a, Tensor b) : INumericFunc<Tensor>
    {
        public Tensor Invoke<T>() where T : unmanaged, System.Numerics.INumber<T> => MatMulKernel.MatMul(a.As<T>(), b.As<T>());
    }
}
