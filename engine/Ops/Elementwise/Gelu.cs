using System.Numerics;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Gelu: Y = X * Phi(X) with Phi the standard normal CDF (approximate="none", via erf) or its tanh approximation
/// (approximate="tanh"). Float types; float16/bfloat16 computed in float.
/// </summary>
internal sealed class Gelu(OpBuildContext ctx) : FloatUnaryOp<Gelu.Kernel>(ctx, new Kernel(ParseApproximate(ctx)))
{
    private readonly bool _tanh = ParseApproximate(ctx);

    /// <summary>In place over X (float path: <see cref="FastElementwise.Unary"/>, exact aliasing safe).</summary>
    public override IReadOnlyList<int> InPlaceInputs => [0];

    protected override Tensor? TryFast(Tensor x) => x is not Tensor<float> f ? null
        : _tanh ? FastElementwise.Unary(f, default(VectorMath.GeluTanhOperator))
        : FastElementwise.Unary(f, default(VectorMath.GeluOperator));

    private static bool ParseApproximate(OpBuildContext ctx) => ctx.Attributes.String("approximate", "none") switch
    {
        "none" => false,
        "tanh" => true,
        var a => throw new NotSupportedException($"Gelu approximate must be 'none' or 'tanh', got '{a}'."),
    };

    public readonly struct Kernel(bool tanh) : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T half = T.CreateTruncating(0.5);
            if (tanh)
            {
                T inner = T.CreateTruncating(Math.Sqrt(2 / Math.PI)) * (x + T.CreateTruncating(0.044715) * x * x * x);
                return half * x * (T.One + T.Tanh(inner));
            }
            double erf = FloatMath.Erf(double.CreateTruncating(x) / Math.Sqrt(2), FloatMath.ErfTerms<T>());
            return half * x * (T.One + T.CreateTruncating(erf));
        }
    }
}
