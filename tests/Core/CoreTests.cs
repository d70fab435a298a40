using NativeInfer.IR;
using NativeInfer.Kernels.Numerics;
using NativeInfer.Onnx.Conformance;
using NativeInfer.Ops;
using NativeInfer.Tensors;
using Xunit;

namespace NativeInfer.Tests.Core;

public class ShapeUtilTests
{
    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 3 }, new[] { 2, 3 })]
    [InlineData(new[] { 2, 1, 4 }, new[] { 3, 1 }, new[] { 2, 3, 4 })]
    [InlineData(new int[0], new[] { 5 }, new[] { 5 })]
    [InlineData(new[] { 1 }, new[] { 0 }, new[] { 0 })]
    public void Broadcasts(int[] a, int[] b, int[] expected) => Assert.Equal(expected, ShapeUtil.Broadcast(a, b));

    [Fact]
    public void IncompatibleShapesThrow() => Assert.Throws<ShapeMismatchException>(() => ShapeUtil.Broadcast([2, 3], [4, 3]));

    [Fact]
    public void OverflowingShapeThrowsInsteadOfAllocating()
    {
        Assert.Throws<TensorSizeException>(() => ShapeUtil.ElementCount([1 << 20, 1 << 20]));
        Assert.Throws<TensorSizeException>(() => new Tensor<float>([1 << 30, 8]));
        Assert.Throws<TensorSizeException>(() => ShapeUtil.FromInt64([-1, 2]));
    }

    [Fact]
    public void SizeLimitIsScopedToTheCaller()
    {
        using (TensorLimits.Push(64))
            Assert.Throws<TensorSizeException>(() => new Tensor<float>([17]));
        Assert.Equal(17, new Tensor<float>([17]).Length);
    }

    [Fact]
    public void BroadcastStridesZeroTheBroadcastDims() =>
        Assert.Equal([0, 4, 0, 1], ShapeUtil.BroadcastStrides([3, 1, 4], 4));
}

public class ElementTypeTests
{
    [Theory]
    [InlineData(1.0f, (ushort)0x3F80)]
    [InlineData(-2.5f, (ushort)0xC020)]
    [InlineData(1.00390625f, (ushort)0x3F80)] // exactly halfway: rounds to even
    [InlineData(1.01171875f, (ushort)0x3F82)] // 1 + 3/256: halfway between 0x3F81 and 0x3F82, rounds to even
    public void BFloat16RoundsToNearestEven(float value, ushort bits) => Assert.Equal(bits, ((BFloat16)value).Bits);

    [Fact]
    public void BFloat16KeepsNaNAndInfinity()
    {
        Assert.True(float.IsNaN((float)(BFloat16)float.NaN));
        Assert.Equal(float.PositiveInfinity, (float)(BFloat16)float.PositiveInfinity);
    }

    [Fact]
    public void ConvertTruncatesFloatsAndKeepsInt64Exact()
    {
        var f = new Tensor<float>([-1.7f, 2.9f], [2]);
        Assert.Equal([-1, 2], TensorConvert.Convert(f, DataType.Int32).As<int>().ToArray());
        var big = new Tensor<long>([long.MaxValue, -3], [2]);
        Assert.Equal([ulong.MaxValue / 2, unchecked((ulong)-3L)], TensorConvert.Convert(big, DataType.UInt64).As<ulong>().ToArray());
    }

    [Fact]
    public void ClrTypesRoundTrip()
    {
        foreach (var t in Enum.GetValues<DataType>().Where(DataTypes.IsSupported))
            Assert.Equal(t, Tensor.Create(t, [2]).DataType);
    }
}

public class OpRegistryTests
{
    private sealed class Marker(int v) : TensorOp
    {
        public int Version { get; } = v;
        protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs) => [];
    }

    [Fact]
    public void PicksLatestSinceVersionNotAboveTheOpset()
    {
        var r = new OpRegistry();
        r.Register("Foo", 1, _ => new Marker(1));
        r.Register("Foo", 13, _ => new Marker(13));
        Assert.Null(r.Resolve("", "Foo", 0));
        Assert.Equal(1, r.Resolve("", "Foo", 12)!.SinceVersion);
        Assert.Equal(13, r.Resolve("ai.onnx", "Foo", 13)!.SinceVersion);
        Assert.Equal(13, r.Resolve("", "Foo", 99)!.SinceVersion);
        Assert.Null(r.Resolve("com.other", "Foo", 13));
    }

    [Fact]
    public void DefaultRegistryHasOpsInEveryFamily() => Assert.True(OpRegistry.Default.All.Count() > 0);
}

public class GraphOrderTests
{
    private static Node N(string op, string[] i, string[] o) => new() { Name = op + o[0], OpType = op, Inputs = i, Outputs = o };

    [Fact]
    public void OrdersProducersFirst()
    {
        var g = new Graph();
        g.Inputs.Add(new ValueInfo("x", null));
        g.Nodes.Add(N("B", ["y"], ["z"]));
        g.Nodes.Add(N("A", ["x"], ["y"]));
        g.Outputs.Add(new ValueInfo("z", null));
        Assert.Equal(["A", "B"], g.TopologicalOrder().Select(n => n.OpType));
    }

    [Fact]
    public void DuplicateProducerIsRejected()
    {
        var g = new Graph();
        g.Inputs.Add(new ValueInfo("x", null));
        g.Nodes.Add(N("A", ["x"], ["y"]));
        g.Nodes.Add(N("B", ["x"], ["y"]));
        Assert.Throws<GraphValidationException>(() => g.TopologicalOrder());
    }
}

public class ValueComparerTests
{
    private static Tensor<float> F(params float[] v) => new(v, [v.Length]);

    [Fact]
    public void AppliesAbsoluteAndRelativeTolerance()
    {
        Assert.Null(ValueComparer.Compare(F(1000f), F(1000.9f)));
        Assert.NotNull(ValueComparer.Compare(F(1000f), F(1001.2f)));
        Assert.Null(ValueComparer.Compare(F(0f), F(1e-8f)));
        Assert.NotNull(ValueComparer.Compare(F(0f), F(1e-6f)));
    }

    [Fact]
    public void NaNEqualsNaNAndInfinitiesMustMatch()
    {
        Assert.Null(ValueComparer.Compare(F(float.NaN), F(float.NaN)));
        Assert.NotNull(ValueComparer.Compare(F(float.NaN), F(0)));
        Assert.NotNull(ValueComparer.Compare(F(float.PositiveInfinity), F(float.NegativeInfinity)));
    }

    [Fact]
    public void ShapeAndTypeMustMatch()
    {
        Assert.Contains("shape", ValueComparer.Compare(F(1, 2), new Tensor<float>([1, 2], [1, 2]))!);
        Assert.Contains("element type", ValueComparer.Compare(F(1), new Tensor<double>([1], [1]))!);
    }

    [Fact]
    public void OverridesNeedAWrittenReason()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "test_x atol=1e-4\n");
            Assert.Throws<FormatException>(() => ToleranceOverrides.Load(path));
            File.WriteAllText(path, "test_x atol=1e-4 rtol=0.01  # float16 accumulation in the reference\n");
            Assert.Equal((1e-4, 0.01), ToleranceOverrides.Load(path).For("test_x"));
        }
        finally { File.Delete(path); }
    }
}
