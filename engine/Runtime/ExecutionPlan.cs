using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Runtime;

/// <summary>
/// How the executor runs one (sub)graph, computed once per graph: the node order, a slot index for every value the
/// graph defines (inputs, initializers, node outputs), each node's input and output slots, and the slots to release
/// after each step (values past their last reader). Names the graph reads but does not define are outer-scope names,
/// looked up by name in the enclosing run.
/// </summary>
internal sealed class ExecutionPlan
{
    /// <summary>Marks an omitted optional input or output.</summary>
    public const int Omitted = -1;

    /// <summary>An input slot ≤ <see cref="OuterBase"/> encodes outer name index <c>OuterBase − slot</c>.</summary>
    public const int OuterBase = -2;

    public ExecutionPlan(Graph graph, IReadOnlyList<Node>? order = null)
    {
        Graph = graph;
        Order = (order ?? graph.TopologicalOrder(outerScope: graph.FreeVariables())).ToArray();

        var slotOf = new Dictionary<string, int>();
        int Define(string name)
        {
            if (!slotOf.TryGetValue(name, out int slot)) slotOf[name] = slot = slotOf.Count;
            return slot;
        }
        foreach (var (name, _) in graph.Initializers) Define(name);
        foreach (var input in graph.Inputs) Define(input.Name);
        foreach (var node in Order)
            foreach (var o in node.Outputs)
                if (o.Length > 0) Define(o);

        var outer = new Dictionary<string, int>();
        int Read(string name)
        {
            if (name.Length == 0) return Omitted;
            if (slotOf.TryGetValue(name, out int slot)) return slot;
            if (!outer.TryGetValue(name, out int k)) outer[name] = k = outer.Count;
            return OuterBase - k;
        }

        NodeInputs = new int[Order.Length][];
        NodeOutputs = new int[Order.Length][];
        for (int step = 0; step < Order.Length; step++)
        {
            var node = Order[step];
            NodeInputs[step] = node.Inputs.Select(Read).ToArray();
            NodeOutputs[step] = node.Outputs.Select(o => o.Length == 0 ? Omitted : slotOf[o]).ToArray();
        }
        GraphInputSlots = graph.Inputs.Select(i => slotOf[i.Name]).ToArray();
        Initializers = graph.Initializers.Select(kv => (slotOf[kv.Key], kv.Value)).ToArray();
        OutputSlots = graph.Outputs.Select(o => Read(o.Name)).ToArray();
        GraphOutputOfStep = new int[Order.Length];
        for (int step = 0; step < Order.Length; step++)
        {
            GraphOutputOfStep[step] = -1;
            var outs = NodeOutputs[step];
            if (outs.Length > 0 && outs[0] != Omitted) GraphOutputOfStep[step] = Array.IndexOf(OutputSlots, outs[0]);
        }
        SlotOf = slotOf;
        SlotCount = slotOf.Count;
        SlotNames = new string[slotOf.Count];
        foreach (var (name, slot) in slotOf) SlotNames[slot] = name;
        OuterNames = new string[outer.Count];
        foreach (var (name, k) in outer) OuterNames[k] = name;

        // A produced value is released after its last reader (a node reading it directly, or through one of its
        // subgraphs); graph outputs are kept; values nobody reads go right after their producer.
        var keep = new HashSet<string>(graph.Outputs.Select(o => o.Name));
        var lastUse = new Dictionary<string, int>();
        for (int step = 0; step < Order.Length; step++)
            foreach (var name in Graph.NodeReads(Order[step])) lastUse[name] = step;
        var release = new List<int>[Order.Length];
        for (int i = 0; i < release.Length; i++) release[i] = new();
        var produced = new HashSet<string>(Order.SelectMany(n => n.Outputs).Where(o => o.Length > 0));
        foreach (var (name, step) in lastUse)
            if (!keep.Contains(name) && produced.Contains(name)) release[step].Add(slotOf[name]);
        for (int step = 0; step < Order.Length; step++)
            foreach (var o in Order[step].Outputs)
                if (o.Length > 0 && !lastUse.ContainsKey(o) && !keep.Contains(o)) release[step].Add(slotOf[o]);
        ReleaseAfter = release.Select(r => r.Distinct().ToArray()).ToArray();

        // In-place candidates: inputs the op may overwrite (Op.InPlaceInputs) that a node of this graph produced, whose
        // last reader is this node (released after it: not a graph output), and that the node reads only once. Whether
        // the buffer is shared with another live value is checked at run time (ExecutionScope.OfferInPlace).
        InPlaceInputs = new int[Order.Length][];
        for (int step = 0; step < Order.Length; step++)
        {
            var declared = Order[step].Op?.InPlaceInputs ?? [];
            var inputs = NodeInputs[step];
            var eligible = new List<int>();
            foreach (int k in declared)
            {
                if (k < 0 || k >= inputs.Length || inputs[k] < 0 || NodeOutputs[step].Length == 0 || NodeOutputs[step][0] == Omitted) continue;
                int slot = inputs[k];
                if (!produced.Contains(SlotNames[slot]) || Array.IndexOf(ReleaseAfter[step], slot) < 0) continue;
                if (inputs.Count(s => s == slot) != 1) continue;
                eligible.Add(k);
            }
            InPlaceInputs[step] = eligible.ToArray();
        }
    }

    /// <summary>
    /// Per step: the input positions whose buffer output 0 may take over (see <see cref="Ops.Op.InPlaceInputs"/>), when
    /// at run time no other live value shares it.
    /// </summary>
    public int[][] InPlaceInputs { get; }

    public Graph Graph { get; }
    public Node[] Order { get; }

    /// <summary>How the order was chosen (null: topological, never compared).</summary>
    public ExecutionOrdering.Choice? OrderChoice { get; set; }
    public int SlotCount { get; }
    public Dictionary<string, int> SlotOf { get; }
    public string[] SlotNames { get; }
    public string[] OuterNames { get; }
    public int[][] NodeInputs { get; }
    public int[][] NodeOutputs { get; }
    public int[][] ReleaseAfter { get; }
    public int[] GraphInputSlots { get; }
    public (int Slot, Tensor Value)[] Initializers { get; }

    /// <summary>Per graph output: its slot, or an outer name (≤ <see cref="OuterBase"/>).</summary>
    public int[] OutputSlots { get; }

    /// <summary>Per step: the index of the graph output its node's first output is (the first such), or −1.</summary>
    public int[] GraphOutputOfStep { get; }

    /// <summary>Memory plans of this graph's runs as a main graph, one per input signature.</summary>
    public SignatureMemoryPlans MemoryPlans { get; } = new();

    private readonly ExecutionScope?[] _spares = new ExecutionScope?[4];

    /// <summary>A scope to run this plan in: a cached one when available (scopes are reused across runs).</summary>
    public ExecutionScope RentScope()
    {
        for (int i = 0; i < _spares.Length; i++)
            if (Interlocked.Exchange(ref _spares[i], null) is { } scope) return scope;
        return ExecutionScope.ForPlan(this);
    }

    /// <summary>Keeps a finished (cleared) scope for the next run.</summary>
    public void ReturnScope(ExecutionScope scope)
    {
        for (int i = 0; i < _spares.Length; i++)
            if (Interlocked.CompareExchange(ref _spares[i], scope, null) is null) return;
    }
}
