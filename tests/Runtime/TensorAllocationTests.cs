using NativeInfer.Tensors;
using Xunit;

namespace NativeInfer.Tests.Runtime;

public class TensorAllocationTests
{
    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { 7 })]
    [InlineData(new[] { 2, 3, 5 })]
    public void Uninitialized_HasShapeLengthAndOwnStorage(int[] shape)
    {
        var t = Tensor<float>.Uninitialized(shape);
        Assert.Equal(shape, t.Shape);
        Assert.Equal(ShapeUtil.ElementCount(shape), t.Length);
        Assert.Equal(t.Length, t.Memory.Length);
        t.Span.Fill(3f);
        var u = Tensor<float>.Uninitialized(shape);
        if (t.Length > 0) Assert.False(t.Span.Overlaps(u.Span));
    }

    [Fact]
    public void Uninitialized_StringTensorHoldsEmptyStrings()
    {
        var t = Tensor<string>.Uninitialized([3]);
        Assert.All(t.ToArray(), s => Assert.Equal(string.Empty, s));
    }

    [Fact]
    public void Uninitialized_RespectsSizeLimit()
    {
        using var _ = TensorLimits.Push(1024);
        Assert.Throws<TensorSizeException>(() => Tensor<float>.Uninitialized([257]));
        Assert.Throws<TensorSizeException>(() => Tensor<float>.Uninitialized([-1]));
        Assert.Equal(256, Tensor<float>.Uninitialized([256]).Length);
    }
}
