using BenchmarkDotNet.Attributes;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Conv;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Bench.Benchmarks;

/// <summary>One benchmarked convolution layer: batch 1, square image, square kernel, pad = kernel/2.</summary>
public sealed record ConvShape(string Name, int C, int M, int Size, int Kernel, int Stride, int Group)
{
    public int Pad => Kernel / 2;
    public int Out => (Size + 2 * Pad - Kernel) / Stride + 1;
    public SpatialGeometry Geometry => new([Size, Size], [Kernel, Kernel], [Stride, Stride], [1, 1], [Pad, Pad], [Out, Out]);
    /// <summary>2 · M · (C/group) · k² · out² (multiply-add = 2).</summary>
    public double Flops => 2.0 * M * (C / Group) * Kernel * Kernel * Out * Out;
    public override string ToString() => Name;
}

/// <summary>
/// Convolution layers of ResNet-50 and ShuffleNet through <see cref="Convolution.Forward(System.ReadOnlySpan{float}, int, int, ConvWeights, SpatialGeometry, System.ReadOnlySpan{float}, System.ReadOnlySpan{float}, System.Span{float}, SgemmActivation)"/>
/// (weights packed once, im2col into SGEMM panels, depthwise direct kernel; bias + Relu fused) against the baseline
/// the engine used before: a full im2col matrix (Im2Col.Pack) then a plain SGEMM per group, then a bias + Relu pass.
/// </summary>
public class ConvBenchmarks : IFlopCounted
{
    public static IEnumerable<ConvShape> Shapes =>
    [
        new("r50 3x3 64-64 56", 64, 64, 56, 3, 1, 1),
        new("r50 1x1 256-64 56", 256, 64, 56, 1, 1, 1),
        new("r50 7x7s2 3-64 224", 3, 64, 224, 7, 2, 1),
        new("r50 3x3 512-512 7", 512, 512, 7, 3, 1, 1),
        new("r18 3x3 128-128 28", 128, 128, 28, 3, 1, 1),
        new("r18 3x3 256-256 14", 256, 256, 14, 3, 1, 1),
        new("r18 3x3s2 64-128 56", 64, 128, 56, 3, 2, 1),
        new("vgg 3x3 128-128 112", 128, 128, 112, 3, 1, 1),
        new("inc2 3x3 64-192 56", 64, 192, 56, 3, 1, 1),
        new("inc2 3x3 192-256 14", 192, 256, 14, 3, 1, 1),
        new("inc2 3x3 96-96 28", 96, 96, 28, 3, 1, 1),
        new("inc2 3x3s2 128-160 28", 128, 160, 28, 3, 2, 1),
        new("inc2 3x3 224-224 7", 224, 224, 7, 3, 1, 1),
        new("inc2 3x3s2 256-256 14", 256, 256, 14, 3, 2, 1),
        new("sq 3x3s2 3-64 224", 3, 64, 224, 3, 2, 1),
        new("sq 1x1 16-64 55", 16, 64, 55, 1, 1, 1),
        new("sq 1x1 512-1000 13", 512, 1000, 13, 1, 1, 1),
        new("sq 3x3 64-256 13", 64, 256, 13, 3, 1, 1),
        new("r50 1x1 2048-512 7", 2048, 512, 7, 1, 1, 1),
        new("r50 1x1 512-2048 7", 512, 2048, 7, 1, 1, 1),
        new("dw 3x3 116 28 s1", 116, 116, 28, 3, 1, 116),
        new("dw 3x3 116 28 s2", 116, 116, 28, 3, 2, 116),
        new("dw 3x3 32 112 s1", 32, 32, 112, 3, 1, 32),
        new("dw 3x3 512 14 s1", 512, 512, 14, 3, 1, 512),
    ];

    [ParamsSource(nameof(Shapes))]
    public ConvShape Shape { get; set; } = null!;

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    public double Flops => Shape.Flops;

    private SpatialGeometry _g = null!;
    private float[] _x = null!, _w = null!, _bias = null!, _y = null!, _columns = null!;
    private ConvWeights _packed = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _g = Shape.Geometry;
        _x = Fill(rng, Shape.C * _g.InputSize);
        _w = Fill(rng, Shape.M * (Shape.C / Shape.Group) * _g.KernelSize);
        _bias = Fill(rng, Shape.M);
        _y = new float[Shape.M * _g.OutputSize];
        _columns = new float[Shape.C / Shape.Group * _g.KernelSize * _g.OutputSize];
        _packed = ConvWeights.Pack(_w, Shape.M, Shape.Group, Shape.C / Shape.Group, _g.Kernel);
    }

    private static float[] Fill(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();

    [Benchmark]
    public void Packed()
    {
        using var _ = KernelParallelism.Push(Threads);
        Convolution.Forward(_x, 1, Shape.C, _packed, _g, _bias, default, _y, SgemmActivation.Relu);
    }

    /// <summary>The packed-weight convolution on a given route (Stopwatch harnesses compare routes with it).</summary>
    public void OnRoute(ConvRoute route)
    {
        using var _ = KernelParallelism.Push(Threads);
        Convolution.Forward(_x, 1, Shape.C, _packed, _g, _bias, default, _y, SgemmActivation.Relu, route);
    }

    /// <summary>The packed-weight convolution forced onto the im2col-into-panels route (the default before the window route).</summary>
    [Benchmark]
    public void Im2ColRoute()
    {
        using var _ = KernelParallelism.Push(Threads);
        Convolution.Forward(_x, 1, Shape.C, _packed, _g, _bias, default, _y, SgemmActivation.Relu, ConvRoute.Im2Col);
    }

    [Benchmark(Baseline = true)]
    public void Im2ColThenGemm()
    {
        using var _ = KernelParallelism.Push(Threads);
        int group = Shape.Group, cg = Shape.C / group, mg = Shape.M / group, kdim = cg * _g.KernelSize, outSize = _g.OutputSize;
        for (int gi = 0; gi < group; gi++)
        {
            var image = _x.AsSpan(gi * cg * _g.InputSize, cg * _g.InputSize);
            Im2Col.Pack<float>(image, cg, _g, 0, outSize, _columns);
            Sgemm.Multiply(false, false, mg, outSize, kdim, 1f, _w.AsSpan(gi * mg * kdim, mg * kdim), kdim, _columns, outSize, 0f,
                _y.AsSpan(gi * mg * outSize, mg * outSize), outSize);
        }
        for (int m = 0; m < Shape.M; m++)
        {
            var row = _y.AsSpan(m * outSize, outSize);
            float b = _bias[m];
            for (int i = 0; i < row.Length; i++) row[i] = Math.Max(row[i] + b, 0f);
        }
    }
}
