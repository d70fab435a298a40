using System.Runtime.CompilerServices;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// How a tensor maps onto the result of reducing a set of its axes. Adjacent dims that are all kept or all reduced are
/// merged (size-1 dims dropped), so the input is walked in memory order as contiguous blocks — the innermost merged
/// group — each of which feeds either one output element (a reduced block) or a run of consecutive outputs (a kept
/// block). Every reduction in this family (Reduce*, ArgMax, Softmax, the normalizations) walks its input this way.
/// </summary>
internal sealed class ReducePlan
{
    private readonly int[] _sizes;       // merged groups above the innermost one, outermost first
    private readonly int[] _outStrides;  // output stride of each such group (0 for reduced groups)

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReducePlan(int[] inputShape, bool[] reduced, bool keepDims)
    {
        InputShape = inputShape;
        InputCount = ShapeUtil.ElementCount(inputShape);
        var outShape = new List<int>();
        var kept = new List<int>();
        long reducedCount = 1;
        for (int d = 0; d < inputShape.Length; d++)
        {
            if (reduced[d]) reducedCount *= inputShape[d];
            else kept.Add(inputShape[d]);
            if (!reduced[d]) outShape.Add(inputShape[d]);
            else if (keepDims) outShape.Add(1);
        }
        OutputShape = outShape.ToArray();
        OutputCount = ShapeUtil.ElementCount(kept.ToArray());
        ReducedCount = (int)Math.Min(reducedCount, int.MaxValue);

        // Merge runs of equal status, skipping size-1 dims, which change neither offsets nor output positions.
        var sizes = new List<int>();
        var isReduced = new List<bool>();
        for (int d = 0; d < inputShape.Length; d++)
        {
            if (inputShape[d] == 1) continue;
            if (sizes.Count > 0 && isReduced[^1] == reduced[d]) sizes[^1] *= inputShape[d];
            else
            {
                sizes.Add(inputShape[d]);
                isReduced.Add(reduced[d]);
            }
        }
        if (sizes.Count == 0)
        {
            sizes.Add(1);
            isReduced.Add(false);
        }
        var outStrides = new int[sizes.Count];
        int acc = 1;
        for (int g = sizes.Count - 1; g >= 0; g--)
        {
            if (isReduced[g]) continue;
            outStrides[g] = acc;
            acc *= sizes[g];
        }
        BlockLength = sizes[^1];
        BlockOutStride = outStrides[^1];
        _sizes = sizes.Take(sizes.Count - 1).ToArray();
        _outStrides = outStrides.Take(sizes.Count - 1).ToArray();
    }

    public int[] InputShape { get; }

    /// <summary>Shape of the result (reduced axes kept as 1 or removed, per keepdims).</summary>
    public int[] OutputShape { get; }

    public int InputCount { get; }

    public int OutputCount { get; }

    /// <summary>Number of input elements that fold into each output element.</summary>
    public int ReducedCount { get; }

    /// <summary>Length of the contiguous input blocks the walk visits.</summary>
    public int BlockLength { get; }

    /// <summary>1 when a block spans consecutive outputs (its axes are kept), 0 when it folds into one output.</summary>
    public int BlockOutStride { get; }

    /// <summary>A plan reducing <paramref name="axes"/> (any order, possibly negative; duplicates are an error).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ReducePlan Create(int[] shape, ReadOnlySpan<long> axes, bool keepDims, string op)
    {
        var reduced = new bool[shape.Length];
        foreach (long a in axes)
        {
            if (a < -shape.Length || a >= shape.Length)
                throw new ArgumentOutOfRangeException(nameof(axes), $"{op}: axis {a} is out of range for rank {shape.Length}.");
            int axis = (int)(a < 0 ? a + shape.Length : a);
            if (reduced[axis]) throw new ArgumentException($"{op}: axis {a} is listed twice.");
            reduced[axis] = true;
        }
        return new ReducePlan(shape, reduced, keepDims);
    }

    /// <summary>A plan reducing every axis.</summary>
    public static ReducePlan All(int[] shape, bool keepDims) =>
        new(shape, Enumerable.Repeat(true, shape.Length).ToArray(), keepDims);

    /// <summary>A plan reducing the axes from <paramref name="first"/> to the last (rows of a 2-D view).</summary>
    public static ReducePlan Trailing(int[] shape, int first, bool keepDims) =>
        new(shape, Enumerable.Range(0, shape.Length).Select(d => d >= first).ToArray(), keepDims);

    /// <summary>The (outer, axis, inner) extents of a shape around one axis: offset = (o · n + k) · inner + i.</summary>
    public static (int Outer, int N, int Inner) Split(int[] shape, int axis) =>
        (ShapeUtil.ElementCount(shape.AsSpan(0, axis)), shape[axis], ShapeUtil.ElementCount(shape.AsSpan(axis + 1)));

    /// <summary>
    /// Visits the input in memory order as blocks (input start, output start, length, output stride); the reduced
    /// positions of each output element arrive in increasing order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Walk<TV>(ref TV visitor) where TV : IBlockVisitor, allows ref struct
    {
        if (InputCount == 0) return;
        Span<int> idx = _sizes.Length <= 16 ? stackalloc int[_sizes.Length] : new int[_sizes.Length];
        int outBase = 0;
        for (int start = 0; start < InputCount; start += BlockLength)
        {
            visitor.Block(start, outBase, BlockLength, BlockOutStride);
            for (int d = idx.Length - 1; d >= 0; d--)
            {
                outBase += _outStrides[d];
                if (++idx[d] < _sizes[d]) break;
                outBase -= _outStrides[d] * _sizes[d];
                idx[d] = 0;
            }
        }
    }
}

/// <summary>Receives the contiguous blocks of a <see cref="ReducePlan"/> walk.</summary>
internal interface IBlockVisitor
{
    /// <summary>Input elements [inStart, inStart + length) map to outputs outStart + i · outStride.</summary>
    void Block(int inStart, int outStart, int length, int outStride);
}
