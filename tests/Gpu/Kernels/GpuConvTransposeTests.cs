using Xunit;
using NativeInfer.IR;
using NativeInfer.Kernels.Gpu.Conv;
using NativeInfer.Ops.NN;
using NativeInfer.Tensors;

namespace NativeInfer.Tests.Gpu.Kernels;

/// <summary>
/// GPU ConvTranspose (<see cref="GpuConvTranspose"/>) against the CPU backend's kernel (<see cref="ConvKernel.Transpose{T}"/>),
/// the geometry (output size, pads) resolved by the CPU's <see cref="ConvKernel.TransposeGeometry"/> as the engine does.
/// </summary>
public abstract class GpuConvTransposeTests(GpuAcceleratorFixture fixture) : GpuTestBase(fixture)
{
    private GpuConvTranspose Kernel => Fixture.Launcher(a => new GpuConvTranspose(a));

    private static Attributes Attrs(int group, int[]? strides, int[]? dilations, int[]? pads, string autoPad)
    {
        var a = new Attributes();
        a.Set("group", new AttributeValue(AttributeKind.Int, (long)group));
        a.Set("auto_pad", new AttributeValue(AttributeKind.String, autoPad));
        if (strides is not null) a.Set("strides", new AttributeValue(AttributeKind.Ints, strides.Select(v => (long)v).ToArray()));
        if (dilations is not null) a.Set("dilations", new AttributeValue(AttributeKind.Ints, dilations.Select(v => (long)v).ToArray()));
        if (pads is not null) a.Set("pads", new AttributeValue(AttributeKind.Ints, pads.Select(v => (long)v).ToArray()));
        return a;
    }

    /// <summary>Runs one ConvTranspose on the device and on the CPU and compares; returns Y's spatial shape.</summary>
    private int[] Check(int batch, int c, int m, int group, int[] input, int[] kernel, int[]? strides = null, int[]? dilations = null,
        int[]? pads = null, int[]? outputPadding = null, int[]? outputShape = null, string autoPad = "NOTSET", bool bias = false, int seed = 1)
    {
        var attrs = new ConvAttributes(Attrs(group, strides, dilations, pads, autoPad));
        long[]? op = outputPadding?.Select(v => (long)v).ToArray(), os = outputShape?.Select(v => (long)v).ToArray();
        int mg = m / group, ksize = kernel.Aggregate(1, (p, k) => p * k), insize = input.Aggregate(1, (p, k) => p * k);
        var x = Random((long)batch * c * insize, seed);
        var w = Random((long)c * mg * ksize, seed + 1);
        var b = bias ? Random(m, seed + 2) : [];
        var expected = ConvKernel.Transpose(new Tensor<float>(x, [batch, c, .. input]), new Tensor<float>(w, [c, mg, .. kernel]),
            bias ? new Tensor<float>(b, [m]) : null, attrs, op, os);

        var geo = ConvKernel.TransposeGeometry(input, kernel, attrs, op, os);
        Assert.Equal(expected.Shape[2..], geo.Input);
        var p = GpuConvTransposeParams.Create(batch, c, m, group, input, geo.Input, kernel, geo.Strides, geo.Dilations, geo.PadBegin, bias);
        Assert.Equal(expected.Length, p.OutputElements);
        using var dx = Upload(x);
        using var dw = Upload(w);
        using var db = Upload(b);
        using var dy = Zeros(p.OutputElements);
        Kernel.Run(Acc.DefaultStream, dx.View, dw.View, bias ? db.View : default, dy.View, p);
        Acc.Synchronize();
        AssertClose(expected.Span, Download(dy, p.OutputElements), "ConvTranspose");
        return geo.Input;
    }

    [SkippableFact]
    public void HandComputed1D_Stride2_Pads()
    {
        // X = [1, 2], W = [1, 1, 1], stride 2: taps land at 0..2 and 2..4, giving [1, 1, 3, 2, 2]; pads 1/1 crop the ends.
        foreach (var (pads, want) in new[] { (new[] { 0, 0 }, new[] { 1f, 1, 3, 2, 2 }), (new[] { 1, 1 }, new[] { 1f, 3, 2 }) })
        {
            var p = GpuConvTransposeParams.Create(1, 1, 1, 1, [2], [want.Length], [3], [2], [1], [pads[0]], false);
            using var dx = Upload([1f, 2f]);
            using var dw = Upload([1f, 1f, 1f]);
            using var dy = Zeros(want.Length);
            Kernel.Run(Acc.DefaultStream, dx.View, dw.View, default, dy.View, p);
            Acc.Synchronize();
            Assert.Equal(want, Download(dy, want.Length));
        }
    }

    [SkippableFact]
    public void Conv2D_Strided_AsymmetricPads_Bias() =>
        // H: 2·(3−1) + 3 − 1 − 0 = 6; W: 2·(4−1) + 3 − 0 − 1 = 8.
        Assert.Equal([6, 8], Check(2, 3, 2, 1, [3, 4], [3, 3], strides: [2, 2], pads: [1, 0, 0, 1], bias: true));

    [SkippableFact]
    public void Conv2D_Dilated_Strided_OutputPadding()
        // stride 3 / dilation 2 (tap step 3) and stride 2 / dilation 2 (taps reach only even offsets).
        => Check(1, 2, 3, 1, [3, 3], [3, 2], strides: [3, 2], dilations: [2, 2], outputPadding: [1, 1], bias: true, seed: 5);

    [SkippableFact]
    public void Conv2D_Grouped_NoBias() =>
        Check(1, 4, 6, 2, [4, 3], [2, 3], strides: [1, 2], pads: [0, 1, 1, 0], seed: 9);

