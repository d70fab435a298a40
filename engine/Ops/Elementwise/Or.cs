namespace NativeInfer.Ops.Elementwise;

/// <summary>Or: C = A logical or B on bool tensors with multidirectional broadcasting.</summary>
internal sealed class Or(OpBuildContext ctx) : LogicalOp<Or.Kernel>(ctx)
{
    public readonly struct Kernel : IBinaryKernel<bool, bool, bool>
    {
        public bool Invoke(bool a, bool b) => a || b;
    }
}
