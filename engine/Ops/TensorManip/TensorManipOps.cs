namespace NativeInfer.Ops.TensorManip;

/// <summary>Registers the ops of this family.</summary>
internal static class TensorManipOps
{
    public static void Register(OpRegistry r)
    {
        r.Register("Constant", 1, Constant.Create);
        r.Register("Identity", 1, _ => new Identity());
        r.Register("Shape", 1, Shape.Create);
        r.Register("Size", 1, _ => new Size());
        r.Register("Reshape", 1, Reshape.Create);
        r.Register("Flatten", 1, Flatten.Create);
        r.Register("Squeeze", 1, Squeeze.Create);
        r.Register("Unsqueeze", 1, Unsqueeze.Create);
        r.Register("Transpose", 1, Transpose.Create);
        r.Register("Concat", 1, Concat.Create);
        r.Register("Split", 1, Split.Create);
        r.Register("Slice", 1, Slice.Create);
    }
}
