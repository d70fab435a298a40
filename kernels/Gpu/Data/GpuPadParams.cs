namespace NativeInfer.Kernels.Gpu.Data;

/// <summary>
/// Pad of X of <see cref="Shape"/> for <see cref="GpuPad"/>: Y's dim i is Shape[i] + PadsBegin[i] + PadsEnd[i]
/// (negative pads crop). Reflect needs pads smaller than the dim, as ONNX requires.
/// </summary>
public readonly record struct GpuPadParams(int[] Shape, int[] PadsBegin, int[] PadsEnd, GpuPadMode Mode = GpuPadMode.Constant, float Value = 0f)
{
    public int[] OutShape()
    {
        var o = new int[Shape.Length];
        for (int i = 0; i < o.Length; i++) o[i] = Shape[i] + PadsBegin[i] + PadsEnd[i];
        return o;
    }
}
