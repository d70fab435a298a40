namespace NativeInfer.Ops.Misc;

/// <summary>BlackmanWindow (opset 17): 0.42 − 0.5·cos(2πk/N) + 0.08·cos(4πk/N); see <see cref="WindowFunction"/>.</summary>
internal sealed class BlackmanWindowOp(OpBuildContext ctx) : WindowFunction(ctx, "BlackmanWindow")
{
    protected override (double A0, double A1, double A2) Coefficients => (0.42, 0.5, 0.08);
}
