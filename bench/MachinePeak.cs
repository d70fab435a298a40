using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeInfer.Bench;

/// <summary>
/// Measures this machine's FP32 FMA throughput: independent FMA chains held in registers (enough of them to hide FMA
/// latency), on one thread and on every core. Kernel results are reported as a fraction of this.
/// </summary>
public static class MachinePeak
{
    private static readonly Dictionary<int, double> s_cache = new();

    /// <summary>FP32 lanes per vector in <see cref="Chains"/> (16 with AVX-512, else 8).</summary>
    public static int Lanes => Vector512.IsHardwareAccelerated ? 16 : 8;

    /// <summary>FLOPs of one <see cref="Chains"/>(n) call: 12 chains × lanes × (mul + add) per iteration.</summary>
    public static double ChainsFlops(int n) => n * 12.0 * Lanes * 2;

    /// <summary>
    /// The peak for <paramref name="threads"/> threads, measured (1 s) on first use and cached for the process. The
    /// environment variable <c>NATIVEINFER_PEAK_GFLOPS_&lt;threads&gt;</c> (e.g. <c>NATIVEINFER_PEAK_GFLOPS_1=207</c>)
    /// replaces the measurement, for runs on a busy machine.
    /// </summary>
    public static double Cached(int threads)
    {
        lock (s_cache)
        {
            if (s_cache.TryGetValue(threads, out double g)) return g;
            var env = Environment.GetEnvironmentVariable($"NATIVEINFER_PEAK_GFLOPS_{threads}");
            g = double.TryParse(env, System.Globalization.CultureInfo.InvariantCulture, out double v) && v > 0
                ? v
                : MeasureGflops(threads, TimeSpan.FromSeconds(1));
            s_cache[threads] = g;
            return g;
        }
    }

    public static double MeasureGflops(int threads, TimeSpan duration)
    {
        long iterations = 0;
        var sw = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            long local = 0;
            while (sw.Elapsed < duration)
            {
                Chains(1 << 16);
                local += 1 << 16;
            }
            Interlocked.Add(ref iterations, local);
        });
        double seconds = sw.Elapsed.TotalSeconds;
        return iterations * ChainsFlops(1) / seconds / 1e9;
    }

    /// <summary>n iterations of 12 independent FMA chains on the widest accelerated vector; <see cref="ChainsFlops"/> FLOPs.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float Chains(int n)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var a = Vector512.Create(0.999f);
            var b = Vector512.Create(1e-7f);
            Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default,
                c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
            for (int i = 0; i < n; i++)
            {
                // 12 independent chains: more than FMA latency × throughput, so the unit never waits.
                c0 = Vector512.FusedMultiplyAdd(c0, a, b); c1 = Vector512.FusedMultiplyAdd(c1, a, b);
                c2 = Vector512.FusedMultiplyAdd(c2, a, b); c3 = Vector512.FusedMultiplyAdd(c3, a, b);
                c4 = Vector512.FusedMultiplyAdd(c4, a, b); c5 = Vector512.FusedMultiplyAdd(c5, a, b);
                c6 = Vector512.FusedMultiplyAdd(c6, a, b); c7 = Vector512.FusedMultiplyAdd(c7, a, b);
                c8 = Vector512.FusedMultiplyAdd(c8, a, b); c9 = Vector512.FusedMultiplyAdd(c9, a, b);
                c10 = Vector512.FusedMultiplyAdd(c10, a, b); c11 = Vector512.FusedMultiplyAdd(c11, a, b);
            }
            return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
        }
        else
        {
            var a = Vector256.Create(0.999f);
            var b = Vector256.Create(1e-7f);
            Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default,
                c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
            for (int i = 0; i < n; i++)
            {
                c0 = Vector256.FusedMultiplyAdd(c0, a, b); c1 = Vector256.FusedMultiplyAdd(c1, a, b);
                c2 = Vector256.FusedMultiplyAdd(c2, a, b); c3 = Vector256.FusedMultiplyAdd(c3, a, b);
                c4 = Vector256.FusedMultiplyAdd(c4, a, b); c5 = Vector256.FusedMultiplyAdd(c5, a, b);
                c6 = Vector256.FusedMultiplyAdd(c6, a, b); c7 = Vector256.FusedMultiplyAdd(c7, a, b);
                c8 = Vector256.FusedMultiplyAdd(c8, a, b); c9 = Vector256.FusedMultiplyAdd(c9, a, b);
                c10 = Vector256.FusedMultiplyAdd(c10, a, b); c11 = Vector256.FusedMultiplyAdd(c11, a, b);
            }
            return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
        }
    }
}
