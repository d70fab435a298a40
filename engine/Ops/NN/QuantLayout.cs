using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// Which scale / zero-point entry each element of a tensor uses in (De)QuantizeLinear: one for the whole tensor, one
/// per index along <c>axis</c> (1-D scale), or one per block of <c>block_size</c> indices along <c>axis</c> (scale of
/// the input's rank, that dim shrunk to ⌈dim / block_size⌉).
/// </summary>
internal sealed class QuantLayout
{
    private enum Mode { PerTensor, PerAxis, Blocked }

    private readonly Mode _mode;
    private readonly int _dim, _inner, _scaleDim, _block;

    private QuantLayout(Mode mode, int dim, int inner, int scaleDim, int block)
    {
        _mode = mode;
        _dim = dim;
        _inner = inner;
        _scaleDim = scaleDim;
        _block = block;
    }

    public static QuantLayout Create(string opName, int[] x, Tensor scale, Tensor? zeroPoint, long axisAttr, long blockSize)
    {
        if (zeroPoint is not null && !zeroPoint.Shape.AsSpan().SequenceEqual(scale.Shape) && !(scale.Length == 1 && zeroPoint.Length == 1))
            throw new ShapeMismatchException($"{opName}: zero point {ShapeUtil.Format(zeroPoint.Shape)} must have the scale's shape {ShapeUtil.Format(scale.Shape)}.");
        if (blockSize < 0) throw new NotSupportedException($"{opName}: block_size must be non-negative.");
        if (scale.Length == 1 && scale.Rank <= 1 && blockSize == 0) return new QuantLayout(Mode.PerTensor, 1, 1, 1, 1);
        int axis = ShapeUtil.NormalizeAxis(axisAttr, x.Length);
        int dim = x[axis];
        int inner = ShapeUtil.ElementCount(x.AsSpan(axis + 1));
        if (blockSize == 0)
        {
            if (scale.Rank != 1 || scale.Length != dim)
                throw new ShapeMismatchException($"{opName}: per-axis scale {ShapeUtil.Format(scale.Shape)} must be 1-D of size {dim} (axis {axis}).");
            return new QuantLayout(Mode.PerAxis, dim, inner, dim, 1);
        }
        if (scale.Rank != x.Length)
            throw new ShapeMismatchException($"{opName}: blocked scale {ShapeUtil.Format(scale.Shape)} must have the input's rank {x.Length}.");
        long blocks = (dim + blockSize - 1) / blockSize;
        for (int d = 0; d < x.Length; d++)
        {
            long want = d == axis ? blocks : x[d];
            if (scale.Shape[d] != want)
                throw new ShapeMismatchException(
                    $"{opName}: blocked scale {ShapeUtil.Format(scale.Shape)} does not fit input {ShapeUtil.Format(x)} with block_size {blockSize} on axis {axis}.");
        }
        return new QuantLayout(Mode.Blocked, dim, inner, (int)blocks, (int)Math.Min(blockSize, int.MaxValue));
    }

    /// <summary>The scale / zero-point entry used by element <paramref name="i"/> (row-major index into x).</summary>
    public int Index(int i)
    {
        switch (_mode)
        {
            case Mode.PerTensor: return 0;
            case Mode.PerAxis: return i / _inner % _dim;
            default:
            {
                int inner = i % _inner;
                int t = i / _inner;
                int a = t % _dim;
                int outer = t / _dim;
                return (outer * _scaleDim + a / _block) * _inner + inner;
            }
        }
    }
}
