using System.Numerics;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Max: elementwise maximum of 1..N same-typed inputs with multidirectional broadcasting; every numeric type. NaN
/// propagates.
/// </summary>
internal sealed class Max(OpBuildContext ctx) : VariadicOp<Max.Kernel>(ctx, default)
{
    protected override Tensor? FastFold(Tensor acc, Tensor next) =>
        FastElementwise.FloatOrDouble(acc, next, default(MaxOperator<float>), default(MaxOperator<double>));

    public readonly struct Kernel : INumericBinary
    {
        public T Invoke<T>(T a, T b) where T : unmanaged, INumber<T> => T.Max(a, b);
    }
}
