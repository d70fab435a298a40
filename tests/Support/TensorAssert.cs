using NativeInfer.Tensors;
using Xunit;

namespace NativeInfer.Tests.Support;

/// <summary>Shape, element type and value assertions for tensors.</summary>
internal static class TensorAssert
{
    /// <summary>Exact equality of element type, shape and every element.</summary>
    public static void Equal<T>(T[] expected, int[] shape, Value? actual)
    {
        var t = Assert.IsAssignableFrom<Tensor>(actual);
        Assert.Equal(DataTypes.Of<T>(), t.DataType);
        Assert.Equal(shape, t.Shape);
        Assert.Equal(expected, t.As<T>().ToArray());
    }

    /// <summary>float32 values within |a − e| ≤ atol + rtol·|e| (NaN matches NaN).</summary>
    public static void Close(float[] expected, int[] shape, Value? actual, double rtol = 1e-5, double atol = 1e-6)
    {
        var t = Assert.IsAssignableFrom<Tensor>(actual);
        Assert.Equal(DataType.Float, t.DataType);
        Assert.Equal(shape, t.Shape);
        var a = t.As<float>().Span;
        for (int i = 0; i < expected.Length; i++)
        {
            if (float.IsNaN(expected[i]) && float.IsNaN(a[i])) continue;
            if (!(Math.Abs(a[i] - expected[i]) <= atol + rtol * Math.Abs(expected[i])))
                Assert.Fail($"Element {i}: expected {expected[i]}, got {a[i]}.");
        }
    }
}
