using System.Numerics;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Add: C = A + B with multidirectional broadcasting, every numeric type (integers wrap).</summary>
internal sealed class Add(OpBuildContext ctx) : NumericBinaryOp<Add.Kernel>(ctx, default)
{
    /// <summary>In place over A or B when it has the output's shape (float/double path: <see cref="FastElementwise.Binary"/>).</summary>
    public override IReadOnlyList<int> InPlaceInputs => [0, 1];

    protected override Tensor? TryFast(Tensor a, Tensor b) =>
        FastElementwise.FloatOrDouble(a, b, default(AddOperator<float>), default(AddOperator<double>));

    public readonly struct Kernel : INumericBinary
    {
        public T Invoke<T>(T a, T b) where T : unmanaged, INumber<T> => a + b;
    }
}
