namespace NativeInfer.Ops.ControlFlow;

/// <summary>Registers the ops of this family: If, Loop, Scan, the sequence ops and the optional ops.</summary>
internal static class ControlFlowOps
{
    public static void Register(OpRegistry r)
    {
        r.Register("If", 1, ctx => new IfOp(ctx));
        r.Register("Loop", 1, ctx => new LoopOp(ctx));
        r.Register("Scan", 8, ctx => new ScanOp(ctx));
        r.Register("Scan", 9, ctx => new ScanOp(ctx));

        r.Register("SequenceEmpty", 11, ctx => new SequenceEmptyOp(ctx));
        r.Register("SequenceConstruct", 11, _ => new SequenceConstructOp());
        r.Register("SequenceAt", 11, _ => new SequenceAtOp());
        r.Register("SequenceLength", 11, _ => new SequenceLengthOp());
        r.Register("SequenceInsert", 11, _ => new SequenceInsertOp());
        r.Register("SequenceErase", 11, _ => new SequenceEraseOp());
        r.Register("ConcatFromSequence", 11, ctx => new ConcatFromSequenceOp(ctx));
        r.Register("SplitToSequence", 11, ctx => new SplitToSequenceOp(ctx));
        r.Register("SequenceMap", 17, ctx => new SequenceMapOp(ctx));

        r.Register("Optional", 15, ctx => new OptionalOp(ctx));
        r.Register("OptionalHasElement", 15, _ => new OptionalHasElementOp());
        r.Register("OptionalGetElement", 15, _ => new OptionalGetElementOp());
    }
}
