using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Where: output = X where condition is true, else Y; condition (bool), X and Y broadcast multidirectionally; X and Y
/// share any element type (strings included).
/// </summary>
internal sealed class Where : TensorOp
{
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var c = inputs.Req(0);
        var x = inputs.Req(1);
        var y = inputs.Req(2);
        if (c.DataType != DataType.Bool)
            throw new ArgumentException($"Where: condition must be bool, got {DataTypes.Name(c.DataType)}.");
        TypeDispatch.RequireSameType("Where", x, y);
        return [Dispatch.Any<Func, Tensor>(x.DataType, new Func(c.As<bool>(), x, y))];
    }

    private readonly struct Func(Tensor<bool> c, Tensor x, Tensor y) : IAnyFunc<Tensor>
    {
        public Tensor Invoke<T>() => BroadcastLoop.Ternary<bool, T, T, T, Select<T>>(c, x.As<T>(), y.As<T>(), default);
    }

    private readonly struct Select<T> : ITernaryKernel<bool, T, T, T>
    {
        public T Invoke(bool c, T x, T y) => c ? x : y;
    }
}
