namespace NativeInfer.Kernels.Gpu.Normalization;

/// <summary>
/// LayerNormalization of X [Rows, Size] for <see cref="GpuLayerNormalization"/>: y = (x − mean) / sqrt(var + Epsilon)
/// · scale + bias per row (var the population variance). Row r reads scale at r·ScaleRowStride (0: one row shared by
/// all rows, the usual broadcast) and likewise the bias when <see cref="HasBias"/>. With <see cref="HasStats"/> the
/// row means and 1/sqrt(var + ε) are written too (ONNX's optional Mean / InvStdDev outputs). With <see cref="Rms"/>
/// the row is not centred: y = x / sqrt(mean(x²) + Epsilon) · scale (RMSNormalization; the mean output is then 0).
/// </summary>
public readonly record struct GpuLayerNormParams(
    int Rows, int Size, float Epsilon, bool HasBias = true, int ScaleRowStride = 0, int BiasRowStride = 0, bool HasStats = false, bool Rms = false)
{
    public long Elements => (long)Rows * Size;
}