    [SkippableFact]
    public void Conv2D_Depthwise_Bias() =>
        Check(1, 3, 3, 3, [4, 4], [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], bias: true, seed: 13);

    [SkippableFact]
    public void OutputShape_LargerThanNatural_NegativePads()
    {
        // Natural size 2·(3−1) + 3 = 7; asking for 9 (and 8) puts negative leading pads through the kernel.
        Assert.Equal([9, 8], Check(1, 2, 2, 1, [3, 3], [3, 3], strides: [2, 2], outputShape: [9, 8], bias: true, seed: 17));
        Assert.Equal([5, 6], Check(2, 2, 3, 1, [3, 3], [3, 3], strides: [2, 2], outputShape: [5, 6], seed: 18));
    }

    [SkippableTheory]
    [InlineData("SAME_UPPER")]
    [InlineData("SAME_LOWER")]
    [InlineData("VALID")]
    public void AutoPad(string mode) =>
        Check(1, 2, 2, 1, [3, 4], [3, 2], strides: [2, 3], dilations: [1, 2], autoPad: mode, bias: true, seed: 21);

    [SkippableFact]
    public void Conv1D_Strided_Dilated_Grouped() =>
        Check(2, 4, 4, 2, [5], [3], strides: [3], dilations: [2], pads: [1, 2], outputPadding: [2], bias: true, seed: 25);

    [SkippableFact]
    public void Conv3D_Strided_Padded() =>
        Check(1, 2, 2, 1, [2, 3, 2], [2, 2, 3], strides: [2, 1, 2], pads: [0, 1, 1, 1, 0, 0], bias: true, seed: 29);

    [SkippableFact]
    public void EmptyInputSpatial_GivesBiasOnly()
    {
        // X with a zero-length axis: no tap reaches Y, which holds the bias alone.
        var p = GpuConvTransposeParams.Create(1, 1, 2, 1, [0], [2], [3], [1], [1], [0], true);
        using var dx = Zeros(1);
        using var dw = Upload([1f, 1f, 1f, 1f, 1f, 1f]);
        using var db = Upload([0.5f, -2f]);
        using var dy = Zeros(4);
        Kernel.Run(Acc.DefaultStream, dx.View.SubView(0, 0), dw.View, db.View, dy.View, p);
        Acc.Synchronize();
        Assert.Equal([0.5f, 0.5f, -2f, -2f], Download(dy, 4));
    }

    [SkippableFact]
    public void BadParamsAndSmallBuffers_Throw()
    {
        var p = GpuConvTransposeParams.Create(1, 2, 3, 1, [3, 3], [5, 5], [3, 3], [1, 1], [1, 1], [0, 0], false);
        using var x = Zeros(2 * 9);
        using var w = Zeros(2 * 3 * 9);
        using var y = Zeros(3 * 25);
        Assert.Throws<ArgumentException>(() => Kernel.Run(Acc.DefaultStream, x.View, w.View.SubView(0, 2 * 3 * 9 - 1), default, y.View, p));
        Assert.Throws<ArgumentException>(() => Kernel.Run(Acc.DefaultStream, x.View.SubView(0, 17), w.View, default, y.View, p));
        Assert.Throws<ArgumentException>(() => Kernel.Run(Acc.DefaultStream, x.View, w.View, default, y.View.SubView(0, 74), p));
        Assert.Throws<ArgumentException>(() => Kernel.Run(Acc.DefaultStream, x.View, w.View, y.View.SubView(0, 2), y.View, p with { HasBias = true }));
        Assert.Throws<ArgumentException>(() => Kernel.Run(Acc.DefaultStream, x.View, w.View, default, y.View, p with { Group = 2 }));
        Assert.Throws<ArgumentException>(() => GpuConvTransposeParams.Create(1, 2, 3, 1, [3], [5], [0], [1], [1], [0], false));
        Assert.Throws<ArgumentException>(() => GpuConvTransposeParams.Create(1, 2, 3, 1, [3], [5], [3], [1], [1, 1], [0], false));
        Assert.Throws<NotSupportedException>(() => GpuConvTransposeParams.Create(1, 2, 3, 1, [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [0, 0, 0, 0], false));
        Assert.Throws<NotSupportedException>(() => GpuConvTransposeParams.Create(1 << 16, 1 << 8, 1, 1, [1 << 8], [1], [1], [1], [1], [0], false));
    }
}

/// <summary>Device-independent checks of the ConvTranspose kernel's host-side parts.</summary>
public sealed class GpuConvTransposeHostTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 1, 2)]
    [InlineData(2, 2, 1)]
    [InlineData(3, 2, 3)]
    [InlineData(4, 6, 2)]
    [InlineData(6, 4, 3)]
    public void TapStep_IsStrideOverGcd(int stride, int dilation, int expected) =>
        Assert.Equal(expected, GpuConvTranspose.ConvTransposeArgs.TapStep(stride, dilation));

    [Fact]
    public void GatherKernel_IsInThePtxCompileList() =>
        Assert.Contains(GpuKernelPtxTests.Kernels(), m => m.DeclaringType == typeof(GpuConvTranspose) && m.Name == "GatherKernel");
}

[Collection(GpuKernelCollection.Name)]
public sealed class GpuConvTransposeTestsOnIlgpuCpu(IlgpuCpuFixture f) : GpuConvTransposeTests(f), IClassFixture<IlgpuCpuFixture>;

[Collection(GpuKernelCollection.Name)]
public sealed class GpuConvTransposeTestsOnCuda(CudaFixture f) : GpuConvTransposeTests(f), IClassFixture<CudaFixture>;
