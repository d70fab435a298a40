using System.Numerics;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Div: C = A / B with multidirectional broadcasting, every numeric type. Integer division truncates toward zero;
/// an integer division by zero gives 0 and MIN / -1 wraps, where C# would throw.
/// </summary>
internal sealed class Div(OpBuildContext ctx) : NumericBinaryOp<Div.Kernel>(ctx, default)
{
    /// <summary>In place over A or B when it has the output's shape (float/double path: <see cref="FastElementwise.Binary"/>).</summary>
    public override IReadOnlyList<int> InPlaceInputs => [0, 1];

    protected override Tensor? TryFast(Tensor a, Tensor b) =>
        FastElementwise.FloatOrDouble(a, b, default(DivideOperator<float>), default(DivideOperator<double>));

    public readonly struct Kernel : INumericBinary
    {
        public T Invoke<T>(T a, T b) where T : unmanaged, INumber<T>
        {
            if (!NumericTraits.IsFloat<T>())
            {
                if (T.IsZero(b)) return T.Zero;
                if (NumericTraits.IsSignedInteger<T>() && b == -T.One) return T.Zero - a;
            }
            return a / b;
        }
    }
}
