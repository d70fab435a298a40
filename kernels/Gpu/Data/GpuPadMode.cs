namespace NativeInfer.Kernels.Gpu.Data;

/// <summary>ONNX Pad modes.</summary>
public enum GpuPadMode
{
    Constant,
    Reflect,
    Edge,
    /// <summary>Wrap-around (opset 19).</summary>
    Wrap,
}
