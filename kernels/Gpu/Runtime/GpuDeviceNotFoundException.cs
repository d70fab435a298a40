namespace NativeInfer.Kernels.Gpu.Runtime;

/// <summary>A requested accelerator kind is not present; the message lists the accelerators that were found.</summary>
public sealed class GpuDeviceNotFoundException(string message) : Exception(message);
