namespace NativeInfer.Ops.Reduce;

/// <summary>Registers the ops of this family: reductions, arg-reductions, softmax, cumulative ops, normalizations, losses.</summary>
internal static class ReduceOps
{
    public static void Register(OpRegistry r)
    {
        // Factories read ctx.Opset themselves (axes attribute vs input, per-version defaults), so every listed
        // since-version shares one factory; the list documents where the ONNX definition changed.
        Add(r, "ReduceSum", [1, 11, 13], c => new ReduceSum(c));
        Add(r, "ReduceMean", [1, 11, 13, 18], c => new ReduceMean(c));
        Add(r, "ReduceMax", [1, 11, 12, 13, 18, 20], c => new ReduceMax(c));
        Add(r, "ReduceMin", [1, 11, 12, 13, 18, 20], c => new ReduceMin(c));
        Add(r, "ReduceProd", [1, 11, 13, 18], c => new ReduceProd(c));
        Add(r, "ReduceL1", [1, 11, 13, 18], c => new ReduceL1(c));
        Add(r, "ReduceL2", [1, 11, 13, 18], c => new ReduceL2(c));
        Add(r, "ReduceLogSum", [1, 11, 13, 18], c => new ReduceLogSum(c));
        Add(r, "ReduceLogSumExp", [1, 11, 13, 18], c => new ReduceLogSumExp(c));
        Add(r, "ReduceSumSquare", [1, 11, 13, 18], c => new ReduceSumSquare(c));
        Add(r, "ArgMax", [1, 11, 12, 13], c => new ArgMax(c));
        Add(r, "ArgMin", [1, 11, 12, 13], c => new ArgMin(c));
        Add(r, "Softmax", [1, 11, 13], c => new Softmax(c));
        Add(r, "LogSoftmax", [1, 11, 13], c => new LogSoftmax(c));
        Add(r, "Hardmax", [1, 11, 13], c => new Hardmax(c));
        Add(r, "CumSum", [11, 14], c => new CumSum(c));
        Add(r, "CumProd", [26], c => new CumProd(c));
        Add(r, "LayerNormalization", [17], c => new LayerNormalization(c));
        Add(r, "RMSNormalization", [23], c => new RMSNormalization(c));
        Add(r, "BatchNormalization", [1, 6, 7, 9, 14, 15], c => new BatchNormalization(c));
        Add(r, "InstanceNormalization", [1, 6, 22], c => new InstanceNormalization(c));
        Add(r, "GroupNormalization", [18, 21], c => new GroupNormalization(c));
        Add(r, "LpNormalization", [1, 22], c => new LpNormalization(c));
        Add(r, "MeanVarianceNormalization", [9, 13], c => new MeanVarianceNormalization(c));
        Add(r, "LRN", [1, 13], c => new LRN(c));
        Add(r, "NegativeLogLikelihoodLoss", [12, 13, 22], c => new NegativeLogLikelihoodLoss(c));
        Add(r, "SoftmaxCrossEntropyLoss", [12, 13], c => new SoftmaxCrossEntropyLoss(c));
    }

    private static void Add(OpRegistry r, string opType, int[] sinceVersions, OpFactory factory)
    {
        foreach (int v in sinceVersions) r.Register(opType, v, factory);
    }
}
