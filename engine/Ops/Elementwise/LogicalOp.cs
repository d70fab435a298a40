using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>A binary op on bool tensors with a bool result (And, Or, Xor).</summary>
internal abstract class LogicalOp<TK>(OpBuildContext ctx) : BinaryOp(ctx) where TK : struct, IBinaryKernel<bool, bool, bool>
{
    protected override Tensor Apply(Tensor a, Tensor b)
    {
        if (a.DataType != DataType.Bool || b.DataType != DataType.Bool)
            throw new NotSupportedException(
                $"{Name} takes bool tensors, not {DataTypes.Name(a.DataType)} and {DataTypes.Name(b.DataType)}.");
        return BroadcastLoop.Binary<bool, bool, bool, TK>(a.As<bool>(), b.As<bool>(), default);
    }
}
