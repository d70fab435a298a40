using NativeInfer.Kernels.Gpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Gpu.Ops;

/// <summary>The float32 elementwise ops on the GPU: activations and math functions, and broadcasting binary arithmetic.</summary>
public static class GpuElementwiseOps
{
    public static void Register(GpuOpTable t)
    {
        // Unary functions without attributes.
        foreach (var (name, code) in new (string, int)[]
        {
            ("Relu", GpuOpCode.Relu), ("Sigmoid", GpuOpCode.Sigmoid), ("Tanh", GpuOpCode.Tanh), ("Exp", GpuOpCode.Exp),
            ("Log", GpuOpCode.Log), ("Sqrt", GpuOpCode.Sqrt), ("Abs", GpuOpCode.Abs), ("Neg", GpuOpCode.Neg), ("Erf", GpuOpCode.Erf),
            ("Reciprocal", GpuOpCode.Reciprocal), ("Floor", GpuOpCode.Floor), ("Ceil", GpuOpCode.Ceil), ("Softplus", GpuOpCode.Softplus),
            ("Softsign", GpuOpCode.Softsign), ("Sign", GpuOpCode.Sign), ("Sin", GpuOpCode.Sin), ("Cos", GpuOpCode.Cos),
            ("Round", GpuOpCode.Round), ("HardSwish", GpuOpCode.HardSwish), ("Mish", GpuOpCode.Mish),
        })
            t.Register(name, ctx => ctx.Build.InputCount == 1 && ctx.AllInputsFloat() ? new GpuUnaryOp(code, 0, 0) : null);

        t.Register("LeakyRelu", ctx => Unary(ctx, GpuOpCode.LeakyRelu, ctx.Attributes.Float("alpha", 0.01f)));
        t.Register("Elu", ctx => Unary(ctx, GpuOpCode.Elu, ctx.Attributes.Float("alpha", 1f)));
        t.Register("Celu", ctx => Unary(ctx, GpuOpCode.Celu, ctx.Attributes.Float("alpha", 1f)));
        t.Register("Swish", ctx => Unary(ctx, GpuOpCode.Swish, ctx.Attributes.Float("alpha", 1f)));
        t.Register("ThresholdedRelu", ctx => Unary(ctx, GpuOpCode.ThresholdedRelu, ctx.Attributes.Float("alpha", 1f)));
        t.Register("Selu", ctx => Unary(ctx, GpuOpCode.Selu,
            ctx.Attributes.Float("alpha", 1.67326319217681884765625f), ctx.Attributes.Float("gamma", 1.05070102214813232421875f)));
        t.Register("HardSigmoid", ctx => Unary(ctx, GpuOpCode.HardSigmoid, ctx.Attributes.Float("alpha", 0.2f), ctx.Attributes.Float("beta", 0.5f)));
        t.Register("Gelu", ctx => ctx.Attributes.String("approximate", "none") switch
        {
            "none" => Unary(ctx, GpuOpCode.Gelu),
            "tanh" => Unary(ctx, GpuOpCode.GeluTanh),
            _ => null,
        });
        t.Register("Clip", ctx =>
        {
            if (!ctx.InputIs(0, DataType.Float)) return null;
            if (ctx.Build.Opset < 11)
                return ctx.Build.InputCount == 1 ? new GpuUnaryOp(GpuOpCode.Clip, ctx.Attributes.Float("min", float.MinValue), ctx.Attributes.Float("max", float.MaxValue)) : null;
            for (int i = 1; i < ctx.Build.InputCount; i++)
                if (ctx.Build.HasInput(i) && !ctx.InputIs(i, DataType.Float)) return null;
            return new GpuClipOp();
        });

        foreach (var (name, code) in new (string, int)[]
        {
            ("Add", GpuOpCode.Add), ("Sub", GpuOpCode.Sub), ("Mul", GpuOpCode.Mul), ("Div", GpuOpCode.Div),
            ("Pow", GpuOpCode.PowGeneral), ("PRelu", GpuOpCode.PRelu), ("Max", GpuOpCode.Max), ("Min", GpuOpCode.Min), ("Sum", GpuOpCode.Add),
        })
            t.Register(name, ctx => ctx.Build.InputCount == 2 && ctx.Build.HasInput(0) && ctx.Build.HasInput(1) && ctx.AllInputsFloat(2)
                                    && !ctx.Attributes.Has("broadcast") ? new GpuBinaryOp(code) : null);
    }

    private static GpuOp? Unary(GpuOpBuildContext ctx, int code, float p0 = 0f, float p1 = 0f) =>
        ctx.Build.InputCount == 1 && ctx.AllInputsFloat() ? new GpuUnaryOp(code, p0, p1) : null;
}

/// <summary>y = f(x) elementwise (<see cref="GpuOpCode"/> with its parameters).</summary>
public sealed class GpuUnaryOp(int code, float p0, float p1) : GpuOp
{
    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        var y = ctx.Allocate(DataType.Float, x.Shape);
        GpuElementwise.Unary(ctx.Device, ctx.Stream, x.Float, y.Float, code, p0, p1);
        return [y];
    }
}

/// <summary>Clip (opset 11+): min and max are optional scalar inputs, read on the host.</summary>
public sealed class GpuClipOp : GpuOp
{
    public override bool ReadsOnHost(int i) => i > 0;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        float Bound(int i, float fallback) => inputs.Host(i) is { } t
            ? t.Length == 1 ? (float)t.GetDouble(0) : throw new ArgumentException($"Clip bound {i} must be a scalar, got {t}.")
            : fallback;
        var y = ctx.Allocate(DataType.Float, x.Shape);
        GpuElementwise.Unary(ctx.Device, ctx.Stream, x.Float, y.Float, GpuOpCode.Clip, Bound(1, float.MinValue), Bound(2, float.MaxValue));
        return [y];
    }
}

/// <summary>y = f(a, b) with numpy broadcasting.</summary>
public sealed class GpuBinaryOp(int code) : GpuOp
{
    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var a = inputs.Req(0);
        var b = inputs.Req(1);
        var shape = ShapeUtil.Broadcast(a.Shape, b.Shape);
        if (!BroadcastLayout.TryCreate(shape, a.Shape, b.Shape, out var layout))
            throw new NotSupportedException($"Broadcasting {ShapeUtil.Format(a.Shape)} with {ShapeUtil.Format(b.Shape)} exceeds rank {BroadcastLayout.MaxRank} on the GPU.");
        var y = ctx.Allocate(DataType.Float, shape);
        GpuElementwise.Binary(ctx.Device, ctx.Stream, a.Float, b.Float, y.Float, code, layout);
        return [y];
    }
}
