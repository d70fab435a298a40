using System.Runtime.CompilerServices;
using NativeInfer.IR;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// Gemm: Y = alpha·op(A)·op(B) + beta·C with A, B 2-D (op = optional transpose), C optional and unidirectionally
/// broadcast to [M, N]. float16/bfloat16 compute in float32.
/// float32 runs on the SGEMM: a constant B is packed once at build time; a C of shape [N] / [1, N] (or [M, 1]) is
/// added as a bias in the GEMM's epilogue instead of being broadcast into Y first.
/// </summary>
internal sealed class Gemm : TensorOp, Session.IPackedWeightOp
{
    private readonly bool _transA, _transB;
    private readonly float _alpha, _beta;
    private Tensor? _constantB;
    private readonly SgemmPackedB? _packedB;

    int Session.IPackedWeightOp.PackedInput => _packedB is null ? -1 : 1;
    Tensor? Session.IPackedWeightOp.PackedSource => _packedB is null ? null : _constantB;
    void Session.IPackedWeightOp.UsePackedFor(Tensor standIn) => _constantB = standIn;

    public Gemm(bool transA, bool transB, float alpha, float beta, Tensor? constantB = null, SgemmPackedB? packedB = null)
    {
        _transA = transA;
        _transB = transB;
        _alpha = alpha;
        _beta = beta;
        _constantB = constantB;
        _packedB = packedB;
    }

    /// <summary>True when a constant B was packed at build time.</summary>
    internal bool HasPackedB => _packedB is not null;

    public static Gemm Create(OpBuildContext ctx)
    {
        bool transA = ctx.Attributes.Int("transA", 0) != 0, transB = ctx.Attributes.Int("transB", 0) != 0;
        float alpha = ctx.Attributes.Float("alpha", 1f), beta = ctx.Attributes.Float("beta", 1f);
        var b = ctx.ConstantInput(1);
        if (b is Tensor<float> fb && b.Rank == 2 && b.Length > 0)
        {
            int k = transB ? b.Shape[1] : b.Shape[0], n = transB ? b.Shape[0] : b.Shape[1];
            return new Gemm(transA, transB, alpha, beta, b, Sgemm.PackB(transB, k, n, fb.Span, b.Shape[1]));
        }
        return new Gemm(transA, transB, alpha, beta);
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var a = inputs.Req(0);
        var b = inputs.Req(1);
        var c = inputs.Opt(2);
        if (a.Rank != 2 || b.Rank != 2)
            throw new ShapeMismatchException($"Gemm needs 2-D A and B, got {ShapeUtil.Format(a.Shape)} and {ShapeUtil.Format(b.Shape)}.");
        if (a.DataType != b.DataType || c is not null && c.DataType != a.DataType)
            throw new ArgumentException("Gemm inputs must share one element type.");
        int m = _transA ? a.Shape[1] : a.Shape[0], k = _transA ? a.Shape[0] : a.Shape[1];
        int kb = _transB ? b.Shape[1] : b.Shape[0], n = _transB ? b.Shape[0] : b.Shape[1];
        if (k != kb)
            throw new ShapeMismatchException($"Gemm inner dimensions differ: {ShapeUtil.Format(a.Shape)} x {ShapeUtil.Format(b.Shape)}.");
        bool useC = c is not null && _beta != 0f;
        int[]? cs = useC ? BroadcastShape(c!, m, n) : null;
        var type = a.DataType;
        if (type == DataType.Float) return [Float(a.As<float>(), b.As<float>(), useC ? c!.As<float>() : null, cs, m, n, k)];
        var computeType = FloatWidening.IsNarrow(type) ? DataType.Float : type;
        var y = Tensor.Create(computeType, [m, n]);
        if (useC) FillBroadcast(FloatWidening.Widen(c!), y, cs!);
        Dispatch.Numeric<Product, bool>(computeType,
            new Product(FloatWidening.Widen(a), FloatWidening.Widen(b), y, this, m, n, k, useC));
        return [FloatWidening.Narrow(y, type)];
    }

