using BenchmarkDotNet.Attributes;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Elementwise;

namespace NativeInfer.Bench.Benchmarks;

/// <summary>
/// Elementwise kernels over 1M floats on one thread, each against the plain scalar loop the generic op path runs.
/// Times are per element (OperationsPerInvoke); bytes moved per element: 12 for a binary op, 8 for a unary one, so
/// GB/s = bytes / (ns per element). <c>dotnet run --project bench -c Release -- --filter *Elementwise*</c>.
/// </summary>
[MemoryDiagnoser]
public class ElementwiseBenchmarks
{
    private const int N = 1 << 20;
    private const int Channels = 64, Plane = N / Channels;   // [1, 64, 128, 128] + [64, 1, 1]
    private float[] _a = null!, _b = null!, _bias = null!, _r = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _a = new float[N];
        _b = new float[N];
        _r = new float[N];
        _bias = new float[Channels];
        for (int i = 0; i < N; i++)
        {
            _a[i] = (float)(rng.NextDouble() * 8 - 4);
            _b[i] = (float)(rng.NextDouble() * 8 - 4);
        }
        for (int c = 0; c < Channels; c++) _bias[c] = c * 0.01f;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public void AddSameShape() => BinaryKernel.Map<float, AddOperator<float>>(_a, _b, _r, default);

    [Benchmark(OperationsPerInvoke = N)]
    public void AddSameShapeScalarLoop()
    {
        float[] a = _a, b = _b, r = _r;
        for (int i = 0; i < r.Length; i++) r[i] = a[i] + b[i];
    }

    [Benchmark(OperationsPerInvoke = N)]
    public void AddPerChannel()
    {
        for (int c = 0; c < Channels; c++)
            BinaryKernel.MapScalarRight<float, AddOperator<float>>(_a.AsSpan(c * Plane, Plane), _bias[c], _r.AsSpan(c * Plane, Plane), default);
    }

    [Benchmark(OperationsPerInvoke = N)]
    public void Relu() => UnaryKernel.Map(_a, _r, new ReluOperator());

    [Benchmark(OperationsPerInvoke = N)]
    public void ReluScalarLoop()
    {
        float[] a = _a, r = _r;
        for (int i = 0; i < r.Length; i++) r[i] = a[i] < 0 ? 0 : a[i];
    }

    [Benchmark(OperationsPerInvoke = N)]
    public void Sigmoid() => VectorMath.Sigmoid(_a, _r);

    [Benchmark(OperationsPerInvoke = N)]
    public void SigmoidScalarLoop()
    {
        float[] a = _a, r = _r;
        for (int i = 0; i < r.Length; i++) r[i] = 1 / (1 + MathF.Exp(-a[i]));
    }

    [Benchmark(OperationsPerInvoke = N)]
    public void Exp() => VectorMath.Exp(_a, _r);

    [Benchmark(OperationsPerInvoke = N)]
    public void ExpScalarLoop()
    {
        float[] a = _a, r = _r;
        for (int i = 0; i < r.Length; i++) r[i] = MathF.Exp(a[i]);
    }

    [Benchmark(OperationsPerInvoke = N)]
    public void Gelu() => VectorMath.Gelu(_a, _r);

    [Benchmark(OperationsPerInvoke = N)]
    public void Tanh() => VectorMath.Tanh(_a, _r);
}
