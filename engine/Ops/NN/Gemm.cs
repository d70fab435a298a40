using NativeInfer.IR;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// Gemm: Y = alpha·op(A)·op(B) + beta·C with A, B 2-D (op = optional transpose), C optional and unidirectionally
/// broadcast to [M, N]. float16/bfloat16 compute in float32.
/// </summary>
internal sealed class Gemm(bool transA, bool transB, float alpha, float beta) : TensorOp
{
    public static Gemm Create(OpBuildContext ctx) => new(
        ctx.Attributes.Int("transA", 0) != 0, ctx.Attributes.Int("transB", 0) != 0,
        ctx.Attributes.Float("alpha", 1f), ctx.Attributes.Float("beta", 1f));

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var a = inputs.Req(0);
        var b = inputs.Req(1);
        var c = inputs.Opt(2);
        if (a.Rank != 2 || b.Rank != 2)
            throw new ShapeMismatchException($"Gemm needs 2-D A and B, got {ShapeUtil.Format(a.Shape)} and {ShapeUtil.Format(b.Shape)}.");
        if (a.DataType != b.DataType || c is not null && c.DataType != a.DataType)
            throw new ArgumentException("Gemm inputs must share one element type.");
        int m = transA ? a.Shape[1] : a.Shape[0], k = transA ? a.Shape[0] : a.Shape[1];
        int kb = transB ? b.Shape[1] : b.Shape[0], n = transB ? b.Shape[0] : b.Shape[1];
        if (k != kb)
            throw new ShapeMismatchException($"Gemm inner dimensions differ: {ShapeUtil.Format(a.Shape)} x {ShapeUtil.Format(b.Shape)}.");
        var type = a.DataType;
        var computeType = FloatWidening.IsNarrow(type) ? DataType.Float : type;
        var y = Tensor.Create(computeType, [m, n]);
        bool useC = c is not null && beta != 0f;
        if (useC) FillBroadcast(FloatWidening.Widen(c!), y);
        Dispatch.Numeric<Product, bool>(computeType,
            new Product(FloatWidening.Widen(a), FloatWidening.Widen(b), y, this, m, n, k, useC));
        return [FloatWidening.Narrow(y, type)];
    }

    /// <summary>Copies C into Y [M, N] with unidirectional broadcasting.</summary>
    private static void FillBroadcast(Tensor c, Tensor y)
    {
        int m = y.Shape[0], n = y.Shape[1];
        if (c.Rank > 2) throw new ShapeMismatchException($"Gemm C {ShapeUtil.Format(c.Shape)} has rank above 2.");
        int[] cs = c.Rank == 2 ? c.Shape : c.Rank == 1 ? [1, c.Shape[0]] : [1, 1];
        if (cs[0] != 1 && cs[0] != m || cs[1] != 1 && cs[1] != n)
            throw new ShapeMismatchException($"Gemm C {ShapeUtil.Format(c.Shape)} does not broadcast to [{m},{n}].");
        Dispatch.Numeric<Fill, bool>(c.DataType, new Fill(c, y, cs));
    }

    private readonly struct Fill(Tensor c, Tensor y, int[] cs) : INumericFunc<bool>
    {
        public bool Invoke<T>() where T : unmanaged, System.Numerics.INumber<T>
        {
            var src = c.As<T>().Span;
            var dst = y.As<T>().Span;
            int m = y.Shape[0], n = y.Shape[1];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                    dst[i * n + j] = src[(cs[0] == 1 ? 0 : i) * cs[1] + (cs[1] == 1 ? 0 : j)];
            return true;
        }
    }

    private readonly struct Product(Tensor a, Tensor b, Tensor y, Gemm op, int m, int n, int k, bool useC) : INumericFunc<bool>
    {
        public bool Invoke<T>() where T : unmanaged, System.Numerics.INumber<T>
        {
            var ys = y.As<T>().Span;
            int lda = a.Shape[1], ldb = b.Shape[1];
            if (typeof(T) == typeof(float))
            {
                PackedSgemm.Multiply(op.TransA, op.TransB, m, n, k, op.Alpha, a.As<float>().Span, lda, b.As<float>().Span, ldb,
                    useC ? op.Beta : 0f, y.As<float>().Span, n);
                return true;
            }
            // Other types: Y = op(A)·op(B) into a scratch, then Y = alpha·AB + beta·C.
            var ab = new T[m * n];
            MatMulKernel.Gemm(op.TransA, op.TransB, m, n, k, a.As<T>().Span, lda, b.As<T>().Span, ldb, ab, n);
            T alpha = T.CreateTruncating(op.Alpha), beta = T.CreateTruncating(op.Beta);
            bool unitAlpha = op.Alpha == 1f;
            for (int i = 0; i < ab.Length; i++)
            {
                T v = unitAlpha ? ab[i] : alpha * ab[i];
                ys[i] = useC ? v + beta * ys[i] : v;
            }
            return true;
        }
    }

    internal bool TransA => transA;
    internal bool TransB => transB;
    internal float Alpha => alpha;
    internal float Beta => beta;
}