    /// <summary>float32: the SGEMM with C as an epilogue bias when it is a row or column vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Tensor<float> Float(Tensor<float> a, Tensor<float> b, Tensor<float>? c, int[]? cs, int m, int n, int k)
    {
        var y = new Tensor<float>([m, n]);
        float beta = 0f;
        var epilogue = default(SgemmEpilogue);
        if (c is not null)
        {
            bool perColumn = cs![0] == 1 && cs[1] == n && n > 1, perRow = cs[0] == m && cs[1] == 1 && m > 1;
            if (perColumn || perRow)
            {
                ReadOnlySpan<float> bias = c.Span;
                if (_beta != 1f)
                {
                    var scaled = new float[bias.Length];
                    for (int i = 0; i < scaled.Length; i++) scaled[i] = _beta * bias[i];
                    bias = scaled;
                }
                epilogue = perColumn ? SgemmEpilogue.ColumnBias(bias) : SgemmEpilogue.RowBias(bias);
            }
            else
            {
                FillBroadcast(c, y, cs);
                beta = _beta;
            }
        }
        int lda = a.Shape[1];
        if (_packedB is not null && ReferenceEquals(b, _constantB))
            Sgemm.Multiply(_transA, m, _alpha, a.Span, lda, _packedB, beta, y.Span, n, epilogue);
        else
            Sgemm.Multiply(_transA, _transB, m, n, k, _alpha, a.Span, lda, b.Span, b.Shape[1], beta, y.Span, n, epilogue);
        return y;
    }

    /// <summary>C's shape as [rows, cols] after checking that it broadcasts unidirectionally to [M, N].</summary>
    private static int[] BroadcastShape(Tensor c, int m, int n)
    {
        if (c.Rank > 2) throw new ShapeMismatchException($"Gemm C {ShapeUtil.Format(c.Shape)} has rank above 2.");
        int[] cs = c.Rank == 2 ? c.Shape : c.Rank == 1 ? [1, c.Shape[0]] : [1, 1];
        if (cs[0] != 1 && cs[0] != m || cs[1] != 1 && cs[1] != n)
            throw new ShapeMismatchException($"Gemm C {ShapeUtil.Format(c.Shape)} does not broadcast to [{m},{n}].");
        return cs;
    }

    /// <summary>Copies C into Y [M, N] with unidirectional broadcasting.</summary>
    private static void FillBroadcast(Tensor c, Tensor y, int[] cs) => Dispatch.Numeric<Fill, bool>(c.DataType, new Fill(c, y, cs));

    private readonly struct Fill(Tensor c, Tensor y, int[] cs) : INumericFunc<bool>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Invoke<T>() where T : unmanaged, System.Numerics.INumber<T>
        {
            var ys = y.As<T>().Span;
            int lda = a.Shape[1], ldb = b.Shape[1];
            if (typeof(T) == typeof(float))
            {
                Sgemm.Multiply(op._transA, op._transB, m, n, k, op._alpha, a.As<float>().Span, lda, b.As<float>().Span, ldb,
                    useC ? op._beta : 0f, y.As<float>().Span, n);
                return true;
            }
            // Other types: Y = op(A)·op(B) into a scratch, then Y = alpha·AB + beta·C.
            var ab = new T[m * n];
            MatMulKernel.Gemm(op._transA, op._transB, m, n, k, a.As<T>().Span, lda, b.As<T>().Span, ldb, ab, n);
            T alpha = T.CreateTruncating(op._alpha), beta = T.CreateTruncating(op._beta);
            bool unitAlpha = op._alpha == 1f;
            for (int i = 0; i < ab.Length; i++)
            {
                T v = unitAlpha ? ab[i] : alpha * ab[i];
                ys[i] = useC ? v + beta * ys[i] : v;
            }
            return true;
        }
    }
}
