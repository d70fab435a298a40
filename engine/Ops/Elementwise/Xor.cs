namespace NativeInfer.Ops.Elementwise;

/// <summary>Xor: C = A logical exclusive or B on bool tensors with multidirectional broadcasting.</summary>
internal sealed class Xor(OpBuildContext ctx) : LogicalOp<Xor.Kernel>(ctx)
{
    public readonly struct Kernel : IBinaryKernel<bool, bool, bool>
    {
        public bool Invoke(bool a, bool b) => a != b;
    }
}
