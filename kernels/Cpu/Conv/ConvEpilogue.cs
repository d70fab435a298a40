using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>The activation a convolution applies to its output while the values are still in registers.</summary>
public enum ConvActivation
{
    None,
    /// <summary>max(x, 0); NaN stays NaN.</summary>
    Relu,
    /// <summary>x &lt; 0 ? Alpha·x : x.</summary>
    LeakyRelu,
    /// <summary>min(max(x, Alpha), Beta); NaN stays NaN.</summary>
    Clip,
}

/// <summary>
/// What a convolution does to each output value after the products: y = activation(acc + bias[channel] + residual),
/// the residual (an optional tensor of Y's shape, e.g. a ResNet skip connection) added before the activation. This is
/// what an optimizer needs to fuse Conv + BatchNormalization (folded into weights and bias) + Add + Relu into one pass.
/// </summary>
public readonly record struct ConvEpilogue(ConvActivation Activation = ConvActivation.None, float Alpha = 0f, float Beta = 0f)
{
    public static ConvEpilogue None => default;
    public static ConvEpilogue Relu => new(ConvActivation.Relu);
    public static ConvEpilogue LeakyRelu(float alpha) => new(ConvActivation.LeakyRelu, alpha);
    public static ConvEpilogue Clip(float min, float max) => new(ConvActivation.Clip, min, max);

    /// <summary>The activation on one value (the scalar reference of the vector paths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Apply(float x) => Activation switch
    {
        ConvActivation.Relu => x < 0f ? 0f : x,
        ConvActivation.LeakyRelu => x < 0f ? x * Alpha : x,
        ConvActivation.Clip => x < Alpha ? Alpha : x > Beta ? Beta : x,
        _ => x,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal TV Apply<TS, TV>(TV x) where TS : ISimdFloat<TV> where TV : struct => Activation switch
    {
        ConvActivation.Relu => TS.MaxKeep(x, default),
        ConvActivation.LeakyRelu => TS.ScaleNegative(x, TS.Splat(Alpha)),
        ConvActivation.Clip => TS.MinKeep(TS.MaxKeep(x, TS.Splat(Alpha)), TS.Splat(Beta)),
        _ => x,
    };

    /// <summary>y[i] = activation(y[i] + bias + residual[i]) over a row; <paramref name="residual"/> may be null.</summary>
    internal unsafe void ApplyRow(float* y, int n, float bias, float* residual)
    {
        int i = 0;
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) i = ApplyRow<Simd512, System.Runtime.Intrinsics.Vector512<float>>(y, n, bias, residual);
        else if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated) i = ApplyRow<Simd256, System.Runtime.Intrinsics.Vector256<float>>(y, n, bias, residual);
        else if (System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated) i = ApplyRow<Simd128, System.Runtime.Intrinsics.Vector128<float>>(y, n, bias, residual);
        for (; i < n; i++) y[i] = Apply(y[i] + bias + (residual == null ? 0f : residual[i]));
    }

    private unsafe int ApplyRow<TS, TV>(float* y, int n, float bias, float* residual) where TS : ISimdFloat<TV> where TV : struct
    {
        int w = TS.Width, i = 0;
        var vb = TS.Splat(bias);
        for (; i + w <= n; i += w)
        {
            var v = TS.Add(TS.Load(y + i), vb);
            if (residual != null) v = TS.Add(v, TS.Load(residual + i));
            TS.Store(y + i, Apply<TS, TV>(v));
        }
        return i;
    }
}
