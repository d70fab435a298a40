using NativeInfer.Tensors;

namespace NativeInfer.Runtime;

/// <summary>
/// What the memory planner decided for one input signature of a session's graph: the arena it places node outputs
/// in (the planned peak of activation bytes), the lower bound no placement can beat (the largest sum of bytes live
/// at one step), and how many tensors it placed.
/// </summary>
public sealed record MemoryPlanSummary(
    string Signature,
    long PlannedPeakBytes,
    long LowerBoundBytes,
    int TensorsPlaced,
    int Steps,
    IReadOnlyList<(DataType ElementType, long Bytes)> Arenas)
{
    /// <summary>
    /// The execution order the run used: "topological", or the candidate <c>SessionOptions.MemoryAwareOrder</c> chose
    /// ("node list", "depth-first", "greedy").
    /// </summary>
    public string Order { get; init; } = "topological";

    /// <summary>
    /// The order choice's estimates (from inferred shapes, before any run): the topological order's arena and the chosen
    /// order's; 0 when no estimate was made (order switched off, or sizes unknown).
    /// </summary>
    public long TopologicalEstimateBytes { get; init; }

    /// <inheritdoc cref="TopologicalEstimateBytes"/>
    public long ChosenEstimateBytes { get; init; }

    /// <summary>Node outputs the recorded run computed in place over a dying input (no buffer of their own).</summary>
    public int InPlaceOutputs { get; init; }

    /// <summary>Planned peak ÷ lower bound (1 = optimal; 1 when nothing is placed).</summary>
    public double Ratio => LowerBoundBytes == 0 ? 1.0 : (double)PlannedPeakBytes / LowerBoundBytes;

    public override string ToString() =>
        $"{Signature}: planned peak {PlannedPeakBytes / 1048576.0:F2} MB, lower bound {LowerBoundBytes / 1048576.0:F2} MB, " +
        $"ratio {Ratio:F3}, {TensorsPlaced} tensors placed over {Steps} steps ({Order} order, {InPlaceOutputs} in place)";
}
