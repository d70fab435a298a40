namespace NativeInfer.Ops.ControlFlow;

/// <summary>Registers the ops of this family.</summary>
internal static class ControlFlowOps
{
    public static void Register(OpRegistry r)
    {
    }
}
