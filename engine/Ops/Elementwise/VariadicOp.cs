using System.Runtime.CompilerServices;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Base of Max, Min, Sum and Mean: folds 1..N same-typed inputs pairwise through the broadcast loop. The 16-bit float
/// types are folded in float and rounded once.
/// </summary>
internal abstract class VariadicOp<TK>(OpBuildContext ctx, TK kernel) : TensorOp where TK : struct, INumericBinary
{
    protected string Name { get; } = ctx.Node.OpType;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        if (inputs.Length == 0) throw new ArgumentException($"{Name} needs at least one input.");
        var first = inputs.Req(0);
        var type = first.DataType;
        if (inputs.Length == 1) return [Finish(first, 1)];
        Tensor acc = FloatWidening.Widen(first);
        for (int i = 1; i < inputs.Length; i++)
        {
            var t = inputs.Req(i);
            TypeDispatch.RequireSameType(Name, first, t);
            acc = FastFold(acc, t) ?? NumericBinary.Apply(Name, acc, FloatWidening.Widen(t), kernel);
        }
        return [FloatWidening.Narrow(Finish(acc, inputs.Length), type)];
    }

    /// <summary>One fold step on the SIMD path (float and double) where the op has one, else null.</summary>
    protected virtual Tensor? FastFold(Tensor acc, Tensor next) => null;

    /// <summary>The last step on the folded result (Mean divides by the input count).</summary>
    protected virtual Tensor Finish(Tensor folded, int count) => folded;
}
