namespace NativeInfer.Kernels.Gpu.Softmax;

/// <summary>
/// Softmax (or LogSoftmax with <see cref="Log"/>) of X viewed as [Outer, Size, Inner] along Size, for
/// <see cref="GpuSoftmax"/>. For an ONNX axis a of shape s: Outer = Π s[..a], Size = s[a], Inner = Π s[a+1..]
/// (opset ≥ 13; the older "flatten from axis" form is Inner = 1, Size = Π s[a..]).
/// </summary>
public readonly record struct GpuSoftmaxParams(int Outer, int Size, int Inner, bool Log = false)
{
    public long Elements => (long)Outer * Size * Inner;
}
