using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>Helpers of the ops that normalize the trailing dims of X as rows (LayerNormalization, RMSNormalization).</summary>
internal static class RowNorm
{
    /// <summary>The first normalized axis, validated against X's rank.</summary>
    public static int Axis(long axis, Tensor x, string op)
    {
        if (axis < -x.Rank || axis >= x.Rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"{op}: axis {axis} is out of range for {x}.");
        return (int)(axis < 0 ? axis + x.Rank : axis);
    }

    /// <summary>
    /// A per-element parameter (scale or bias) broadcast to the normalized shape — one row shared by all rows — or,
    /// failing that, to all of X.
    /// </summary>
    public readonly struct Param<T> where T : unmanaged
    {
        private readonly T[]? _values;
        private readonly int _rowStride;
        private readonly int _cols;

        public Param(Tensor t, int[] xShape, int axis, string op, string what)
        {
            var typed = FloatWork.As<T>(t);
            int[] normalized = xShape[axis..];
            _cols = ShapeUtil.ElementCount(normalized);
            bool shared = FloatWork.CanExpand(typed.Shape, normalized);
            _values = FloatWork.Expand(typed, shared ? normalized : xShape, op, what);
            _rowStride = shared ? 0 : _cols;
        }

        /// <summary>The expanded values (null when the parameter is absent): one shared row, or one row per row of X.</summary>
        public T[]? Values => _values;

        /// <summary>Elements between consecutive rows' parameters in <see cref="Values"/> (0 when one row is shared).</summary>
        public int RowStride => _rowStride;

        /// <summary>The parameter values for row r (empty when the parameter is absent).</summary>
        public ReadOnlySpan<T> Row(int r) => _values is null ? default : _values.AsSpan(r * _rowStride, _cols);
    }
}
