using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>IsNaN: Y = (X is NaN) as bool; float types.</summary>
internal sealed class IsNaN(OpBuildContext ctx) : UnaryOp(ctx)
{
    protected override Tensor Apply(Tensor x) => UnaryLoop.FloatTest(Name, x, default(Kernel));

    private readonly struct Kernel : IFloatPredicate
    {
        public bool Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.IsNaN(x);
    }
}
