using System.Buffers;
using NativeInfer.IR;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Fused;

/// <summary>
/// <c>ai.nativeinfer:FusedGemm</c>, made by the optimizer: Y = activation(alpha·op(A)·op(B) + beta·C + R), run as one
/// SGEMM whose epilogue adds the bias and the residual and applies the activation to each output tile while it is in
/// cache. float32 only.
/// <para>
/// Inputs: A, B [K, N] (or [N, K] with transB), C (optional) broadcast unidirectionally to [M, N] as in Gemm, R
/// (optional) with Y's shape. A is [M, K] (or [K, M] with transA); without transA it may also have more dims
/// [d0, ..., K]: its leading dims then form the rows (M = d0·…) and Y is [d0, ..., N], as MatMul with a 2-D B gives.
/// Attributes: Gemm's transA, transB, alpha, beta (defaults 0, 0, 1, 1), <c>activation</c> (a
/// <see cref="SgemmActivationKind"/> name: Relu, Clip, LeakyRelu, HardSigmoid, Sigmoid, Tanh, GeluErf, GeluTanh,
/// Silu; absent or empty = none) and <c>activation_params</c> (LeakyRelu: alpha; Clip: min, max; HardSigmoid: alpha,
/// beta).
/// </para>
/// A constant B is packed once at build time; a constant C that is a row or column vector is scaled by beta once.
/// </summary>
internal sealed class FusedGemm : TensorOp, Session.IPackedWeightOp
{
    public const string Domain = "ai.nativeinfer";
    public const string OpType = "FusedGemm";

    private readonly bool _transA, _transB;
    private readonly float _alpha, _beta;
    private readonly SgemmActivation _activation;
    private Tensor? _constantB;
    private readonly SgemmPackedB? _packedB;

    int Session.IPackedWeightOp.PackedInput => _packedB is null ? -1 : 1;
    Tensor? Session.IPackedWeightOp.PackedSource => _packedB is null ? null : _constantB;
    void Session.IPackedWeightOp.UsePackedFor(Tensor standIn) => _constantB = standIn;
    private readonly Tensor? _constantC;
    private readonly float[]? _scaledC;

    public FusedGemm(OpBuildContext ctx)
    {
        var attrs = ctx.Attributes;
        _transA = attrs.Int("transA", 0) != 0;
        _transB = attrs.Int("transB", 0) != 0;
        _alpha = attrs.Float("alpha", 1f);
        _beta = attrs.Float("beta", 1f);
        _activation = ParseActivation(attrs.String("activation", ""), attrs.Floats("activation_params"));
        var b = ctx.ConstantInput(1);
        if (b is Tensor<float> fb && b.Rank == 2 && b.Length > 0)
        {
            int k = _transB ? b.Shape[1] : b.Shape[0], n = _transB ? b.Shape[0] : b.Shape[1];
            _constantB = b;
            _packedB = Sgemm.PackB(_transB, k, n, fb.Span, b.Shape[1]);
        }
        if (_beta != 1f && ctx.ConstantInput(2) is Tensor<float> fc && fc.Rank <= 2)
        {
            _constantC = fc;
            _scaledC = fc.Span.ToArray();
            for (int i = 0; i < _scaledC.Length; i++) _scaledC[i] *= _beta;
        }
    }

    public static void Register(OpRegistry r) => r.Register(Domain, OpType, 1, ctx => new FusedGemm(ctx));

