namespace NativeInfer.Kernels.Gpu.Normalization;

/// <summary>
/// Inference BatchNormalization of X [Batch, Channels, Spatial] for <see cref="GpuBatchNormalization"/>:
/// y = (x − mean[c]) / sqrt(var[c] + Epsilon) · scale[c] + bias[c].
/// </summary>
public readonly record struct GpuBatchNormParams(int Batch, int Channels, int Spatial, float Epsilon)
{
    public long Elements => (long)Batch * Channels * Spatial;
}
