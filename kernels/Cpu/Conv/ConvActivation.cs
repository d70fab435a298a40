using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// Applies a conv epilogue's <see cref="SgemmActivation"/> (the same description the SGEMM epilogue takes) inside
/// the direct kernels: Relu, LeakyRelu and Clip while the output vector is in a register, the others on the finished
/// row through the SGEMM epilogue's own row routine.
/// </summary>
internal static unsafe class ConvActivation
{
    /// <summary>True when <see cref="Apply{TS, TV}"/> handles the kind in registers.</summary>
    public static bool InRegister(in SgemmActivation a) =>
        a.Kind is SgemmActivationKind.None or SgemmActivationKind.Relu or SgemmActivationKind.LeakyRelu or SgemmActivationKind.Clip;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Apply<TS, TV>(TV x, in SgemmActivation a) where TS : ISimdFloat<TV> where TV : struct => a.Kind switch
    {
        SgemmActivationKind.Relu => TS.MaxKeep(x, default),
        SgemmActivationKind.LeakyRelu => TS.ScaleNegative(x, TS.Splat(a.Alpha)),
        SgemmActivationKind.Clip => TS.MinKeep(TS.MaxKeep(x, TS.Splat(a.Alpha)), TS.Splat(a.Beta)),
        _ => x,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Apply(float x, in SgemmActivation a) => a.Kind switch
    {
        SgemmActivationKind.Relu => x < 0f ? 0f : x,
        SgemmActivationKind.LeakyRelu => x < 0f ? x * a.Alpha : x,
        SgemmActivationKind.Clip => x < a.Alpha ? a.Alpha : x > a.Beta ? a.Beta : x,
        _ => x,
    };

    /// <summary>The kinds <see cref="InRegister"/> rejects, on a finished row.</summary>
    public static void ApplyRow(float* row, int n, in SgemmActivation a)
    {
        if (!InRegister(a)) SgemmActivations.ApplyRow(row, n, 0f, null, null, a);
    }
}
