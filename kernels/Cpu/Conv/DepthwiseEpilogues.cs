using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// The activation the depthwise kernel applies to an output vector in a register, as a type argument so each strip
/// loop is compiled with its activation inline (no per-vector dispatch). Kinds without one here run on the finished
/// band through <see cref="SgemmActivations.ApplyRow"/> (the kernel then uses <see cref="IdentityEpilogue{TS, TV}"/>).
/// </summary>
internal interface IDepthwiseEpilogue<TV> where TV : struct
{
    TV Apply(TV x);
}

internal readonly struct IdentityEpilogue<TS, TV> : IDepthwiseEpilogue<TV> where TS : IDepthwiseVector<TV> where TV : struct
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TV Apply(TV x) => x;
}

internal readonly struct ReluEpilogue<TS, TV> : IDepthwiseEpilogue<TV> where TS : IDepthwiseVector<TV> where TV : struct
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TV Apply(TV x) => TS.Relu(x);
}

internal readonly struct LeakyReluEpilogue<TS, TV>(float alpha) : IDepthwiseEpilogue<TV> where TS : IDepthwiseVector<TV> where TV : struct
{
    private readonly TV _alpha = TS.Splat(alpha);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TV Apply(TV x) => TS.LeakyRelu(x, _alpha);
}

internal readonly struct ClipEpilogue<TS, TV>(float min, float max) : IDepthwiseEpilogue<TV> where TS : IDepthwiseVector<TV> where TV : struct
{
    private readonly TV _min = TS.Splat(min), _max = TS.Splat(max);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TV Apply(TV x) => TS.Clip(x, _min, _max);
}

/// <summary>max(0, min(1, alpha·x + beta)).</summary>
internal readonly struct HardSigmoidEpilogue<TS, TV>(float alpha, float beta) : IDepthwiseEpilogue<TV> where TS : IDepthwiseVector<TV> where TV : struct
{
    private readonly TV _alpha = TS.Splat(alpha), _beta = TS.Splat(beta);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TV Apply(TV x) => TS.Clip(TS.MulAdd(x, _alpha, _beta), TS.Splat(0f), TS.Splat(1f));
}

/// <summary>Whether a strip fills whole vectors (plain loads and stores of the residual and output) or only its first lanes.</summary>
internal interface IDepthwiseStripWidth
{
    static abstract bool Full { get; }
}

internal struct FullStrip : IDepthwiseStripWidth
{
    public static bool Full => true;
}

internal struct PartialStrip : IDepthwiseStripWidth
{
    public static bool Full => false;
}
