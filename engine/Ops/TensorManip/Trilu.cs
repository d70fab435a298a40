using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Trilu: keeps the upper (upper=1: column - row ≥ k) or lower (upper=0: column - row ≤ k) triangle of each matrix in the
/// last two dims and zeroes the rest; k is the optional scalar input 1 (default 0).
/// </summary>
internal sealed class Trilu(bool upper) : TensorOp
{
    public static Trilu Create(OpBuildContext ctx) => new(ctx.Attributes.Int("upper", 1) != 0);

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        if (x.Rank < 2) throw new ShapeMismatchException("Trilu input must have rank 2 or more.");
        long k = inputs.Opt(1) is { } kt ? kt.ToInt64Array()[0] : 0;
        int rows = x.Shape[^2], cols = x.Shape[^1];
        var y = x.Clone();
        // per row, the zeroed columns form one run: [0, row+k) for upper, (row+k, cols) for lower
        var runStart = new int[rows];
        var runLength = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            long edge = r + k;
            if (upper)
                runLength[r] = (int)Math.Clamp(edge, 0, cols);
            else
            {
                runStart[r] = (int)Math.Clamp(edge + 1, 0, cols);
                runLength[r] = cols - runStart[r];
            }
        }
        Dispatch.Any<ClearRuns, bool>(y.DataType, new ClearRuns(y, runStart, runLength, cols));
        return [y];
    }

    private readonly struct ClearRuns(Tensor y, int[] runStart, int[] runLength, int cols) : IAnyFunc<bool>
    {
        public bool Invoke<T>()
        {
            var span = y.As<T>().Span;
            int rows = runStart.Length;
            if (rows == 0 || cols == 0) return true;
            for (int m = 0; m < span.Length; m += rows * cols)
                for (int r = 0; r < rows; r++)
                    span.Slice(m + r * cols + runStart[r], runLength[r]).Clear();
            return true;
        }
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => [TypeRules.At(inputs, 0)];
}
