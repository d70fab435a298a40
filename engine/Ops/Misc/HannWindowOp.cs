namespace NativeInfer.Ops.Misc;

/// <summary>HannWindow (opset 17): the Hann window 0.5 − 0.5·cos(2πk/N); see <see cref="WindowFunction"/>.</summary>
internal sealed class HannWindowOp(OpBuildContext ctx) : WindowFunction(ctx, "HannWindow")
{
    protected override (double A0, double A1, double A2) Coefficients => (0.5, 0.5, 0);
}
