using NativeInfer.IR;
using NativeInfer.Ops.NN;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Fused;

/// <summary>
/// <c>ai.nativeinfer:FusedConv</c>, made by the optimizer: Y = activation(Conv(X, W, B) + Z). Attributes are Conv's
/// plus <c>activation</c> (Relu, LeakyRelu, Clip, HardSigmoid, Sigmoid, Tanh; absent = none) and
/// <c>activation_params</c> (alpha, beta; Clip: min, max). Z (optional) has Y's shape. float32.
/// </summary>
internal sealed class FusedConv : TensorOp
{
    public const string Domain = "ai.nativeinfer";
    public const string OpType = "FusedConv";

    private readonly ConvAttributes _attrs;
    private readonly FusedActivation _activation;

    public FusedConv(OpBuildContext ctx)
    {
        _attrs = new ConvAttributes(ctx.Attributes);
        _activation = FusedActivation.Parse(ctx.Attributes.String("activation", ""), ctx.Attributes.Floats("activation_params"));
    }

    public static void Register(OpRegistry r) => r.Register(Domain, OpType, 1, ctx => new FusedConv(ctx));

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        if (x.DataType != DataType.Float) throw new NotSupportedException($"{OpType} computes float32 only, got {DataTypes.Name(x.DataType)}.");
        var y = ConvKernel.RunFloating(OpType, [x, inputs.Req(1), inputs.Opt(2)], new ConvKernel.Request(_attrs, false, null, null)).As<float>();
        var z = inputs.Opt(3);
        var ys = y.Span;
        if (z is not null)
        {
            if (z.DataType != DataType.Float || !z.Shape.AsSpan().SequenceEqual(y.Shape))
                throw new ShapeMismatchException($"{OpType}: Z {z} must be float32 of the output's shape {ShapeUtil.Format(y.Shape)}.");
            AddInPlace(ys, z.As<float>().Span);
        }
        _activation.Apply(ys);
        return [y];
    }

    private static void AddInPlace(Span<float> y, ReadOnlySpan<float> z)
    {
        var vy = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(y);
        var vz = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(z);
        for (int i = 0; i < vy.Length; i++) vy[i] += vz[i];
        for (int i = vy.Length * System.Numerics.Vector<float>.Count; i < y.Length; i++) y[i] += z[i];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs)
    {
        var asConv = new Node
        {
            Name = node.Node.Name,
            OpType = "Conv",
            Inputs = node.Node.Inputs.Take(3).ToArray(),
            Outputs = node.Node.Outputs,
            Attributes = node.Node.Attributes,
            OpsetVersion = 11,
        };
        return ShapeRules.Infer(new OpBuildContext { Node = asConv, ConstantLookup = node.ConstantLookup }, inputs.Take(3).ToArray());
    }
}
