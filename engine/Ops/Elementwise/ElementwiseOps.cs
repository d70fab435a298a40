namespace NativeInfer.Ops.Elementwise;

/// <summary>Registers the ops of this family.</summary>
internal static class ElementwiseOps
{
    public static void Register(OpRegistry r)
    {
    }
}
