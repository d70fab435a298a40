namespace NativeInfer.Ops.TensorManip;

/// <summary>Registers the ops of this family.</summary>
internal static class TensorManipOps
{
    public static void Register(OpRegistry r)
    {
    }
}
