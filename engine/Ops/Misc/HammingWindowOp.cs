namespace NativeInfer.Ops.Misc;

/// <summary>HammingWindow (opset 17): 25/46 − 21/46·cos(2πk/N); see <see cref="WindowFunction"/>.</summary>
internal sealed class HammingWindowOp(OpBuildContext ctx) : WindowFunction(ctx, "HammingWindow")
{
    protected override (double A0, double A1, double A2) Coefficients => (25.0 / 46, 21.0 / 46, 0);
}
