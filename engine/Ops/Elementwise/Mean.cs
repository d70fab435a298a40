using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Mean: elementwise mean of 1..N same-typed inputs with multidirectional broadcasting; float types.</summary>
internal sealed class Mean(OpBuildContext ctx) : VariadicOp<Sum.Kernel>(ctx, default)
{
    protected override Tensor? FastFold(Tensor acc, Tensor next) =>
        FastElementwise.FloatOrDouble(acc, next, default(AddOperator<float>), default(AddOperator<double>));

    protected override Tensor Finish(Tensor folded, int count)
    {
        if (count == 1) return folded;
        var n = Tensor.Create(folded.DataType, []);
        n.SetDouble(0, count);
        return FastElementwise.FloatOrDouble(folded, n, default(DivideOperator<float>), default(DivideOperator<double>))
            ?? NumericBinary.Apply("Mean", folded, n, default(Div.Kernel));
    }
}
