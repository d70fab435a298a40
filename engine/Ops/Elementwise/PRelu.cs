using System.Numerics;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// PRelu: Y = X where X &gt;= 0, slope * X elsewhere; slope broadcasts unidirectionally to X's shape.
/// </summary>
internal sealed class PRelu(OpBuildContext ctx) : NumericBinaryOp<PRelu.Kernel>(ctx, default)
{
    protected override Tensor Apply(Tensor a, Tensor b)
    {
        if (!ShapeUtil.Broadcast(a.Shape, b.Shape).AsSpan().SequenceEqual(a.Shape))
            throw new ShapeMismatchException(
                $"PRelu: slope {ShapeUtil.Format(b.Shape)} does not broadcast to X {ShapeUtil.Format(a.Shape)}.");
        return base.Apply(a, b);
    }

    /// <summary>In place over A or B when it has the output's shape (float/double path: <see cref="FastElementwise.Binary"/>).</summary>
    public override IReadOnlyList<int> InPlaceInputs => [0, 1];

    protected override Tensor? TryFast(Tensor a, Tensor b) =>
        FastElementwise.FloatOrDouble(a, b, default(PReluOperator<float>), default(PReluOperator<double>));

    public readonly struct Kernel : INumericBinary
    {
        public T Invoke<T>(T a, T b) where T : unmanaged, INumber<T> => T.IsNegative(a) ? a * b : a;
    }
}
