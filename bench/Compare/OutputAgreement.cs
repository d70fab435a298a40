namespace NativeInfer.Bench.Compare;

/// <summary>
/// How far NativeInfer's outputs are from ONNX Runtime's: per output, max |ni − ort| ÷ max |ort| (the error relative to
/// the output's scale; the plain max abs error when ORT's output is all zeros); overall, the worst output. NaN in
/// both at the same place counts as equal; NaN in one only, or differing shapes, make the error infinite.
/// </summary>
public static class OutputAgreement
{
    /// <summary>The tolerance compare holds NativeInfer to.</summary>
    public const double Tolerance = 1e-3;

    public static double MaxRelativeError(IReadOnlyList<OutputData> reference, IReadOnlyList<OutputData> actual)
    {
        if (reference.Count != actual.Count) return double.PositiveInfinity;
        double worst = 0;
        for (int o = 0; o < reference.Count; o++)
        {
            var r = reference[o];
            var a = actual[o];
            if (!r.Shape.SequenceEqual(a.Shape) || r.Values.Length != a.Values.Length) return double.PositiveInfinity;
            double scale = 0, err = 0;
            for (int i = 0; i < r.Values.Length; i++)
            {
                double x = r.Values[i], y = a.Values[i];
                if (double.IsNaN(x) || double.IsNaN(y))
                {
                    if (double.IsNaN(x) != double.IsNaN(y)) return double.PositiveInfinity;
                    continue;
                }
                if (double.IsInfinity(x) || double.IsInfinity(y))
                {
                    if (x != y) return double.PositiveInfinity;
                    continue;
                }
                scale = Math.Max(scale, Math.Abs(x));
                err = Math.Max(err, Math.Abs(x - y));
            }
            worst = Math.Max(worst, scale > 0 ? err / scale : err);
        }
        return worst;
    }
}
