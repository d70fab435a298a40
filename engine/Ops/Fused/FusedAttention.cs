using System.Buffers;
using System.Runtime.CompilerServices;
using NativeInfer.IR;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Threading;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Fused;

/// <summary>
/// <c>ai.nativeinfer:FusedAttention</c>, made by the AttentionFusion pass: Y = softmax(scale · Q·Kᵀ + mask) · V, the
/// softmax over the last axis. Q is [..., Sq, D], V [..., Skv, Dv], K [..., Skv, D] (or, with <c>k_transposed</c> = 1,
/// the transposed [..., D, Skv]); the leading (batch, head) dims of Q, K and V are equal. The optional float32 mask
/// broadcasts to the scores' shape [..., Sq, Skv] (multidirectional, right-aligned, never widening it). Y is
/// [..., Sq, Dv]. Attributes: <c>scale</c> (float, default 1), <c>k_transposed</c> (int, default 0). float32.
/// <para>
/// Kernel: per (batch, block of query rows), the block's scores come from one SGEMM into a scratch row block, get the
/// mask and a row softmax there, and a second SGEMM multiplies them into Y: no more than one row block of scores per
/// thread exists at a time. Blocks run in parallel on the session's workers.
/// </para>
/// </summary>
internal sealed class FusedAttention : TensorOp
{
    public const string OpType = "FusedAttention";

    /// <summary>
    /// Most query rows per block. Each block's two SGEMMs pack their K and V panels again, so blocks are as tall as
    /// this allows (256 × 512 keys = 512 KB of scores, within L2) and are only split further to give every worker
    /// some tasks (a first try with 48-row blocks was 1.2× slower than the unfused graph at 512 keys).
    /// </summary>
    private const int MaxRowBlock = 256;

    private readonly float _scale;
    private readonly bool _kTransposed;

    public FusedAttention(OpBuildContext ctx)
    {
        _scale = ctx.Attributes.Float("scale", 1f);
        long kt = ctx.Attributes.Int("k_transposed", 0);
        if (kt is not (0 or 1)) throw new ArgumentException($"{OpType} {ctx.Node.Name}: k_transposed must be 0 or 1, got {kt}.");
        _kTransposed = kt == 1;
        if (ctx.InputCount is < 3 or > 4) throw new ArgumentException($"{OpType} {ctx.Node.Name}: expects Q, K, V and an optional mask, got {ctx.InputCount} inputs.");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override unsafe Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var q = Float(inputs.Req(0), "Q");
        var k = Float(inputs.Req(1), "K");
        var v = Float(inputs.Req(2), "V");
        var mask = inputs.Opt(3) is { } m ? Float(m, "mask") : null;
        int rank = q.Rank;
        if (rank < 2 || k.Rank != rank || v.Rank != rank)
            throw new ShapeMismatchException($"{OpType}: Q {ShapeUtil.Format(q.Shape)}, K {ShapeUtil.Format(k.Shape)} and V {ShapeUtil.Format(v.Shape)} must have one rank of at least 2.");
        for (int d = 0; d < rank - 2; d++)
            if (k.Shape[d] != q.Shape[d] || v.Shape[d] != q.Shape[d])
                throw new ShapeMismatchException($"{OpType}: Q {ShapeUtil.Format(q.Shape)}, K {ShapeUtil.Format(k.Shape)} and V {ShapeUtil.Format(v.Shape)} must share their leading dims.");
        int sq = q.Shape[rank - 2], depth = q.Shape[rank - 1];
        int skv = _kTransposed ? k.Shape[rank - 1] : k.Shape[rank - 2];
        int kDepth = _kTransposed ? k.Shape[rank - 2] : k.Shape[rank - 1];
        int dv = v.Shape[rank - 1];
        if (kDepth != depth || v.Shape[rank - 2] != skv)
            throw new ShapeMismatchException(
                $"{OpType}: K {ShapeUtil.Format(k.Shape)} (k_transposed={(_kTransposed ? 1 : 0)}) and V {ShapeUtil.Format(v.Shape)} do not fit Q {ShapeUtil.Format(q.Shape)}.");
        int batch = ShapeUtil.ElementCount(q.Shape.AsSpan(0, rank - 2));

        var yShape = (int[])q.Shape.Clone();
        yShape[rank - 1] = dv;
        var y = Tensor<float>.Uninitialized(yShape);
        if (y.Length == 0) return [y];
        if (skv == 0)
        {
            y.Span.Clear();   // an empty probability row times an empty V
            return [y];
        }

        // Mask strides over the scores' dims [lead..., Sq, Skv] (0 where the mask broadcasts).
        var maskStrides = new long[rank];
        if (mask is not null)
        {
            if (mask.Rank > rank) throw new ShapeMismatchException($"{OpType}: mask {ShapeUtil.Format(mask.Shape)} has a higher rank than the scores ({rank}).");
            long stride = 1;
            for (int d = rank - 1, md = mask.Rank - 1; md >= 0; d--, md--)
            {
                int full = d == rank - 1 ? skv : d == rank - 2 ? sq : q.Shape[d];
                int size = mask.Shape[md];
                if (size != 1 && size != full)
                    throw new ShapeMismatchException($"{OpType}: mask {ShapeUtil.Format(mask.Shape)} does not broadcast to the scores [..., {sq}, {skv}] of Q {ShapeUtil.Format(q.Shape)}.");
                maskStrides[d] = size == 1 ? 0 : stride;
                stride *= size;
            }
        }

        int rowBlock = Math.Min(MaxRowBlock, sq);
        int degree = KernelParallelism.MaxDegree;
        while (rowBlock > 32 && (long)batch * ((sq + rowBlock - 1) / rowBlock) < 2L * degree) rowBlock = (rowBlock + 1) / 2;
        int blocks = (sq + rowBlock - 1) / rowBlock;
        using var hq = q.Memory.Pin();
        using var hk = k.Memory.Pin();
        using var hv = v.Memory.Pin();
        using var hy = y.Memory.Pin();
        using var hm = mask is null ? default : mask.Memory.Pin();
        var body = new Body
        {
            Q = (float*)hq.Pointer, K = (float*)hk.Pointer, V = (float*)hv.Pointer, Y = (float*)hy.Pointer,
            Mask = mask is null ? null : (float*)hm.Pointer, MaskStrides = maskStrides, LeadShape = q.Shape,
            Sq = sq, Skv = skv, Depth = depth, Dv = dv, RowBlock = rowBlock, Blocks = blocks,
            Scale = _scale, KTransposed = _kTransposed,
        };
        KernelParallelism.For(0, checked(batch * blocks), ref body);
        return [y];
    }

