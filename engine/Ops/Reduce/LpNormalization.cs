using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>LpNormalization: x / ‖x‖ₚ along <c>axis</c> (default -1), p = 1 or 2 (default 2); a zero norm gives 0.</summary>
internal sealed class LpNormalization : FloatOp
{
    private const string Op = "LpNormalization";
    private readonly long _axis;
    private readonly long _p;

    public LpNormalization(OpBuildContext ctx) : base(Op)
    {
        _axis = ctx.Attributes.Int("axis", -1);
        _p = ctx.Attributes.Int("p", 2);
        if (_p is not (1 or 2)) throw new NotSupportedException($"{Op}: p must be 1 or 2, got {_p}.");
    }

    protected override Tensor Run<T>(Tensor x, Tensor?[] inputs)
    {
        var plan = ReducePlan.Create(x.Shape, [_axis], keepDims: true, Op);
        var xs = FloatWork.As<T>(x).Span;
        var norm = new T[plan.OutputCount];
        if (_p == 1) ReduceDriver.Reduce<T, ReduceL1.Kernel>(xs, plan, norm, default);
        else ReduceDriver.Reduce<T, ReduceL2.Kernel>(xs, plan, norm, default);
        var y = new Tensor<T>(x.Shape);
        ReduceDriver.Map(xs, y.Span, plan, norm, default, new Divide<T>());
        return y;
    }

    private readonly struct Divide<T> : IStatMap<T> where T : IFloatingPointIeee754<T>
    {
        public T Map(T x, T norm, T unused) => T.IsZero(norm) ? T.Zero : x / norm;
    }
}
