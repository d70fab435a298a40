using System.Numerics;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Sum: elementwise sum of 1..N same-typed inputs with multidirectional broadcasting; every numeric type.
/// </summary>
internal sealed class Sum(OpBuildContext ctx) : VariadicOp<Sum.Kernel>(ctx, default)
{
    protected override Tensor? FastFold(Tensor acc, Tensor next) =>
        FastElementwise.FloatOrDouble(acc, next, default(AddOperator<float>), default(AddOperator<double>));

    public readonly struct Kernel : INumericBinary
    {
        public T Invoke<T>(T a, T b) where T : unmanaged, INumber<T> => a + b;
    }
}
