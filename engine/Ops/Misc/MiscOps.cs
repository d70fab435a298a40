namespace NativeInfer.Ops.Misc;

/// <summary>Registers the ops of this family.</summary>
internal static class MiscOps
{
    public static void Register(OpRegistry r)
    {
    }
}