    /// <summary>The epilogue activation named by the <c>activation</c> / <c>activation_params</c> attributes.</summary>
    /// <exception cref="NotSupportedException">An unknown activation name.</exception>
    public static SgemmActivation ParseActivation(string name, float[]? p)
    {
        if (name.Length == 0 || name == nameof(SgemmActivationKind.None)) return SgemmActivation.None;
        if (!Enum.GetNames<SgemmActivationKind>().Contains(name))
            throw new NotSupportedException(
                $"{OpType}: unknown activation '{name}' (expected one of {string.Join(", ", Enum.GetNames<SgemmActivationKind>())}).");
        var kind = Enum.Parse<SgemmActivationKind>(name);
        float P(int i, float d) => p is not null && p.Length > i ? p[i] : d;
        return kind switch
        {
            SgemmActivationKind.LeakyRelu => SgemmActivation.LeakyRelu(P(0, 0.01f)),
            SgemmActivationKind.Clip => SgemmActivation.Clip(P(0, float.NegativeInfinity), P(1, float.PositiveInfinity)),
            SgemmActivationKind.HardSigmoid => SgemmActivation.HardSigmoid(P(0, 0.2f), P(1, 0.5f)),
            _ => new SgemmActivation(kind),
        };
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var a = inputs.Req(0);
        var b = inputs.Req(1);
        var c = inputs.Opt(2);
        var r = inputs.Opt(3);
        if (a.DataType != DataType.Float || b.DataType != DataType.Float || c is { DataType: not DataType.Float } || r is { DataType: not DataType.Float })
            throw new NotSupportedException($"{OpType} computes float32 only.");
        if (b.Rank != 2 || a.Rank < 2 || _transA && a.Rank != 2)
            throw new ShapeMismatchException(
                $"{OpType} needs a 2-D B and an A of rank 2 (or more without transA), got {ShapeUtil.Format(a.Shape)} and {ShapeUtil.Format(b.Shape)}.");
        int k = _transA ? a.Shape[0] : a.Shape[^1];
        int m = _transA ? a.Shape[1] : ShapeUtil.ElementCount(a.Shape.AsSpan(0, a.Rank - 1));
        int kb = _transB ? b.Shape[1] : b.Shape[0], n = _transB ? b.Shape[0] : b.Shape[1];
        if (k != kb)
            throw new ShapeMismatchException($"{OpType} inner dimensions differ: {ShapeUtil.Format(a.Shape)} x {ShapeUtil.Format(b.Shape)}.");
        int[] outShape = _transA ? [m, n] : [.. a.Shape[..^1], n];
        if (r is not null && !r.Shape.AsSpan().SequenceEqual(outShape))
            throw new ShapeMismatchException($"{OpType} residual {ShapeUtil.Format(r.Shape)} must have the output's shape {ShapeUtil.Format(outShape)}.");
        var y = new Tensor<float>(outShape);
        if (y.Length == 0) return [y];

        float beta = 0f;
        float[]? rented = null;
        ReadOnlySpan<float> bias = default;
        var biasKind = SgemmBiasKind.None;
        if (c is not null && _beta != 0f)
        {
            var cs = BroadcastShape(c, m, n);
            bool perColumn = cs[0] == 1 && cs[1] == n, perRow = !perColumn && cs[0] == m && cs[1] == 1;
            if (perColumn || perRow)
            {
                biasKind = perColumn ? SgemmBiasKind.PerColumn : SgemmBiasKind.PerRow;
                if (_beta == 1f) bias = c.As<float>().Span;
                else if (ReferenceEquals(c, _constantC)) bias = _scaledC;
                else
                {
                    rented = ArrayPool<float>.Shared.Rent(c.Length);
                    var src = c.As<float>().Span;
                    for (int i = 0; i < src.Length; i++) rented[i] = _beta * src[i];
                    bias = rented.AsSpan(0, src.Length);
                }
            }
            else
            {
                Fill(c.As<float>().Span, cs, y.Span, m, n);
                beta = _beta;
            }
        }
        var epilogue = new SgemmEpilogue
        {
            Bias = bias,
            BiasKind = biasKind,
            Residual = r is null ? default : r.As<float>().Span,
            ResidualStride = r is null ? 0 : n,
            Activation = _activation,
        };
        try
        {
            int lda = a.Shape[^1];
            if (_packedB is not null && ReferenceEquals(b, _constantB))
                Sgemm.Multiply(_transA, m, _alpha, a.As<float>().Span, lda, _packedB, beta, y.Span, n, epilogue);
            else
                Sgemm.Multiply(_transA, _transB, m, n, k, _alpha, a.As<float>().Span, lda, b.As<float>().Span, b.Shape[1], beta, y.Span, n, epilogue);
        }
        finally
        {
            if (rented is not null) ArrayPool<float>.Shared.Return(rented);
        }
        return [y];
    }

    /// <summary>C's shape as [rows, cols] after checking that it broadcasts unidirectionally to [M, N].</summary>
    private static int[] BroadcastShape(Tensor c, int m, int n)
    {
        if (c.Rank > 2) throw new ShapeMismatchException($"{OpType} C {ShapeUtil.Format(c.Shape)} has rank above 2.");
        int[] cs = c.Rank == 2 ? c.Shape : c.Rank == 1 ? [1, c.Shape[0]] : [1, 1];
        if (cs[0] != 1 && cs[0] != m || cs[1] != 1 && cs[1] != n)
            throw new ShapeMismatchException($"{OpType} C {ShapeUtil.Format(c.Shape)} does not broadcast to [{m},{n}].");
        return cs;
    }

    /// <summary>Y[M, N] = C broadcast (C is [1|M, 1|N]).</summary>
    private static void Fill(ReadOnlySpan<float> c, int[] cs, Span<float> y, int m, int n)
    {
        for (int i = 0; i < m; i++)
        {
            var row = y.Slice(i * n, n);
            int ci = cs[0] == 1 ? 0 : i * cs[1];
            if (cs[1] == 1) row.Fill(c[ci]);
            else c.Slice(ci, n).CopyTo(row);
        }
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs)
    {
        if (inputs.Length < 2 || inputs[0] is not { Shape: { } a } ta || inputs[1]?.Shape is not { Length: 2 } b) return null;
        bool transA = node.Attributes.Int("transA", 0) != 0, transB = node.Attributes.Int("transB", 0) != 0;
        if (a.Length < 2 || transA && a.Length != 2) return null;
        var n = transB ? b[0] : b[1];
        return [ta with { Shape = transA ? [a[1], n] : [.. a[..^1], n] }];
    }
}
