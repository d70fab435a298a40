namespace NativeInfer.Ops.Elementwise;

/// <summary>And: C = A logical and B on bool tensors with multidirectional broadcasting.</summary>
internal sealed class And(OpBuildContext ctx) : LogicalOp<And.Kernel>(ctx)
{
    public readonly struct Kernel : IBinaryKernel<bool, bool, bool>
    {
        public bool Invoke(bool a, bool b) => a && b;
    }
}