    private static Tensor<float> Float(Tensor t, string what) => t as Tensor<float>
        ?? throw new NotSupportedException($"{OpType} computes float32 only; {what} is {DataTypes.Name(t.DataType)}.");

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs)
    {
        if (inputs.Length < 3 || inputs[0]?.Shape is not { Length: >= 2 } qs || inputs[2]?.Shape is not { Length: >= 2 } vs)
            return [TypeInfo.Tensor(DataType.Float)];
        var shape = (Dim[])qs.Clone();
        shape[^1] = vs[^1];
        return [TypeInfo.Tensor(DataType.Float, shape)];
    }

    /// <summary>One (batch, row block) task.</summary>
    private unsafe struct Body : IParallelBody
    {
        public float* Q, K, V, Y, Mask;
        public long[] MaskStrides;
        public int[] LeadShape;
        public int Sq, Skv, Depth, Dv, RowBlock, Blocks;
        public float Scale;
        public bool KTransposed;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Invoke(int index)
        {
            int b = index / Blocks, row0 = index % Blocks * RowBlock;
            int rows = Math.Min(RowBlock, Sq - row0);
            float[] rented = ArrayPool<float>.Shared.Rent(rows * Skv);
            try
            {
                var scores = rented.AsSpan(0, rows * Skv);
                var q = new ReadOnlySpan<float>(Q + ((long)b * Sq + row0) * Depth, rows * Depth);
                var k = new ReadOnlySpan<float>(K + (long)b * Skv * Depth, Skv * Depth);
                if (Depth == 0) scores.Clear();
                else Sgemm.Multiply(false, !KTransposed, rows, Skv, Depth, Scale, q, Depth, k, KTransposed ? Skv : Depth, 0f, scores, Skv);
                if (Mask is not null) AddMask(scores, b, row0, rows);
                SoftmaxKernels.Softmax(scores, scores, rows, Skv, 1, log: false);
                var vb = new ReadOnlySpan<float>(V + (long)b * Skv * Dv, Skv * Dv);
                var y = new Span<float>(Y + ((long)b * Sq + row0) * Dv, rows * Dv);
                Sgemm.Multiply(false, false, rows, Dv, Skv, 1f, scores, Skv, vb, Dv, 0f, y, Dv);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }

        /// <summary>scores[i, j] += mask[b, row0 + i, j] through the broadcast strides.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void AddMask(Span<float> scores, int b, int row0, int rows)
        {
            int rank = MaskStrides.Length;
            long offset = 0;
            for (int d = rank - 3, rest = b; d >= 0; d--)
            {
                offset += rest % LeadShape[d] * MaskStrides[d];
                rest /= LeadShape[d];
            }
            long rowStride = MaskStrides[rank - 2];
            bool perColumn = MaskStrides[rank - 1] != 0;
            for (int i = 0; i < rows; i++)
            {
                var s = scores.Slice(i * Skv, Skv);
                float* mrow = Mask + offset + (row0 + i) * rowStride;
                if (perColumn) AddRow(s, new ReadOnlySpan<float>(mrow, Skv));
                else AddScalar(s, *mrow);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void AddRow(Span<float> s, ReadOnlySpan<float> m)
        {
            var vs = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(s);
            var vm = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(m);
            for (int i = 0; i < vs.Length; i++) vs[i] += vm[i];
            for (int i = vs.Length * System.Numerics.Vector<float>.Count; i < s.Length; i++) s[i] += m[i];
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void AddScalar(Span<float> s, float m)
        {
            var vs = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(s);
            var vm = new System.Numerics.Vector<float>(m);
            for (int i = 0; i < vs.Length; i++) vs[i] += vm;
            for (int i = vs.Length * System.Numerics.Vector<float>.Count; i < s.Length; i++) s[i] += m;
        }
    }
}
