namespace NativeInfer.Gpu;

/// <summary>Placeholder so the assembly builds before the backend lands.</summary>
internal static class GpuBackendInfo;
