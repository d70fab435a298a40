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
        r.Register("Gather", 1, Gather.Create);
        r.Register("GatherElements", 11, GatherElements.Create);
        r.Register("GatherND", 11, GatherND.Create);
        r.Register("Scatter", 9, ScatterElements.Create);
        r.Register("ScatterElements", 11, ScatterElements.Create);
        r.Register("ScatterND", 11, ScatterND.Create);
        r.Register("Expand", 8, _ => new Expand());
        r.Register("Tile", 6, _ => new Tile());
        r.Register("Pad", 1, Pad.Create);
        r.Register("ConstantOfShape", 9, ConstantOfShape.Create);
        r.Register("Range", 11, _ => new Range());
        r.Register("Trilu", 14, Trilu.Create);
        r.Register("Compress", 9, Compress.Create);
        r.Register("OneHot", 9, OneHot.Create);
        r.Register("EyeLike", 9, EyeLike.Create);
        r.Register("NonZero", 9, _ => new NonZero());
        r.Register("DepthToSpace", 1, DepthToSpace.Create);
        r.Register("SpaceToDepth", 1, SpaceToDepth.Create);
        r.Register("ReverseSequence", 10, ReverseSequence.Create);
        r.Register("CenterCropPad", 18, CenterCropPad.Create);
        r.Register("TopK", 1, TopK.Create);
        r.Register("Unique", 11, Unique.Create);
        r.Register("Dropout", 1, Dropout.Create);
    }
}
