namespace NativeInfer.Onnx.Benchmarking;

/// <summary>Summary of a set of latency samples, in milliseconds. Percentiles interpolate linearly between order
/// statistics (the "type 7" definition: p of n sorted samples sits at index p·(n−1)).</summary>
public sealed record LatencyStatistics(int Count, double MedianMs, double MinMs, double P90Ms, double MeanMs, double MaxMs)
{
    /// <exception cref="ArgumentException">No samples, or a sample that is NaN or negative.</exception>
    public static LatencyStatistics From(IReadOnlyCollection<double> samplesMs)
    {
        if (samplesMs.Count == 0) throw new ArgumentException("At least one latency sample is needed.", nameof(samplesMs));
        var sorted = samplesMs.ToArray();
        foreach (double s in sorted)
            if (!(s >= 0)) throw new ArgumentException($"Latency samples must be non-negative numbers, got {s}.", nameof(samplesMs));
        Array.Sort(sorted);
        return new LatencyStatistics(sorted.Length, Percentile(sorted, 0.5), sorted[0], Percentile(sorted, 0.9),
            sorted.Average(), sorted[^1]);
    }

    /// <summary>The <paramref name="p"/>-quantile (0..1) of already sorted samples.</summary>
    public static double Percentile(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.Length == 0) throw new ArgumentException("No samples.", nameof(sorted));
        double pos = Math.Clamp(p, 0, 1) * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
