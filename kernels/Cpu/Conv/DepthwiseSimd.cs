using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// The vector operations the depthwise kernel needs, over one width (16, 8 or 4 floats), so the kernel is written
/// once and the JIT specializes it per width. Beyond plain arithmetic: lane-range masks and masked loads that never
/// touch a masked-out address (the padding of a plane is read as zeros straight from the unpadded input), partial
/// stores, and the even/odd deinterleave of two vectors (stride 2).
/// </summary>
internal unsafe interface IDepthwiseVector<TV> where TV : struct
{
    static abstract int Width { get; }
    static abstract TV Load(float* p);
    static abstract void Store(float* p, TV v);
    static abstract TV Splat(float v);
    /// <summary>a·b + c, fused where the CPU has FMA.</summary>
    static abstract TV MulAdd(TV a, TV b, TV c);
    static abstract TV Add(TV a, TV b);
    static abstract TV Mul(TV a, TV b);
    /// <summary>A mask whose lanes lo ≤ i &lt; hi are set (any lo, hi; empty when hi ≤ lo).</summary>
    static abstract TV RangeMask(int lo, int hi);
    /// <summary>Lanes of p where <paramref name="mask"/> is set, zero elsewhere; masked-out lanes are never read.</summary>
    static abstract TV LoadMasked(float* p, TV mask);
    /// <summary>Stores lanes 0 ≤ i &lt; n (n ≤ Width) and leaves the rest of memory alone.</summary>
    static abstract void StoreFirst(float* p, TV v, int n);
    /// <summary>Even-indexed elements of the 2·Width-element sequence a:b.</summary>
    static abstract TV Even(TV a, TV b);
    /// <summary>Odd-indexed elements of the 2·Width-element sequence a:b.</summary>
    static abstract TV Odd(TV a, TV b);
    /// <summary>max(x, 0); NaN stays NaN (max/min return their second operand when either is NaN).</summary>
    static abstract TV Relu(TV x);
    /// <summary>x &lt; 0 ? x·alpha : x.</summary>
    static abstract TV LeakyRelu(TV x, TV alpha);
    /// <summary>min(max(x, lo), hi); NaN stays NaN.</summary>
    static abstract TV Clip(TV x, TV lo, TV hi);
}

