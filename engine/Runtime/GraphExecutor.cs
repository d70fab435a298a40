using NativeInfer.Errors;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Runtime;

/// <summary>
/// The interpreter: runs a graph's nodes in the order of its <see cref="ExecutionPlan"/> (built once per graph), with
/// values in precomputed slots, each kept until its last reader has run. Node failures are wrapped in
/// <see cref="NodeExecutionException"/>; the cancellation token is checked before every node.
/// </summary>
internal static class GraphExecutor
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IR.Graph, PlanVariants> s_plans = new();

    /// <summary>
    /// The plan a main graph runs with under <paramref name="options"/> (default options when null): its nodes in the
    /// order <see cref="ExecutionOrdering"/> chooses when <see cref="SessionOptions.MemoryAwareOrder"/> is on, else in
    /// topological order. Built on first use and cached with the graph.
    /// </summary>
    public static ExecutionPlan PlanFor(IR.Graph graph, SessionOptions? options = null) =>
        s_plans.GetValue(graph, static g => new PlanVariants(g))
            .Get(options?.MemoryAwareOrder ?? true, options?.InPlaceExecution ?? true);

    /// <summary>The topological-order plan (subgraphs always run in it).</summary>
    private static ExecutionPlan TopologicalPlanFor(IR.Graph graph) => s_plans.GetValue(graph, static g => new PlanVariants(g)).Get(false, false);

    /// <summary>Every plan made for a graph so far (for reports).</summary>
    public static IEnumerable<ExecutionPlan> PlansOf(IR.Graph graph) =>
        s_plans.TryGetValue(graph, out var variants) ? variants.All() : [];

    /// <summary>A graph's plans: topological order, and the chosen order per in-place setting (the estimate depends on it).</summary>
    private sealed class PlanVariants(IR.Graph graph)
    {
        private ExecutionPlan? _topological;
        private readonly ExecutionPlan?[] _ordered = new ExecutionPlan?[2];

        public ExecutionPlan Get(bool ordered, bool inPlace)
        {
            if (!ordered) return Volatile.Read(ref _topological) ?? Build(ordered, inPlace);
            return Volatile.Read(ref _ordered[inPlace ? 1 : 0]) ?? Build(ordered, inPlace);
        }

        public IEnumerable<ExecutionPlan> All()
        {
            lock (this)
            {
                var all = new List<ExecutionPlan>();
                foreach (var p in (ExecutionPlan?[])[_topological, .. _ordered])
                    if (p is not null && !all.Contains(p)) all.Add(p);
                return all;
            }
        }

        private ExecutionPlan Build(bool ordered, bool inPlace)
        {
            lock (this)
            {
                if (_topological is null) Volatile.Write(ref _topological, new ExecutionPlan(graph));
                if (!ordered) return _topological!;
                ref var slot = ref _ordered[inPlace ? 1 : 0];
                if (slot is not null) return slot;
                var choice = ExecutionOrdering.Choose(graph, _topological!.Order, inPlace);
                var plan = choice.Order.SequenceEqual(_topological.Order) ? _topological : new ExecutionPlan(graph, choice.Order);
                plan.OrderChoice ??= choice;
                Volatile.Write(ref slot, plan);
                return plan;
            }
        }
    }

    /// <summary>Runs a subgraph with inputs bound by position; it reads outer names from <paramref name="parent"/>.</summary>
    public static Value?[] Run(IR.Graph graph, IReadOnlyList<Value?> inputs, ExecutionScope parent, SessionOptions options)
    {
        var plan = TopologicalPlanFor(graph);
        var scope = plan.RentScope();
        scope.Begin(parent, options, parent.Pool, default);
        try
        {
            foreach (var (slot, t) in plan.Initializers) scope.SetSlot(slot, t);
            for (int i = 0; i < plan.GraphInputSlots.Length && i < inputs.Count; i++) scope.SetSlot(plan.GraphInputSlots[i], inputs[i]);
            return Execute(scope);
        }
        finally
        {
            scope.End();
            plan.ReturnScope(scope);
        }
    }

    /// <summary>
    /// Runs the main graph with inputs bound by name. With a <paramref name="pool"/>, intermediate buffers are taken
    /// from and returned to it. With <paramref name="bound"/> (one entry per graph output), the outputs given a tensor
    /// are copied into it and the others dropped (see <see cref="OutputBinding"/>).
    /// </summary>
    public static Value?[] Run(IR.Graph graph, IReadOnlyDictionary<string, Value> feeds, SessionOptions options,
        CancellationToken cancellation = default, TensorBufferPool? pool = null, Tensor?[]? bound = null,
        IReadOnlyList<string>? outputNames = null)
    {
        var plan = PlanFor(graph, options);
        var scope = plan.RentScope();
        scope.Begin(null, options, pool, cancellation);
        scope.BindOutputs(bound);
        MemoryPlan? memoryPlan = null;
        MemoryArena? arena = null;
        try
        {
            foreach (var (slot, t) in plan.Initializers) scope.SetSlot(slot, t);
            foreach (var (name, v) in feeds)
                if (plan.SlotOf.TryGetValue(name, out int slot)) scope.SetSlot(slot, v);
            if (pool is null || !options.MemoryPlanning) return Bind(Execute(scope), bound, outputNames);

            // First run with these input shapes: record lifetimes and plan. Later runs: place outputs in the arena.
            var entry = plan.MemoryPlans.Find(scope, plan.GraphInputSlots);
            if (entry is null && plan.MemoryPlans.HasRoom)
            {
                var recorder = new MemoryRecorder(plan.Order.Length);
                scope.AttachMemory(null, recorder);
                var outputs = Execute(scope);
                bool valid = recorder.Valid && scope.Tracked;
                var recorded = valid ? recorder.Build() : null;
                plan.MemoryPlans.Add(SignatureMemoryPlans.Signature(scope, plan.GraphInputSlots), recorded);
                if (recorded is not null && recorded.PlannedBytes <= options.MaxPooledBufferBytes) pool.Clear(); // the arena takes over these buffers
                return Bind(outputs, bound, outputNames);
            }
            memoryPlan = entry?.Plan;
            if (memoryPlan is null || memoryPlan.PlannedBytes > options.MaxPooledBufferBytes) return Bind(Execute(scope), bound, outputNames);
            arena = memoryPlan.RentArena();
            scope.AttachMemory(arena, null);
            var result = Execute(scope);
            if (bound is not null) return Bind(result, bound, outputNames); // copied out; the arena keeps its buffers
            for (int i = 0; i < result.Length; i++) result[i] = arena.Detach(result[i]);
            return result;
        }
        finally
        {
            scope.End();
            plan.ReturnScope(scope);
            if (arena is not null) memoryPlan!.ReturnArena(arena);
        }
    }

    private static Value?[] Bind(Value?[] outputs, Tensor?[]? bound, IReadOnlyList<string>? names)
    {
        if (bound is null) return outputs;
        OutputBinding.Deliver(outputs, bound, names ?? []);
        return outputs;
    }

    private static Value?[] Execute(ExecutionScope scope)
    {
        var plan = scope.Plan;
        var order = plan.Order;
        var observer = scope.Observer;
        var cancellation = scope.Cancellation;
        bool inPlace = scope.Options.InPlaceExecution;
        var previousAllocator = scope.EnterAllocation();
        try
        {
            for (int step = 0; step < order.Length; step++)
            {
                cancellation.ThrowIfCancellationRequested();
                var node = order[step];
                scope.BeginStep(step);
                var op = node.Op ?? throw new InvalidOperationException($"Node {node} has no bound op.");
                var inputSlots = plan.NodeInputs[step];
                var inputs = scope.NodeInputArray(step);
                for (int i = 0; i < inputs.Length; i++)
                    inputs[i] = inputSlots[i] == ExecutionPlan.Omitted ? null : scope.Read(inputSlots[i]);

                observer?.NodeStarted(node);
                Value?[] outputs;
                var inPlaceInputs = plan.InPlaceInputs[step];
                try
                {
                    scope.OfferBound(step);
                    if (inPlace && inPlaceInputs.Length > 0) scope.OfferInPlace(inputs, inPlaceInputs);
                    outputs = op.Execute(scope.Context(step), inputs);
                    if (inPlaceInputs.Length > 0) scope.EndInPlace(outputs, node);
                }
                catch (Exception e) when (e is not NodeExecutionException and not OutOfMemoryException and not OperationCanceledException)
                {
                    throw new NodeExecutionException(
                        $"Node '{node.DisplayName}' ({(node.Domain.Length > 0 ? node.Domain + ":" : "")}{node.OpType}, opset {node.OpsetVersion}) failed: {e.Message}", e);
                }

                var outputSlots = plan.NodeOutputs[step];
                for (int i = 0; i < outputSlots.Length; i++)
                    if (outputSlots[i] != ExecutionPlan.Omitted)
                        scope.SetOutput(outputSlots[i], i < outputs.Length ? outputs[i] : null);
                Array.Clear(inputs); // reused by this node's next execution: hold no value longer than needed
                observer?.NodeFinished(node, outputs);
                foreach (int dead in plan.ReleaseAfter[step]) scope.Release(dead);
            }

            var result = new Value?[plan.OutputSlots.Length];
            for (int i = 0; i < result.Length; i++) result[i] = scope.Read(plan.OutputSlots[i]);
            return result;
        }
        finally
        {
            ExecutionScope.ExitAllocation(previousAllocator);
        }
    }
}
