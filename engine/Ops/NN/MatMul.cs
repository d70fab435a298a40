using NativeInfer.Kernels.Cpu;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// MatMul: numpy matrix product of A [..., M, K] and B [..., K, N] with broadcast batch dims; a 1-D operand is
/// promoted to a matrix and the promoted dim dropped from the result. float16/bfloat16 compute in float32.
/// A constant float32 B with a single matrix (weights: [K, N], or batch dims all 1) is packed once at build time into
/// the SGEMM panel layout; every batch row of A then runs as one product against it.
/// </summary>
internal sealed class MatMul : TensorOp, Session.IPackedWeightOp
{
    private Tensor? _constantB;
    private readonly SgemmPackedB? _packedB;

    int Session.IPackedWeightOp.PackedInput => _packedB is null ? -1 : 1;
    Tensor? Session.IPackedWeightOp.PackedSource => _packedB is null ? null : _constantB;
    void Session.IPackedWeightOp.UsePackedFor(Tensor standIn) => _constantB = standIn;

    public MatMul() { }

    private MatMul(Tensor constantB, SgemmPackedB packedB)
    {
        _constantB = constantB;
        _packedB = packedB;
    }

    /// <summary>True when a constant B was packed at build time.</summary>
    internal bool HasPackedB => _packedB is not null;

    public static MatMul Create(OpBuildContext ctx)
    {
        var b = ctx.ConstantInput(1);
        if (b is not Tensor<float> fb || b.Rank < 2 || b.Length == 0) return new MatMul();
        for (int i = 0; i < b.Rank - 2; i++) if (b.Shape[i] != 1) return new MatMul();
        int k = b.Shape[^2], n = b.Shape[^1];
        return new MatMul(b, Sgemm.PackB(false, k, n, fb.Span, n));
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var a = inputs.Req(0);
        var b = inputs.Req(1);
        if (a.DataType != b.DataType)
            throw new ArgumentException($"MatMul operands differ in type: {DataTypes.Name(a.DataType)} and {DataTypes.Name(b.DataType)}.");
        // The pre-packed B stands in for the input only when the input is that very initializer (a caller may feed a
        // different tensor for an initializer that is also a graph input).
        if (_packedB is not null && ReferenceEquals(b, _constantB) && a is Tensor<float> fa) return [WithPackedB(fa, b.Shape)];
        var type = a.DataType;
        var r = Dispatch.Numeric<Product, Tensor>(FloatWidening.IsNarrow(type) ? DataType.Float : type,
            new Product(FloatWidening.Widen(a), FloatWidening.Widen(b)));
        return [FloatWidening.Narrow(r, type)];
    }

    /// <summary>A [..., M, K] (or [K]) times the packed single-matrix B: all of A's rows form one M' = batch·M product.</summary>
    private Tensor<float> WithPackedB(Tensor<float> a, int[] bShape)
    {
        var (outShape, _, m, k, n) = MatMulKernel.Plan(a.Shape, bShape);
        var y = new Tensor<float>(outShape);
        int rows = a.Length / Math.Max(1, k);
        if (y.Length == 0) return y;
        if (k == 0) return y; // empty sum: zeros
        Sgemm.Multiply(false, rows, 1f, a.Span, k, _packedB!, 0f, y.Span, n);
        return y;
    }

    private readonly struct Product(Tensor a, Tensor b) : INumericFunc<Tensor>
    {
        public Tensor Invoke<T>() where T : unmanaged, System.Numerics.INumber<T> => MatMulKernel.MatMul(a.As<T>(), b.As<T>());
    }
}
