using System.Numerics;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Clip: Y = min(max(X, min), max), so min &gt; max gives max everywhere; NaN stays NaN. Opset &lt; 11 reads min/max
/// attributes (float); from 11 they are optional scalar inputs of X's type. Every numeric type (bfloat16 via float).
/// </summary>
internal sealed class Clip : TensorOp
{
    private readonly float? _attrMin, _attrMax;
    private readonly bool _fromInputs;

    public Clip(OpBuildContext ctx)
    {
        _fromInputs = ctx.Opset >= 11;
        if (_fromInputs) return;
        _attrMin = ctx.Attributes.Has("min") ? ctx.Attributes.Float("min") : null;
        _attrMax = ctx.Attributes.Has("max") ? ctx.Attributes.Float("max") : null;
    }

    /// <summary>In place over X (float path: <see cref="FastElementwise.Unary"/>).</summary>
    public override IReadOnlyList<int> InPlaceInputs => [0];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        Tensor? lo = _fromInputs ? Bound(inputs.Opt(1), x, "min") : FromAttribute(_attrMin, x);
        Tensor? hi = _fromInputs ? Bound(inputs.Opt(2), x, "max") : FromAttribute(_attrMax, x);
        if (x.DataType == DataType.BFloat16)
        {
            var r = Clamp(FloatWidening.Widen(x), Widen(lo), Widen(hi));
            return [FloatWidening.Narrow(r, x.DataType)];
        }
        if (x is Tensor<float> xf)
        {
            float l = lo is null ? float.NegativeInfinity : lo.As<float>()[0];
            float h = hi is null ? float.PositiveInfinity : hi.As<float>()[0];
            return [FastElementwise.Unary(xf, new ClipOperator(l, h))];
        }
        return [Clamp(x, lo, hi)];
    }

    private static Tensor? Widen(Tensor? t) => t is null ? null : FloatWidening.Widen(t);

    private static Tensor Clamp(Tensor x, Tensor? lo, Tensor? hi) =>
        TypeDispatch.Numeric<Func, Tensor>(x.DataType, new Func(x, lo, hi), "Clip");

    private static Tensor? Bound(Tensor? t, Tensor x, string name)
    {
        if (t is null) return null;
        if (t.Length != 1) throw new ArgumentException($"Clip: {name} must be a scalar, got shape {ShapeUtil.Format(t.Shape)}.");
        TypeDispatch.RequireSameType("Clip", x, t);
        return t;
    }

    private static Tensor? FromAttribute(float? v, Tensor x)
    {
        if (v is null) return null;
        var t = Tensor.Create(x.DataType, []);
        t.SetDouble(0, v.Value);
        return t;
    }

    private readonly struct Func(Tensor x, Tensor? lo, Tensor? hi) : INumericFunc<Tensor>
    {
        public Tensor Invoke<T>() where T : unmanaged, INumber<T>
        {
            var kernel = new Kernel<T>(lo is null ? null : lo.As<T>()[0], hi is null ? null : hi.As<T>()[0]);
            return UnaryLoop.Map<T, T, Kernel<T>>(x.As<T>(), kernel);
        }
    }

    private readonly struct Kernel<T>(T? lo, T? hi) : IUnaryKernel<T, T> where T : unmanaged, INumber<T>
    {
        private readonly T _lo = lo ?? default;
        private readonly T _hi = hi ?? default;
        private readonly bool _hasLo = lo.HasValue, _hasHi = hi.HasValue;

        public T Invoke(T x)
        {
            if (_hasLo && x < _lo) x = _lo;
            if (_hasHi && x > _hi) x = _hi;
            return x;
        }
    }
}
