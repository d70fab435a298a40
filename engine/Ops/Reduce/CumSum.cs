namespace NativeInfer.Ops.Reduce;

/// <summary>CumSum: running sums along an axis (see <see cref="CumulativeOp{TR}"/>).</summary>
internal sealed class CumSum(OpBuildContext ctx) : CumulativeOp<ReduceSum.Kernel>(ctx);
