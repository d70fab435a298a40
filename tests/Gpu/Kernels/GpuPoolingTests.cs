using Xunit;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Conv;
using NativeInfer.Kernels.Gpu.Conv;
using NativeInfer.Kernels.Gpu.Pooling;

namespace NativeInfer.Tests.Gpu.Kernels;

/// <summary>GPU pooling against the CPU <see cref="NativeInfer.Kernels.Cpu.Pooling"/> and <see cref="GlobalPooling"/>.</summary>
public abstract class GpuPoolingTests(GpuAcceleratorFixture fixture) : GpuTestBase(fixture)
{
    private GpuPooling Pool => Fixture.Launcher(a => new GpuPooling(a));

    private static int OutSize(int n, int k, int s, int d, int pb, int pe, bool ceil)
    {
        int span = n + pb + pe - d * (k - 1) - 1;
        int o = (ceil ? (span + s - 1) / s : span / s) + 1;
        // ONNX ceil_mode: the last window must start inside the input or its leading pad.
        if (ceil && (o - 1) * s >= n + pb) o--;
        return o;
    }

    private void Check(int planes, int[] input, int[] kernel, int[] strides, int[] dilations, int[] padBegin, int[] padEnd,
        GpuPoolKind kind, bool countIncludePad, bool ceil, int seed = 3)
    {
        int rank = input.Length;
        var output = new int[rank];
        for (int i = 0; i < rank; i++) output[i] = OutSize(input[i], kernel[i], strides[i], dilations[i], padBegin[i], padEnd[i], ceil);
        var g = new SpatialGeometry(input, kernel, strides, dilations, padBegin, output);
        var x = Random((long)planes * g.InputSize, seed);
        var expected = new float[planes * g.OutputSize];
        if (kind == GpuPoolKind.Max)
            NativeInfer.Kernels.Cpu.Pooling.Run<float, MaxReducer<float>>(x, planes, g, padEnd, expected, default, false, default);
        else
            NativeInfer.Kernels.Cpu.Pooling.Run(x, planes, g, padEnd, expected, default, false, new AverageReducer<float>(countIncludePad));
        using var dx = Upload(x);
        using var dy = Zeros(expected.Length);
        Pool.Run(Acc.DefaultStream, dx.View, dy.View, GpuPoolParams.Create(planes, GpuWindow.From(g), kind, countIncludePad, padEnd));
        Acc.Synchronize();
        AssertClose(expected, Download(dy, expected.Length), $"{kind} pool");
    }

    [SkippableFact]
    public void MaxPool2D_Pads_Strides() =>
        Check(3, [7, 6], [3, 3], [2, 2], [1, 1], [1, 0], [1, 1], GpuPoolKind.Max, false, false);

    [SkippableFact]
    public void MaxPool2D_CeilMode_Dilated() =>
        Check(2, [8, 7], [2, 3], [2, 2], [2, 1], [0, 1], [0, 0], GpuPoolKind.Max, false, true);

    [SkippableFact]
    public void AveragePool2D_ExcludePad_CeilMode() =>
        Check(2, [7, 7], [3, 3], [2, 2], [1, 1], [1, 1], [1, 1], GpuPoolKind.Average, false, true);

    [SkippableFact]
    public void AveragePool2D_CountIncludePad_AsymmetricPads_CeilMode() =>
        Check(2, [6, 7], [3, 2], [2, 3], [1, 1], [2, 0], [0, 1], GpuPoolKind.Average, true, true);

    [SkippableFact]
    public void Pool1D_And3D() 
    {
        Check(2, [10], [3], [2], [1], [1], [2], GpuPoolKind.Average, true, false);
        Check(1, [3, 4, 5], [2, 2, 3], [1, 2, 2], [1, 1, 1], [0, 1, 1], [1, 0, 1], GpuPoolKind.Max, false, false);
    }

    [SkippableFact]
    public void GlobalPools_MatchCpu()
    {
        foreach (int size in new[] { 1, 7, 300 })
        {
            int planes = 3;
            var x = Random(planes * size, size);
            var eMax = new float[planes];
            var eAvg = new float[planes];
            GlobalPooling.Max(x, planes, size, eMax);
            GlobalPooling.Average(x, planes, size, eAvg);
            using var dx = Upload(x);
            using var dy = Zeros(planes);
            Pool.RunGlobal(Acc.DefaultStream, dx.View, dy.View, planes, size, max: true);
            Acc.Synchronize();
            AssertClose(eMax, Download(dy, planes), $"global max {size}");
            Pool.RunGlobal(Acc.DefaultStream, dx.View, dy.View, planes, size, max: false);
            Acc.Synchronize();
            AssertClose(eAvg, Download(dy, planes), $"global average {size}");
        }
    }

    [SkippableFact]
    public void TooSmallBuffers_Throw()
    {
        var win = GpuWindow.From([4, 4], [2, 2], [2, 2], [1, 1], [0, 0], [2, 2]);
        using var x = Zeros(16);
        using var y = Zeros(3);
        Assert.Throws<ArgumentException>(() => Pool.Run(Acc.DefaultStream, x.View, y.View, new GpuPoolParams(1, win, GpuPoolKind.Max)));
        Assert.Throws<ArgumentException>(() => Pool.RunGlobal(Acc.DefaultStream, x.View, y.View, 4, 4, true));
    }
}

[Collection(GpuKernelCollection.Name)]
public sealed class GpuPoolingTestsOnIlgpuCpu(IlgpuCpuFixture f) : GpuPoolingTests(f), IClassFixture<IlgpuCpuFixture>;

[Collection(GpuKernelCollection.Name)]
public sealed class GpuPoolingTestsOnCuda(CudaFixture f) : GpuPoolingTests(f), IClassFixture<CudaFixture>;
