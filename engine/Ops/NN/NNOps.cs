namespace NativeInfer.Ops.NN;

/// <summary>Registers the ops of this family.</summary>
internal static class NNOps
{
    public static void Register(OpRegistry r)
    {
    }
}
