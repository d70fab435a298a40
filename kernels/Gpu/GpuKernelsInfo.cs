namespace NativeInfer.Kernels.Gpu;

/// <summary>Placeholder so the assembly builds before the kernels land.</summary>
internal static class GpuKernelsInfo;
