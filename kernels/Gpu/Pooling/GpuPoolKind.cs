namespace NativeInfer.Kernels.Gpu.Pooling;

/// <summary>What a GPU pooling window computes.</summary>
public enum GpuPoolKind
{
    /// <summary>MaxPool: the largest in-bounds element (NaNs skipped; 0 when the window holds none).</summary>
    Max,
    /// <summary>AveragePool: the mean of the in-bounds elements, or with CountIncludePad of the padded window.</summary>
    Average,
}
