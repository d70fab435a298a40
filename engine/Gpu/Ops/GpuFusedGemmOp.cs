using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Gpu.Elementwise;
using NativeInfer.Kernels.Gpu.Gemm;
using NativeInfer.Ops.Fused;
using NativeInfer.Tensors;

namespace NativeInfer.Gpu.Ops;

/// <summary>
/// The optimizer's <c>ai.nativeinfer:FusedGemm</c> on the tiled GPU GEMM, whose epilogue takes C (beta-scaled, read
/// through broadcast strides), the residual R and the activation: Y = act(alpha·op(A)·op(B) + beta·C + R). An A of
/// rank above 2 (no transA) is its rows flattened, as on the CPU.
/// </summary>
public sealed class GpuFusedGemmOp(bool transA, bool transB, float alpha, float beta, int activation, float p0, float p1) : GpuOp
{
    public static void Register(GpuOpTable t) => t.Register(FusedGemm.Domain, FusedGemm.OpType, ctx =>
    {
        if (ctx.Build.InputCount is < 2 or > 4 || !ctx.Build.HasInput(0) || !ctx.Build.HasInput(1) || !ctx.AllInputsFloat(2)) return null;
        SgemmActivation a;
        try { a = FusedGemm.ParseActivation(ctx.Attributes.String("activation", ""), ctx.Attributes.Floats("activation_params")); }
        catch (NotSupportedException) { return null; }   // the CPU op reports the bad attribute
        int? code = a.Kind switch
        {
            SgemmActivationKind.None => GpuOpCode.Identity,
            SgemmActivationKind.Relu => GpuOpCode.Relu,
            SgemmActivationKind.LeakyRelu => GpuOpCode.LeakyRelu,
            SgemmActivationKind.Clip => GpuOpCode.Clip,
            SgemmActivationKind.HardSigmoid => GpuOpCode.HardSigmoid,
            SgemmActivationKind.Sigmoid => GpuOpCode.Sigmoid,
            SgemmActivationKind.Tanh => GpuOpCode.Tanh,
            SgemmActivationKind.GeluErf => GpuOpCode.Gelu,
            SgemmActivationKind.GeluTanh => GpuOpCode.GeluTanh,
            SgemmActivationKind.Silu => GpuOpCode.Silu,
            _ => null,
        };
        return code is { } c
            ? new GpuFusedGemmOp(ctx.Attributes.Int("transA", 0) != 0, ctx.Attributes.Int("transB", 0) != 0,
                ctx.Attributes.Float("alpha", 1f), ctx.Attributes.Float("beta", 1f), c, a.Alpha, a.Beta)
            : null;
    });

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var a = inputs.Req(0);
        var b = inputs.Req(1);
        var c = inputs.Device(2);
        var r = inputs.Device(3);
        if (b.Rank != 2 || a.Rank < 2 || transA && a.Rank != 2)
            throw new ShapeMismatchException(
                $"FusedGemm needs a 2-D B and an A of rank 2 (or more without transA), got {ShapeUtil.Format(a.Shape)} and {ShapeUtil.Format(b.Shape)}.");
        int k = transA ? a.Shape[0] : a.Shape[^1];
        int m = transA ? a.Shape[1] : ShapeUtil.ElementCount(a.Shape.AsSpan(0, a.Rank - 1));
        int kb = transB ? b.Shape[1] : b.Shape[0], n = transB ? b.Shape[0] : b.Shape[1];
        if (k != kb) throw new ShapeMismatchException($"FusedGemm inner dimensions differ: {ShapeUtil.Format(a.Shape)} x {ShapeUtil.Format(b.Shape)}.");
        int[] outShape = transA ? [m, n] : [.. a.Shape[..^1], n];
        if (r is not null && !r.Shape.AsSpan().SequenceEqual(outShape))
            throw new ShapeMismatchException($"FusedGemm residual {ShapeUtil.Format(r.Shape)} must have the output's shape {ShapeUtil.Format(outShape)}.");
        var y = ctx.Allocate(DataType.Float, outShape);
        if (y.Length == 0) return [y];
        var p = GemmParams.Create(m, n, k, transA, transB);
        p.Alpha = alpha;
        p.Activation = activation;
        p.ActP0 = p0;
        p.ActP1 = p1;
        var bias = y.Float;
        if (c is not null && beta != 0f)
        {
            if (c.Rank > 2) throw new ShapeMismatchException($"FusedGemm C {ShapeUtil.Format(c.Shape)} has rank above 2.");
            int cm = c.Rank == 2 ? c.Shape[0] : 1, cn = c.Rank >= 1 ? c.Shape[^1] : 1;
            if (cm != 1 && cm != m || cn != 1 && cn != n)
                throw new ShapeMismatchException($"FusedGemm C {ShapeUtil.Format(c.Shape)} does not broadcast to [{m},{n}].");
            p.HasBias = 1;
            p.BiasScale = beta;
            p.BiasM = cm == 1 ? 0 : cn;
            p.BiasN = cn == 1 ? 0 : 1;
            bias = c.Float;
        }
        var residual = y.Float;
        if (r is not null)
        {
            p.HasResidual = 1;
            p.ResidualScale = 1f;
            p.ResidualM = n;
            p.ResidualN = 1;
            residual = r.Float;
        }
        GpuGemm.Run(ctx.Device, ctx.Stream, a.Float, b.Float, y.Float, bias, residual, p);
        return [y];
    }
}
