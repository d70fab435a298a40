using Xunit;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Conv;
using NativeInfer.Kernels.Gpu.Conv;

namespace NativeInfer.Tests.Gpu.Kernels;

/// <summary>GPU convolution (implicit GEMM and depthwise routes) against the CPU <see cref="Convolution"/>.</summary>
public abstract class GpuConvolutionTests(GpuAcceleratorFixture fixture) : GpuTestBase(fixture)
{
    private GpuConvolution Conv => Fixture.Launcher(a => new GpuConvolution(a));

    private static int OutSize(int n, int k, int s, int d, int pb, int pe) => (n + pb + pe - d * (k - 1) - 1) / s + 1;

    /// <summary>Runs one conv on the device and on the CPU and compares.</summary>
    private void Check(int batch, int c, int m, int group, int[] input, int[] kernel, int[] strides, int[] dilations,
        int[] padBegin, int[] padEnd, SgemmActivation act, bool bias, bool residual, int seed = 1)
    {
        int rank = input.Length;
        var output = new int[rank];
        for (int i = 0; i < rank; i++) output[i] = OutSize(input[i], kernel[i], strides[i], dilations[i], padBegin[i], padEnd[i]);
        var g = new SpatialGeometry(input, kernel, strides, dilations, padBegin, output);
        var x = Random((long)batch * c * g.InputSize, seed);
        var w = Random((long)m * (c / group) * g.KernelSize, seed + 1);
        var b = bias ? Random(m, seed + 2) : [];
        long outCount = (long)batch * m * g.OutputSize;
        var r = residual ? Random(outCount, seed + 3) : [];
        var expected = new float[outCount];
        Convolution.Forward(x, batch, c, w, m, group, g, b, r, expected, act);

        var p = new GpuConvParams(batch, c, m, group, GpuWindow.From(g), act, bias, residual);
        using var dx = Upload(x);
        using var dw = Upload(w);
        using var db = Upload(b);
        using var dr = Upload(r);
        using var dy = Zeros(outCount);
        Conv.Run(Acc.DefaultStream, dx.View, dw.View, bias ? db.View : default, residual ? dr.View : default, dy.View, p);
        Acc.Synchronize();
        AssertClose(expected, Download(dy, outCount), $"conv {act.Kind}");
    }

    [SkippableFact]
    public void Conv2D_Pad1_Bias_Relu() =>
        Check(2, 3, 5, 1, [7, 6], [3, 3], [1, 1], [1, 1], [1, 1], [1, 1], SgemmActivation.Relu, bias: true, residual: false);

    [SkippableFact]
    public void Conv2D_Strided_Dilated_AsymmetricPads_Grouped_Residual_Clip() =>
        Check(1, 4, 6, 2, [9, 8], [3, 2], [2, 1], [2, 1], [1, 0], [0, 2], SgemmActivation.Clip(-0.3f, 0.4f), bias: true, residual: true);

    [SkippableFact]
    public void Conv2D_ManyChannels_CrossesTiles_Tanh() =>
        // 70 output channels and 1×1 on 9×9 (81 columns) cross the 64×64 tile in both directions; K = 20 leaves a K tail.
        Check(1, 20, 70, 1, [9, 9], [1, 1], [1, 1], [1, 1], [0, 0], [0, 0], SgemmActivation.Tanh, bias: true, residual: false);

    [SkippableFact]
    public void Conv1D_Strided_LeakyRelu() =>
        Check(2, 3, 4, 1, [11], [3], [2], [1], [2], [1], SgemmActivation.LeakyRelu(0.1f), bias: false, residual: true);

    [SkippableFact]
    public void Conv3D_Sigmoid() =>
        Check(1, 2, 3, 1, [3, 4, 4], [2, 2, 2], [1, 2, 1], [1, 1, 1], [0, 1, 1], [1, 0, 0], SgemmActivation.Sigmoid, bias: true, residual: false);

    [SkippableFact]
    public void Depthwise2D_Multiplier2_Strided_Silu() =>
        Check(2, 4, 8, 4, [7, 5], [3, 3], [2, 2], [1, 1], [1, 1], [1, 0], SgemmActivation.Silu, bias: true, residual: true);

    [SkippableFact]
    public void Depthwise1D_Dilated_NoEpilogue() =>
        Check(1, 3, 3, 3, [10], [3], [1], [2], [2], [2], SgemmActivation.None, bias: false, residual: false);

    [SkippableFact]
    public void EveryActivation_MatchesCpuEpilogue()
    {
        SgemmActivation[] acts =
        [
            SgemmActivation.HardSigmoid(0.2f, 0.5f), SgemmActivation.Gelu(false), SgemmActivation.Gelu(true),
            SgemmActivation.Silu, SgemmActivation.LeakyRelu(0.3f),
        ];
        int seed = 10;
        foreach (var a in acts)
            Check(1, 2, 3, 1, [4, 5], [2, 2], [1, 1], [1, 1], [0, 1], [1, 0], a, bias: true, residual: false, seed++);
    }

    [SkippableFact]
    public void TooSmallBuffers_Throw()
    {
        var win = GpuWindow.From([4, 4], [3, 3], [1, 1], [1, 1], [1, 1], [4, 4]);
        var p = new GpuConvParams(1, 2, 3, 1, win);
        using var x = Zeros(2 * 16);
        using var w = Zeros(3 * 2 * 9 - 1);
        using var y = Zeros(3 * 16);
        Assert.Throws<ArgumentException>(() => Conv.Run(Acc.DefaultStream, x.View, w.View, default, default, y.View, p));
        Assert.Throws<ArgumentException>(() => Conv.Run(Acc.DefaultStream, x.View, x.View, default, default, y.View, p with { Group = 2, OutputChannels = 3 }));
        Assert.Throws<ArgumentException>(() => Conv.Run(Acc.DefaultStream, x.View, y.View, default, default, y.View, p with { HasBias = true }));
    }
}

[Collection(GpuKernelCollection.Name)]
public sealed class GpuConvolutionTestsOnIlgpuCpu(IlgpuCpuFixture f) : GpuConvolutionTests(f), IClassFixture<IlgpuCpuFixture>;

[Collection(GpuKernelCollection.Name)]
public sealed class GpuConvolutionTestsOnCuda(CudaFixture f) : GpuConvolutionTests(f), IClassFixture<CudaFixture>;
