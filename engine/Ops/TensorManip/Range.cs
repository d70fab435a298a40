using NativeInfer.IR;
using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Range: the 1-D tensor start, start+delta, ... up to (excluding) limit, with max(ceil((limit-start)/delta), 0)
/// elements; start, limit and delta are scalars of one numeric type. bfloat16 is computed in float32.
/// </summary>
internal sealed class Range : TensorOp
{
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var start = inputs.Req(0);
        var limit = inputs.Req(1);
        var delta = inputs.Req(2);
        if (start.Length != 1 || limit.Length != 1 || delta.Length != 1)
            throw new ShapeMismatchException("Range start, limit and delta must be scalars.");
        if (limit.DataType != start.DataType || delta.DataType != start.DataType)
            throw new ArgumentException("Range start, limit and delta must share one element type.");
        if (start.DataType == DataType.BFloat16)
            return [TensorConvert.Convert(Run(TensorConvert.ToFloat(start), TensorConvert.ToFloat(limit), TensorConvert.ToFloat(delta)), DataType.BFloat16)];
        return [Run(start, limit, delta)];
    }

    private static Tensor Run(Tensor start, Tensor limit, Tensor delta) =>
        Dispatch.Numeric<Fill, Tensor>(start.DataType, new Fill(start, limit, delta));

    private readonly struct Fill(Tensor start, Tensor limit, Tensor delta) : INumericFunc<Tensor>
    {
        public Tensor Invoke<T>() where T : unmanaged, INumber<T>
        {
            T s = start.As<T>()[0], l = limit.As<T>()[0], d = delta.As<T>()[0];
            if (d == T.Zero) throw new ArgumentException("Range delta must not be 0.");
            double count = Math.Ceiling((double.CreateTruncating(l) - double.CreateTruncating(s)) / double.CreateTruncating(d));
            if (double.IsNaN(count) || count <= 0) count = 0;
            if (count > Array.MaxLength) throw new TensorSizeException($"Range would produce {count} elements.");
            var y = new Tensor<T>([(int)count]);
            var span = y.Span;
            for (int i = 0; i < span.Length; i++) span[i] = s + T.CreateTruncating(i) * d;
            return y;
        }
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => TypeRules.SameElementType(inputs, 0, node.OutputCount);
}
