using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Equal: C = (A == B) as bool with multidirectional broadcasting, on every numeric type, bool and string (ordinal).
/// </summary>
internal sealed class Equal(OpBuildContext ctx) : ComparisonOp<Equal.Kernel>(ctx, default)
{
    protected override Tensor Apply(Tensor a, Tensor b)
    {
        if (a.DataType == DataType.String && b.DataType == DataType.String)
            return BroadcastLoop.Binary<string, string, bool, Same<string>>(a.As<string>(), b.As<string>(), default);
        if (a.DataType == DataType.Bool && b.DataType == DataType.Bool)
            return BroadcastLoop.Binary<bool, bool, bool, Same<bool>>(a.As<bool>(), b.As<bool>(), default);
        return base.Apply(a, b);
    }

    public readonly struct Kernel : INumericPredicate
    {
        public bool Invoke<T>(T a, T b) where T : unmanaged, INumber<T> => a == b;
    }

    private readonly struct Same<T> : IBinaryKernel<T, T, bool> where T : IEquatable<T>
    {
        public bool Invoke(T a, T b) => a.Equals(b);
    }
}
