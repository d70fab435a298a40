using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// BitShift: X shifted LEFT or RIGHT (direction attribute) by Y bits, unsigned integer tensors with multidirectional
/// broadcasting. Shifting by the bit width or more gives 0.
/// </summary>
internal sealed class BitShift(OpBuildContext ctx)
    : IntegerBinaryOp<BitShift.Kernel>(ctx, new Kernel(ParseDirection(ctx)))
{
    private static bool ParseDirection(OpBuildContext ctx) => ctx.Attributes.String("direction", "") switch
    {
        "LEFT" => true,
        "RIGHT" => false,
        var d => throw new NotSupportedException($"BitShift direction must be LEFT or RIGHT, got '{d}'."),
    };

    public readonly struct Kernel(bool left) : IIntegerBinary
    {
        public T Invoke<T>(T a, T b) where T : unmanaged, IBinaryInteger<T>
        {
            if (T.IsNegative(b) || b >= T.CreateTruncating(NumericTraits.BitWidth<T>())) return T.Zero;
            int n = int.CreateTruncating(b);
            return left ? a << n : a >> n;
        }
    }
}
