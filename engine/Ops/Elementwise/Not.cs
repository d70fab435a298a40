using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Not: Y = logical not X on a bool tensor.</summary>
internal sealed class Not(OpBuildContext ctx) : UnaryOp(ctx)
{
    protected override Tensor Apply(Tensor x) => x.DataType == DataType.Bool
        ? UnaryLoop.Map<bool, bool, Kernel>(x.As<bool>(), default)
        : throw new NotSupportedException($"Not takes a bool tensor, not {DataTypes.Name(x.DataType)}.");

    private readonly struct Kernel : IUnaryKernel<bool, bool>
    {
        public bool Invoke(bool x) => !x;
    }
}
