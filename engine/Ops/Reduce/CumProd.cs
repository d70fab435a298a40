namespace NativeInfer.Ops.Reduce;

/// <summary>CumProd (opset 26): running products along an axis (see <see cref="CumulativeOp{TR}"/>).</summary>
internal sealed class CumProd(OpBuildContext ctx) : CumulativeOp<ReduceProd.Kernel>(ctx);
