using System.Runtime.CompilerServices;

namespace NativeInfer.Ops.Fused;

/// <summary>Activations a fused kernel can apply to its output tile.</summary>
public enum ActivationKind { None, Relu, LeakyRelu, Clip, HardSigmoid, Sigmoid, Tanh }

/// <summary>
/// An activation and its parameters: LeakyRelu(alpha), Clip(min = Alpha, max = Beta), HardSigmoid(alpha, beta).
/// </summary>
public readonly record struct FusedActivation(ActivationKind Kind, float Alpha, float Beta)
{
    public static FusedActivation None => new(ActivationKind.None, 0, 0);

    /// <summary>Parses the <c>activation</c> / <c>activation_params</c> attributes of a fused node.</summary>
    public static FusedActivation Parse(string? name, float[]? parameters)
    {
        if (string.IsNullOrEmpty(name)) return None;
        if (!Enum.TryParse<ActivationKind>(name, ignoreCase: false, out var kind))
            throw new NotSupportedException($"Unknown fused activation '{name}'.");
        float a = parameters is { Length: > 0 } ? parameters[0] : 0, b = parameters is { Length: > 1 } ? parameters[1] : 0;
        return new(kind, a, b);
    }

    /// <summary>The activation of one value (the reference the kernels are tested against).</summary>
    public float Apply(float v) => Kind switch
    {
        ActivationKind.None => v,
        ActivationKind.Relu => v < 0 ? 0 : v,
        ActivationKind.LeakyRelu => v < 0 ? v * Alpha : v,
        ActivationKind.Clip => Math.Min(Math.Max(v, Alpha), Beta),
        ActivationKind.HardSigmoid => Math.Max(0f, Math.Min(1f, Alpha * v + Beta)),
        ActivationKind.Sigmoid => 1f / (1f + MathF.Exp(-v)),
        ActivationKind.Tanh => MathF.Tanh(v),
        _ => throw new InvalidOperationException(),
    };

    /// <summary>Applies the activation in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(Span<float> values)
    {
        if (Kind == ActivationKind.None) return;
        if (Kind == ActivationKind.Relu)
        {
            var vec = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(values);
            for (int i = 0; i < vec.Length; i++) vec[i] = System.Numerics.Vector.Max(vec[i], System.Numerics.Vector<float>.Zero);
            for (int i = vec.Length * System.Numerics.Vector<float>.Count; i < values.Length; i++) values[i] = Apply(values[i]);
            return;
        }
        for (int i = 0; i < values.Length; i++) values[i] = Apply(values[i]);
    }
}
