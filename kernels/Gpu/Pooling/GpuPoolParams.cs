using NativeInfer.Kernels.Gpu.Conv;

namespace NativeInfer.Kernels.Gpu.Pooling;

/// <summary>
/// One pooling of X [Planes, in...] into Y [Planes, out...] (Planes = N·C) for <see cref="GpuPooling"/>. The output
/// size in <see cref="Window"/> already reflects ceil_mode; <see cref="PadEndD"/>/H/W are the explicit trailing pads
/// (count_include_pad counts the window positions inside the explicitly padded input, never the ceil-mode overhang).
/// </summary>
public readonly record struct GpuPoolParams(
    int Planes, GpuWindow Window, GpuPoolKind Kind, bool CountIncludePad = false, int PadEndD = 0, int PadEndH = 0, int PadEndW = 0)
{
    /// <summary>Pads given per spatial dim (1 to 3 entries, outermost first).</summary>
    public static GpuPoolParams Create(int planes, GpuWindow window, GpuPoolKind kind, bool countIncludePad, int[] padEnd)
    {
        if (padEnd.Length is < 1 or > 3) throw new ArgumentException("padEnd needs one entry per spatial dimension (1 to 3).");
        int off = 3 - padEnd.Length;
        int E(int a) => a < off ? 0 : padEnd[a - off];
        return new GpuPoolParams(planes, window, kind, countIncludePad, E(0), E(1), E(2));
    }
}
