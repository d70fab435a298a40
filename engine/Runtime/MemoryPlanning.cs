namespace NativeInfer.Runtime;

/// <summary>Read access to the memory plans the executor made for a graph (see <see cref="MemoryPlan"/>).</summary>
public static class MemoryPlanning
{
    /// <summary>One summary per input signature the graph ran with as a main graph (signatures that could not be planned are skipped).</summary>
    public static IReadOnlyList<MemoryPlanSummary> Of(IR.Graph graph, Session.SessionOptions? options = null)
    {
        var plan = GraphExecutor.PlanFor(graph, options);
        var fed = graph.Inputs.Select(i => !graph.Initializers.ContainsKey(i.Name)).ToArray();
        return plan.MemoryPlans.Entries
            .Where(e => e.Plan is not null)
            .Select(e => e.Plan!.Summary(SignatureMemoryPlans.Describe(e.Signature, fed)) with
            {
                Order = plan.OrderChoice?.Candidate ?? "topological",
                InPlaceOutputs = e.Plan!.InPlaceOutputs,
                TopologicalEstimateBytes = plan.OrderChoice?.TopologicalEstimate ?? 0,
                ChosenEstimateBytes = plan.OrderChoice?.ChosenEstimate ?? 0,
            })
            .ToArray();
    }
}
