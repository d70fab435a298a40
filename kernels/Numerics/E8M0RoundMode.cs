namespace NativeInfer.Kernels.Numerics;

/// <summary>How a value between two powers of two becomes a <see cref="Float8E8M0"/> (ONNX Cast 'round_mode').</summary>
public enum E8M0RoundMode
{
    /// <summary>"up": the next power of two at or above the magnitude (the ONNX default).</summary>
    Up,

    /// <summary>"down": the power of two at or below the magnitude.</summary>
    Down,

    /// <summary>"nearest": the nearer power of two, ties (1.5·2^e) going up.</summary>
    Nearest,
}
