using System.Runtime.CompilerServices;
using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Transformer;

/// <summary>
/// ONNX SwiGLU (opset 28): y = a · sigmoid(alpha · a) · b elementwise, for same-shape, same-type float inputs
/// (no broadcasting).
/// </summary>
internal sealed class SwiGLU : TensorOp
{
    private const string Op = "SwiGLU";
    private readonly double _alpha;

    public SwiGLU(OpBuildContext ctx) => _alpha = ctx.Attributes.Float("alpha", 1f);

    /// <summary>The output has the type and shape of the first input.</summary>
    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        inputs.Length > 0 && inputs[0] is { } x ? [x] : null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        Tensor a = inputs.Req(0), b = inputs.Req(1);
        FloatBuffers.RequireFloat(a, Op, "A");
        if (a.DataType != b.DataType || !a.Shape.AsSpan().SequenceEqual(b.Shape))
            throw new ShapeMismatchException($"{Op}: A {a} and B {b} must have the same shape and element type.");
        var x = FloatBuffers.Read(a);
        var y = FloatBuffers.Read(b);
        var p = new Precision(a.DataType);
        for (int i = 0; i < x.Length; i++)
        {
            double gate = p.Round(1.0 / p.Round(1.0 + p.Round(Math.Exp(p.Round(-_alpha * x[i])))));
            y[i] = p.Round(p.Round(x[i] * gate) * y[i]);
        }
        return [FloatBuffers.Write(y, (int[])a.Shape.Clone(), a.DataType)];
    }
}
