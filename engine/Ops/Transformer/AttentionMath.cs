using System.Runtime.CompilerServices;

namespace NativeInfer.Ops.Transformer;

/// <summary>Small dense loops shared by the attention-style ops of this family (double accumulation).</summary>
internal static class AttentionMath
{
    /// <summary>Dot product of two equally long vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>
    /// In-place softmax of one row, each stage rounded to <paramref name="p"/>. A row whose entries are all -inf
    /// (fully masked) becomes all zeros instead of NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Softmax(Span<double> row, Precision p)
    {
        double max = double.NegativeInfinity;
        bool nan = false;
        foreach (double x in row)
        {
            if (double.IsNaN(x)) nan = true;
            else if (x > max) max = x;
        }
        if (!nan && double.IsNegativeInfinity(max))
        {
            row.Clear();
            return;
        }
        double sum = 0;
        for (int j = 0; j < row.Length; j++)
        {
            double e = p.Round(Math.Exp(p.Round(row[j] - max)));
            row[j] = e;
            sum += e;
        }
        sum = p.Round(sum);
        for (int j = 0; j < row.Length; j++) row[j] = p.Round(row[j] / sum);
    }

    /// <summary>
    /// out[c] = Σ_j weights[j] · values[j·stride + c] for c in [0, out.Length): a probability row times a value matrix
    /// whose rows start <paramref name="stride"/> apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightedRows(ReadOnlySpan<double> weights, ReadOnlySpan<double> values, int stride, Span<double> output)
    {
        output.Clear();
        for (int j = 0; j < weights.Length; j++)
        {
            double w = weights[j];
            if (w == 0) continue;
            var v = values.Slice(j * stride, output.Length);
            for (int c = 0; c < output.Length; c++) output[c] += w * v[c];
        }
    }

    /// <summary>softcap · tanh(x / softcap) with the reference's rounding steps; identity when softcap ≤ 0.</summary>
    public static double SoftCap(double x, double softcap, Precision p) =>
        softcap > 0 ? p.Round(p.Round(Math.Tanh(p.Round(x / softcap))) * softcap) : x;

    /// <summary>Logistic sigmoid.</summary>
    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));
}
