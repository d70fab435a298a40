using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// The float vector operations the direct conv and pooling kernels need, as static members over one vector width, so
/// each kernel is written once and the JIT specializes it per width (Vector512, Vector256, Vector128).
/// </summary>
internal unsafe interface ISimdFloat<TV> where TV : struct
{
    static abstract int Width { get; }
    static abstract TV Load(float* p);
    static abstract void Store(float* p, TV v);
    static abstract TV Splat(float v);
    /// <summary>a·b + c, fused where the CPU has FMA.</summary>
    static abstract TV MulAdd(TV a, TV b, TV c);
    static abstract TV Add(TV a, TV b);
    static abstract TV Mul(TV a, TV b);
    /// <summary>x where x &gt; acc, else acc: NaN in x never replaces acc; ties keep acc.</summary>
    static abstract TV MaxKeep(TV acc, TV x);
    /// <summary>x where x &lt; acc, else acc.</summary>
    static abstract TV MinKeep(TV acc, TV x);
    /// <summary>x where x &lt; 0 is false (NaN and non-negatives kept), else x·alpha.</summary>
    static abstract TV ScaleNegative(TV x, TV alpha);
    /// <summary>True when any lane equals v (used to find windows that need a scalar fix-up).</summary>
    static abstract bool AnyEqual(TV x, float v);
    /// <summary>True when any lane is NaN.</summary>
    static abstract bool AnyNaN(TV x);
    static abstract float Sum(TV x);
    /// <summary>Elements 0, 2, 4, … of the 2·Width floats lo:hi.</summary>
    static abstract TV Evens(TV lo, TV hi);
    /// <summary>Elements 1, 3, 5, … of the 2·Width floats lo:hi.</summary>
    static abstract TV Odds(TV lo, TV hi);
    /// <summary>x in the lanes where lo ≤ index &lt; hi (index holds small whole numbers), else fallback.</summary>
    static abstract TV Within(TV index, float lo, float hi, TV x, TV fallback);
}

internal unsafe struct Simd512 : ISimdFloat<Vector512<float>>
{
    public static int Width => 16;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(float* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, Vector512<float> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Splat(float v) => Vector512.Create(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MulAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Mul(Vector512<float> a, Vector512<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MaxKeep(Vector512<float> acc, Vector512<float> x) => Avx512F.Max(x, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MinKeep(Vector512<float> acc, Vector512<float> x) => Avx512F.Min(x, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ScaleNegative(Vector512<float> x, Vector512<float> alpha) =>
        Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), x * alpha, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyEqual(Vector512<float> x, float v) => Vector512.EqualsAny(x, Vector512.Create(v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyNaN(Vector512<float> x) => !Vector512.EqualsAll(x, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector512<float> x) => Vector512.Sum(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Evens(Vector512<float> lo, Vector512<float> hi) =>
        Avx512F.PermuteVar16x32x2(lo, Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), hi);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Odds(Vector512<float> lo, Vector512<float> hi) =>
        Avx512F.PermuteVar16x32x2(lo, Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31), hi);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Within(Vector512<float> index, float lo, float hi, Vector512<float> x, Vector512<float> fallback) =>
        Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(index, Vector512.Create(lo)) & Vector512.LessThan(index, Vector512.Create(hi)), x, fallback);
}

internal unsafe struct Simd256 : ISimdFloat<Vector256<float>>
{
    public static int Width => 8;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(float* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, Vector256<float> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Splat(float v) => Vector256.Create(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Mul(Vector256<float> a, Vector256<float> b) => a * b;
    // maxps/minps return the second operand when either is NaN: passing acc second keeps it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MaxKeep(Vector256<float> acc, Vector256<float> x) => Avx.Max(x, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MinKeep(Vector256<float> acc, Vector256<float> x) => Avx.Min(x, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ScaleNegative(Vector256<float> x, Vector256<float> alpha) =>
        Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), x * alpha, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyEqual(Vector256<float> x, float v) => Vector256.EqualsAny(x, Vector256.Create(v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyNaN(Vector256<float> x) => !Vector256.EqualsAll(x, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector256<float> x) => Vector256.Sum(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Evens(Vector256<float> lo, Vector256<float> hi) =>
        Avx2.Permute4x64(Avx.Shuffle(lo, hi, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Odds(Vector256<float> lo, Vector256<float> hi) =>
        Avx2.Permute4x64(Avx.Shuffle(lo, hi, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Within(Vector256<float> index, float lo, float hi, Vector256<float> x, Vector256<float> fallback) =>
        Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(index, Vector256.Create(lo)) & Vector256.LessThan(index, Vector256.Create(hi)), x, fallback);
}

/// <summary>The portable floor: Vector128 with SSE/FMA where present, ConditionalSelect elsewhere.</summary>
internal unsafe struct Simd128 : ISimdFloat<Vector128<float>>
{
    public static int Width => 4;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(float* p) => Vector128.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, Vector128<float> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Splat(float v) => Vector128.Create(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MulAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Mul(Vector128<float> a, Vector128<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MaxKeep(Vector128<float> acc, Vector128<float> x) =>
        Sse.IsSupported ? Sse.Max(x, acc) : Vector128.ConditionalSelect(Vector128.GreaterThan(x, acc), x, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MinKeep(Vector128<float> acc, Vector128<float> x) =>
        Sse.IsSupported ? Sse.Min(x, acc) : Vector128.ConditionalSelect(Vector128.LessThan(x, acc), x, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ScaleNegative(Vector128<float> x, Vector128<float> alpha) =>
        Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), x * alpha, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyEqual(Vector128<float> x, float v) => Vector128.EqualsAny(x, Vector128.Create(v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyNaN(Vector128<float> x) => !Vector128.EqualsAll(x, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector128<float> x) => Vector128.Sum(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Evens(Vector128<float> lo, Vector128<float> hi) =>
        Sse.IsSupported ? Sse.Shuffle(lo, hi, 0b10_00_10_00) : Vector128.Create(lo[0], lo[2], hi[0], hi[2]);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Odds(Vector128<float> lo, Vector128<float> hi) =>
        Sse.IsSupported ? Sse.Shuffle(lo, hi, 0b11_01_11_01) : Vector128.Create(lo[1], lo[3], hi[1], hi[3]);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Within(Vector128<float> index, float lo, float hi, Vector128<float> x, Vector128<float> fallback) =>
        Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(index, Vector128.Create(lo)) & Vector128.LessThan(index, Vector128.Create(hi)), x, fallback);
}
