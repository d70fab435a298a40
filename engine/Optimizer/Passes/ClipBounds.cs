using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer.Passes;

/// <summary>The bounds of a Clip node that a fused kernel can apply: attributes before opset 11, constant scalar float inputs from then on.</summary>
internal static class ClipBounds
{
    /// <summary>
    /// The bounds of <paramref name="clip"/>, each infinite when absent; false when a bound is an input that is not a
    /// constant float32 scalar (then the Clip cannot be folded into a kernel's epilogue).
    /// </summary>
    public static bool TryRead(PassContext ctx, Node clip, out float lo, out float hi)
    {
        lo = float.NegativeInfinity;
        hi = float.PositiveInfinity;
        if (clip.OpsetVersion < 11)
        {
            lo = clip.Attributes.Float("min", float.MinValue);
            hi = clip.Attributes.Float("max", float.MaxValue);
            return true;
        }
        if (clip.Inputs.Length > 1 && clip.Inputs[1].Length > 0)
        {
            if (ctx.Constant(clip.Inputs[1]) is not { DataType: DataType.Float, Length: 1 } t) return false;
            lo = (float)t.GetDouble(0);
        }
        if (clip.Inputs.Length > 2 && clip.Inputs[2].Length > 0)
        {
            if (ctx.Constant(clip.Inputs[2]) is not { DataType: DataType.Float, Length: 1 } t) return false;
            hi = (float)t.GetDouble(0);
        }
        return true;
    }
}