internal unsafe struct DepthwiseVector512 : IDepthwiseVector<Vector512<float>>
{
    private static readonly Vector512<int> s_even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    private static readonly Vector512<int> s_odd = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);

    public static int Width => 16;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(float* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, Vector512<float> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Splat(float v) => Vector512.Create(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MulAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Mul(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> RangeMask(int lo, int hi) =>
        Vector512.LessThan((Vector512<int>.Indices - Vector512.Create(lo)).AsUInt32(), Vector512.Create((uint)Math.Max(hi - lo, 0))).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadMasked(float* p, Vector512<float> mask) => Avx512F.MaskLoad(p, mask, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst(float* p, Vector512<float> v, int n) => Avx512F.MaskStore(p, RangeMask(0, n), v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Even(Vector512<float> a, Vector512<float> b) => Avx512F.PermuteVar16x32x2(a, s_even, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Odd(Vector512<float> a, Vector512<float> b) => Avx512F.PermuteVar16x32x2(a, s_odd, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Relu(Vector512<float> x) => Avx512F.Max(Vector512<float>.Zero, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LeakyRelu(Vector512<float> x, Vector512<float> alpha) =>
        Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), x * alpha, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Clip(Vector512<float> x, Vector512<float> lo, Vector512<float> hi) => Avx512F.Min(hi, Avx512F.Max(lo, x));
}

/// <summary>AVX2 (masked loads by vmaskmovps, or the AVX-512 forms where present).</summary>
internal unsafe struct DepthwiseVector256 : IDepthwiseVector<Vector256<float>>
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> RangeMask(int lo, int hi) =>
        Vector256.LessThan((Vector256<int>.Indices - Vector256.Create(lo)).AsUInt32(), Vector256.Create((uint)Math.Max(hi - lo, 0))).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadMasked(float* p, Vector256<float> mask) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.MaskLoad(p, mask, Vector256<float>.Zero) : Avx.MaskLoad(p, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static void StoreFirst(float* p, Vector256<float> v, int n)
    {
        // vmaskmovps stores are slow on some cores; a short scalar loop is fine for the one partial vector of a row.
        if (Avx512F.VL.IsSupported) Avx512F.VL.MaskStore(p, RangeMask(0, n), v);
        else for (int i = 0; i < n; i++) p[i] = v.GetElement(i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Even(Vector256<float> a, Vector256<float> b) =>
        Avx2.Permute4x64(Avx.Shuffle(a, b, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Odd(Vector256<float> a, Vector256<float> b) =>
        Avx2.Permute4x64(Avx.Shuffle(a, b, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Relu(Vector256<float> x) => Avx.Max(Vector256<float>.Zero, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LeakyRelu(Vector256<float> x, Vector256<float> alpha) =>
        Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), x * alpha, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Clip(Vector256<float> x, Vector256<float> lo, Vector256<float> hi) => Avx.Min(hi, Avx.Max(lo, x));
}

/// <summary>The portable floor: SSE/AVX on x86, AdvSimd on Arm, lane-by-lane where neither helps.</summary>
internal unsafe struct DepthwiseVector128 : IDepthwiseVector<Vector128<float>>
{
    public static int Width => 4;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(float* p) => Vector128.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, Vector128<float> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Splat(float v) => Vector128.Create(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MulAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(c, a, b) : a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Mul(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> RangeMask(int lo, int hi) =>
        Vector128.LessThan((Vector128<int>.Indices - Vector128.Create(lo)).AsUInt32(), Vector128.Create((uint)Math.Max(hi - lo, 0))).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadMasked(float* p, Vector128<float> mask)
    {
        if (Avx512F.VL.IsSupported) return Avx512F.VL.MaskLoad(p, mask, Vector128<float>.Zero);
        if (Avx.IsSupported) return Avx.MaskLoad(p, mask);
        var bits = mask.AsUInt32();
        return Vector128.Create(bits.GetElement(0) != 0 ? p[0] : 0f, bits.GetElement(1) != 0 ? p[1] : 0f,
            bits.GetElement(2) != 0 ? p[2] : 0f, bits.GetElement(3) != 0 ? p[3] : 0f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static void StoreFirst(float* p, Vector128<float> v, int n)
    {
        if (Avx512F.VL.IsSupported) Avx512F.VL.MaskStore(p, RangeMask(0, n), v);
        else for (int i = 0; i < n; i++) p[i] = v.GetElement(i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Even(Vector128<float> a, Vector128<float> b)
    {
        if (Sse.IsSupported) return Sse.Shuffle(a, b, 0b10_00_10_00);
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.UnzipEven(a, b);
        return Vector128.Create(a.GetElement(0), a.GetElement(2), b.GetElement(0), b.GetElement(2));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Odd(Vector128<float> a, Vector128<float> b)
    {
        if (Sse.IsSupported) return Sse.Shuffle(a, b, 0b11_01_11_01);
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.UnzipOdd(a, b);
        return Vector128.Create(a.GetElement(1), a.GetElement(3), b.GetElement(1), b.GetElement(3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Relu(Vector128<float> x) =>
        Sse.IsSupported ? Sse.Max(Vector128<float>.Zero, x) : Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), Vector128<float>.Zero, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LeakyRelu(Vector128<float> x, Vector128<float> alpha) =>
        Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), x * alpha, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Clip(Vector128<float> x, Vector128<float> lo, Vector128<float> hi) =>
        Sse.IsSupported ? Sse.Min(hi, Sse.Max(lo, x))
            : Vector128.ConditionalSelect(Vector128.GreaterThan(x, hi), hi, Vector128.ConditionalSelect(Vector128.LessThan(x, lo), lo, x));
}
