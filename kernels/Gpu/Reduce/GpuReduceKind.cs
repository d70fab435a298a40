namespace NativeInfer.Kernels.Gpu.Reduce;

/// <summary>The ONNX Reduce* ops <see cref="GpuReduction"/> computes.</summary>
public enum GpuReduceKind
{
    Sum,
    Mean,
    Max,
    Min,
    Prod,
    /// <summary>Σ|x|.</summary>
    L1,
    /// <summary>sqrt(Σx²).</summary>
    L2,
    /// <summary>log Σ eˣ (computed as max + log Σ e^(x − max)).</summary>
    LogSumExp,
    /// <summary>Σx².</summary>
    SumSquare,
    /// <summary>log Σx.</summary>
    LogSum,
}
