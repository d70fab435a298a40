using NativeInfer.Onnx.Benchmarking;

namespace NativeInfer.Bench.Compare;

/// <summary>One model's comparison. <see cref="Error"/> is set (and the rest may be empty) when it could not run.</summary>
public sealed record CompareResult(
    string Model,
    IReadOnlyList<BenchmarkInputSpec> Inputs,
    LatencyStatistics? Ort,
    LatencyStatistics? NativeInfer,
    int WarmupRuns,
    bool StoppedByBudget,
    double MaxRelativeError,
    long? OrtPeakBytes,
    long? NativeInferPeakBytes,
    string? Note,
    string? Error = null,
    long? NativeInferPlannedPeakBytes = null)
{
    /// <summary>NativeInfer median ÷ ONNX Runtime median (below 1: NativeInfer is faster).</summary>
    public double Ratio => Ort is { } o && NativeInfer is { } n ? n.MedianMs / o.MedianMs : double.NaN;

    public bool OutputsAgree => MaxRelativeError <= OutputAgreement.Tolerance;

    public static CompareResult Failed(string model, string error) =>
        new(model, [], null, null, 0, false, double.NaN, null, null, null, error);
}
