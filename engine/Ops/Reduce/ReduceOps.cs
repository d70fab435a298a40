namespace NativeInfer.Ops.Reduce;

/// <summary>Registers the ops of this family.</summary>
internal static class ReduceOps
{
    public static void Register(OpRegistry r)
    {
    }
}
