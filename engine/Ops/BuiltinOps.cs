namespace NativeInfer.Ops;

/// <summary>Every built-in op family; each family's Register lists its (domain, op type, since-version) entries.</summary>
internal static class BuiltinOps
{
    public static OpRegistry Create()
    {
        var r = new OpRegistry();
        Elementwise.ElementwiseOps.Register(r);
        TensorManip.TensorManipOps.Register(r);
        Reduce.ReduceOps.Register(r);
        NN.NNOps.Register(r);
        Transformer.TransformerOps.Register(r);
        Misc.MiscOps.Register(r);
        ControlFlow.ControlFlowOps.Register(r);
        Image.ImageOps.Register(r);
        Fused.FusedConv.Register(r);
        Fused.FusedElementwise.Register(r);
        Fused.TransformerFusedOps.Register(r);
        Fused.FusedGemm.Register(r);
        return r;
    }
}
