using NativeInfer.Tensors;

namespace NativeInfer.Tests.Support;

/// <summary>Terse tensor constructors for op tests (use with <c>using static</c>).</summary>
internal static class TestTensors
{
    /// <summary>A zero-filled float tensor of the given shape.</summary>
    public static Tensor<float> F(params int[] shape) => new(shape);

    public static Tensor<float> F(float[] data, params int[] shape) => new(data, shape);

    /// <summary>A 1-D float tensor.</summary>
    public static Tensor<float> F1(params float[] data) => new(data, [data.Length]);

    /// <summary>A 1-D int64 tensor (shapes, axes, indices, pads).</summary>
    public static Tensor<long> L(params long[] data) => new(data, [data.Length]);

    public static Tensor<long> L2(long[] data, params int[] shape) => new(data, shape);
}
