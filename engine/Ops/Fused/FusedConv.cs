using NativeInfer.IR;
using NativeInfer.Ops.NN;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Fused;

/// <summary>
/// <c>ai.nativeinfer:FusedConv</c>, made by the optimizer: Y = activation(Conv(X, W, B) + Z). Attributes are Conv's
/// plus <c>activation</c> (Relu, LeakyRelu, Clip, HardSigmoid, Sigmoid, Tanh; absent = none) and
/// <c>activation_params</c> (alpha, beta; Clip: min, max). Z (optional) has Y's shape. float32.
/// </summary>
internal sealed class FusedConv : TensorOp, Session.IPackedWeightOp
{
    public const string Domain = "ai.nativeinfer";
    public const string OpType = "FusedConv";

    private readonly ConvAttributes _attrs;
    private readonly FusedActivation _activation;
    private readonly Kernels.Cpu.SgemmActivation _kernelActivation;
    private Tensor? _weightSource;
    private readonly Kernels.Cpu.Conv.ConvWeights? _packed;

    public FusedConv(OpBuildContext ctx)
    {
        _attrs = new ConvAttributes(ctx.Attributes);
        _activation = FusedActivation.Parse(ctx.Attributes.String("activation", ""), ctx.Attributes.Floats("activation_params"));
        _kernelActivation = _activation.Kind switch
        {
            ActivationKind.None => Kernels.Cpu.SgemmActivation.None,
            ActivationKind.Relu => Kernels.Cpu.SgemmActivation.Relu,
            ActivationKind.LeakyRelu => Kernels.Cpu.SgemmActivation.LeakyRelu(_activation.Alpha),
            ActivationKind.Clip => Kernels.Cpu.SgemmActivation.Clip(_activation.Alpha, _activation.Beta),
            ActivationKind.HardSigmoid => Kernels.Cpu.SgemmActivation.HardSigmoid(_activation.Alpha, _activation.Beta),
            ActivationKind.Sigmoid => Kernels.Cpu.SgemmActivation.Sigmoid,
            ActivationKind.Tanh => Kernels.Cpu.SgemmActivation.Tanh,
            _ => throw new NotSupportedException($"Fused activation {_activation.Kind} has no kernel."),
        };
        var w = ctx.ConstantInput(1);
        _packed = w is null ? null : ConvKernel.TryPack(w, _attrs);
        _weightSource = _packed is null ? null : w;
    }

    int Session.IPackedWeightOp.PackedInput => _weightSource is null ? -1 : 1;
    Tensor? Session.IPackedWeightOp.PackedSource => _weightSource;
    void Session.IPackedWeightOp.UsePackedFor(Tensor standIn) => _weightSource = standIn;

    public static void Register(OpRegistry r) => r.Register(Domain, OpType, 1, ctx => new FusedConv(ctx));

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        if (x.DataType != DataType.Float) throw new NotSupportedException($"{OpType} computes float32 only, got {DataTypes.Name(x.DataType)}.");
        var w = inputs.Req(1);
        var packed = _packed is not null && ReferenceEquals(w, _weightSource) ? _packed : null;
        return [ConvKernel.ForwardFloat(x, w, inputs.Opt(2), _attrs, packed, inputs.Opt(3), _kernelActivation)];
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
