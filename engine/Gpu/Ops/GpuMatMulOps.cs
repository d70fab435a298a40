using NativeInfer.Kernels.Gpu.Elementwise;
using NativeInfer.Kernels.Gpu.Gemm;
using NativeInfer.Tensors;

namespace NativeInfer.Gpu.Ops;

/// <summary>MatMul (batched, numpy broadcasting of the batch dims, 1-D operands) and Gemm on the tiled GPU GEMM.</summary>
public static class GpuMatMulOps
{
    public static void Register(GpuOpTable t)
    {
        t.Register("MatMul", ctx => ctx.Build.InputCount == 2 && ctx.AllInputsFloat(2) ? new GpuMatMulOp() : null);
        t.Register("Gemm", ctx => ctx.Build.InputCount is 2 or 3 && ctx.Build.HasInput(0) && ctx.Build.HasInput(1) && ctx.AllInputsFloat(2)
                                  && ctx.Build.Opset >= 7
            ? new GpuGemmOp(ctx.Attributes.Int("transA", 0) != 0, ctx.Attributes.Int("transB", 0) != 0,
                ctx.Attributes.Float("alpha", 1f), ctx.Attributes.Float("beta", 1f))
            : null);
    }
}

/// <summary>MatMul: Y[..., M, N] = A[..., M, K] · B[..., K, N].</summary>
public sealed class GpuMatMulOp : GpuOp
{
    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var a = inputs.Req(0);
        var b = inputs.Req(1);
        if (a.Rank == 0 || b.Rank == 0) throw new ShapeMismatchException("MatMul inputs must have rank ≥ 1.");
        var sa = a.Rank == 1 ? [1, a.Shape[0]] : a.Shape;
        var sb = b.Rank == 1 ? [b.Shape[0], 1] : b.Shape;
        int m = sa[^2], k = sa[^1], kb = sb[^2], n = sb[^1];
        if (k != kb)
            throw new ShapeMismatchException($"MatMul inner dimensions differ: {ShapeUtil.Format(a.Shape)} x {ShapeUtil.Format(b.Shape)}.");
        var batchA = sa[..^2];
        var batchB = sb[..^2];
        var batch = ShapeUtil.Broadcast(batchA, batchB);
        var outShape = new List<int>(batch);
        if (a.Rank > 1) outShape.Add(m);
        if (b.Rank > 1) outShape.Add(n);
        var y = ctx.Allocate(DataType.Float, outShape.ToArray());
        int batches = ShapeUtil.ElementCount(batch);
        if (y.Length == 0) return [y];
        var p = GemmParams.Create(m, n, k);
        var av = a.Float;
        var bv = b.Float;
        var yv = y.Float;
        int strideA = Stride(batchA, batch, m * k), strideB = Stride(batchB, batch, k * n);
        if (strideA >= 0 && strideB >= 0)
        {
            p.BatchA = strideA;
            p.BatchB = strideB;
            GpuGemm.Run(ctx.Device, ctx.Stream, av, bv, yv, yv, yv, p, batches);
            return [y];
        }
        // Batch dims that broadcast in both directions: one launch per batch, with offsets from the batch index.
        var stridesA = ShapeUtil.BroadcastStrides(batchA, batch.Length);
        var stridesB = ShapeUtil.BroadcastStrides(batchB, batch.Length);
        var coord = new int[batch.Length];
        for (int bi = 0; bi < batches; bi++)
        {
            long offA = 0, offB = 0;
            for (int d = 0; d < batch.Length; d++)
            {
                offA += (long)coord[d] * stridesA[d];
                offB += (long)coord[d] * stridesB[d];
            }
            GpuGemm.Run(ctx.Device, ctx.Stream, av.SubView(offA * m * k, (long)m * k), bv.SubView(offB * k * n, (long)k * n),
                yv.SubView((long)bi * m * n, (long)m * n), yv, yv, p);
            for (int d = batch.Length - 1; d >= 0 && ++coord[d] == batch[d]; d--) coord[d] = 0;
        }
        return [y];
    }

    /// <summary>The element stride between batches of an operand: full batch, a single (broadcast) one (0), or −1.</summary>
    private static int Stride(int[] operand, int[] batch, int matrix)
    {
        if (ShapeUtil.ElementCount(operand) == 1) return 0;
        int offset = batch.Length - operand.Length;
        for (int d = 0; d < batch.Length; d++)
            if ((d >= offset ? operand[d - offset] : 1) != batch[d]) return -1;
        return matrix;
    }
}

/// <summary>Gemm: Y = alpha·op(A)·op(B) + beta·C, C broadcast to [M, N] and added in the GEMM's epilogue.</summary>
public sealed class GpuGemmOp(bool transA, bool transB, float alpha, float beta) : GpuOp
{
    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var a = inputs.Req(0);
        var b = inputs.Req(1);
        var c = inputs.Device(2);
        if (a.Rank != 2 || b.Rank != 2)
            throw new ShapeMismatchException($"Gemm needs 2-D A and B, got {ShapeUtil.Format(a.Shape)} and {ShapeUtil.Format(b.Shape)}.");
        int m = transA ? a.Shape[1] : a.Shape[0], k = transA ? a.Shape[0] : a.Shape[1];
        int kb = transB ? b.Shape[1] : b.Shape[0], n = transB ? b.Shape[0] : b.Shape[1];
        if (k != kb) throw new ShapeMismatchException($"Gemm inner dimensions differ: {ShapeUtil.Format(a.Shape)} x {ShapeUtil.Format(b.Shape)}.");
        var p = GemmParams.Create(m, n, k, transA, transB);
        p.Alpha = alpha;
        var y = ctx.Allocate(DataType.Float, [m, n]);
        if (y.Length == 0) return [y];
        var residual = y.Float;
        if (c is not null && beta != 0f)
        {
            if (c.Rank > 2) throw new ShapeMismatchException($"Gemm's C must have rank ≤ 2, got {ShapeUtil.Format(c.Shape)}.");
            int cm = c.Rank == 2 ? c.Shape[0] : 1, cn = c.Rank >= 1 ? c.Shape[^1] : 1;
            if (cm != 1 && cm != m || cn != 1 && cn != n)
                throw new ShapeMismatchException($"Gemm's C {ShapeUtil.Format(c.Shape)} does not broadcast to [{m},{n}].");
            p.HasResidual = 1;
            p.ResidualScale = beta;
            p.ResidualM = cm == 1 ? 0 : cn;
            p.ResidualN = cn == 1 ? 0 : 1;
            residual = c.Float;
        }
        GpuGemm.Run(ctx.Device, ctx.Stream, a.Float, b.Float, y.Float, y.Float, residual, p);
        return [y];
    }
}
