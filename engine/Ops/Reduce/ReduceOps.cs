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
    }

    private static void Add(OpRegistry r, string opType, int[] sinceVersions, OpFactory factory)
    {
        foreach (int v in sinceVersions) r.Register(opType, v, factory);
    }
}
