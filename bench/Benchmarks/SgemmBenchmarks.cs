using BenchmarkDotNet.Attributes;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Bench.Benchmarks;

/// <summary>
/// SGEMM (default kernel) on square sizes 64 … 2048 and on the skinny shapes of CNN/transformer heads: M = 1
/// (K = 2048, N = 1000: a ResNet-50 classifier; K = 768, N = 3072: a BERT FFN row) and M = 49 (K = 4608, N = 512;
/// K = 512, N = 2048), on 1 and 2 threads. <c>Plain</c> packs both operands per call (C = A·B, row-major, beta = 0);
/// <c>PackedB</c> uses B pre-packed once, as MatMul/Gemm do with constant weights. GFLOP/s and %-of-peak columns come
/// from <see cref="IFlopCounted"/> (2·M·N·K per call).
/// </summary>
public class SgemmBenchmarks : IFlopCounted
{
    /// <summary>"MxNxK".</summary>
    [Params("64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
        "1x1000x2048", "1x3072x768", "49x512x4608", "49x2048x512")]
    public string Shape { get; set; } = "256x256x256";

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    private float[] _a = [], _b = [], _c = [];
    private SgemmPackedB? _packedB;
    private IDisposable? _threads;

    private (int M, int N, int K) Dims
    {
        get
        {
            var p = Shape.Split('x');
            return (int.Parse(p[0]), int.Parse(p[1]), int.Parse(p[2]));
        }
    }

    public double Flops
    {
        get
        {
            var (m, n, k) = Dims;
            return 2.0 * m * n * k;
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        var (m, n, k) = Dims;
        var rng = new Random(1);
        _a = Enumerable.Range(0, m * k).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        _b = Enumerable.Range(0, k * n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        _c = new float[m * n];
        _packedB = Sgemm.PackB(false, k, n, _b, n);
        // The thread budget is an AsyncLocal: set here, it holds for the benchmark calls on this thread.
        _threads = KernelParallelism.Push(Threads);
    }

    [GlobalCleanup]
    public void Cleanup() => _threads?.Dispose();

    [Benchmark]
    public void Plain()
    {
        var (m, n, k) = Dims;
        Sgemm.Multiply(false, false, m, n, k, 1f, _a, k, _b, n, 0f, _c, n);
    }

    [Benchmark]
    public void PackedB()
    {
        var (m, n, k) = Dims;
        Sgemm.Multiply(false, m, 1f, _a, k, _packedB!, 0f, _c, n);
    }
}
