namespace NativeInfer.Kernels.Gpu.Runtime;

/// <summary>The kinds of ILGPU accelerator NativeInfer runs on.</summary>
public enum GpuDeviceKind
{
    /// <summary>An NVIDIA GPU through ILGPU's PTX backend.</summary>
    Cuda,
    /// <summary>An OpenCL 2.0+ device with the generic address space (ILGPU's requirement).</summary>
    OpenCL,
    /// <summary>ILGPU's CPU accelerator: a multi-threaded simulator of a GPU (correctness tests, no speed).</summary>
    Cpu,
}
