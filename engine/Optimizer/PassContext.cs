using NativeInfer.IR;
using NativeInfer.Ops;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer;

/// <summary>
/// What a pass sees and edits: the graph, which values are constants, who produces and who reads each value, and a
/// log of what fired where. The producer/consumer index is rebuilt lazily after each edit.
/// </summary>
public sealed class PassContext
{
    private Dictionary<string, Node>? _producers;
    private Dictionary<string, List<Node>>? _consumers;
    private readonly HashSet<string> _overridable;
    private readonly HashSet<string> _graphOutputs;
    private int _nameCounter;

    internal PassContext(Graph graph, OpRegistry registry, SessionOptions options, bool initializersOverridable, string passName)
    {
        Graph = graph;
        Registry = registry;
        Options = options;
        PassName = passName;
        // From IR 4 on, an initializer that is also a graph input is a default the caller may override: not a constant.
        _overridable = initializersOverridable
            ? new HashSet<string>(graph.Inputs.Select(i => i.Name).Where(graph.Initializers.ContainsKey))
            : new HashSet<string>();
        _graphOutputs = new HashSet<string>(graph.Outputs.Select(o => o.Name));
    }

    public Graph Graph { get; }
    public OpRegistry Registry { get; }
    public SessionOptions Options { get; }
    internal string PassName { get; set; }

    /// <summary>Nodes each firing touched, in order: (pass name, description).</summary>
    public List<(string Pass, string Detail)> Log { get; } = new();

    public void Record(string detail) => Log.Add((PassName, detail));

    /// <summary>True when <paramref name="name"/> is an initializer the caller cannot override.</summary>
    public bool IsConstant(string name) =>
        name.Length > 0 && Graph.Initializers.ContainsKey(name) && !_overridable.Contains(name);

    public Tensor? Constant(string name) => IsConstant(name) ? Graph.Initializers[name] : null;

    public bool IsGraphOutput(string name) => _graphOutputs.Contains(name);

    public Node? Producer(string name)
    {
        EnsureIndex();
        return _producers!.TryGetValue(name, out var n) ? n : null;
    }

    public IReadOnlyList<Node> Consumers(string name)
    {
        EnsureIndex();
        return _consumers!.TryGetValue(name, out var list) ? list : Array.Empty<Node>();
    }

    /// <summary>True when the value is read by exactly one node (and not a graph output), so its producer may be merged into that node.</summary>
    public bool HasSingleConsumer(string name) => !IsGraphOutput(name) && Consumers(name).Count == 1;

    /// <summary>
    /// True when every reader of <paramref name="name"/> reads it as a direct input (no subgraph captures it), so
    /// <see cref="RedirectConsumers"/> reaches them all.
    /// </summary>
    public bool OnlyDirectReaders(string name) => Consumers(name).All(n => n.Inputs.Contains(name));

    /// <summary>A fresh value name derived from <paramref name="stem"/>.</summary>
    public string NewName(string stem)
    {
        string name;
        do name = $"{stem}__ni{_nameCounter++}";
        while (Graph.Initializers.ContainsKey(name) || Graph.Inputs.Any(i => i.Name == name) || Producer(name) is not null);
        return name;
    }

    /// <summary>Adds a constant under a fresh name and returns the name.</summary>
    public string AddConstant(string stem, Tensor value)
    {
        string name = NewName(stem);
        Graph.Initializers[name] = value;
        return name;
    }

    public void RemoveNode(Node node)
    {
        Graph.Nodes.Remove(node);
        Invalidate();
    }

    /// <summary>
    /// Puts <paramref name="node"/> where <paramref name="at"/> stands, building its op first when it has none (so shape
    /// inference sees it in later passes).
    /// </summary>
    public void ReplaceNode(Node at, Node node)
    {
        int i = Graph.Nodes.IndexOf(at);
        if (i < 0) throw new InvalidOperationException($"Node {at} is not in the graph.");
        if (node.Op is null) Bind(node);
        Graph.Nodes[i] = node;
        Invalidate();
    }

    /// <summary>Nodes whose op was built during optimization, for shape inference only: they are built again at the end.</summary>
    internal HashSet<Node> BoundDuringPasses { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Builds a provisional op for <paramref name="node"/> so later passes can infer its shapes. It sees only small
    /// constants (shape-like values), so nothing large is pre-packed for a node a later pass may still replace; the
    /// optimizer builds the final op once, at the end.
    /// </summary>
    public void Bind(Node node)
    {
        node.Op = Build(node, name => Graph.Initializers.TryGetValue(name, out var t) && t.Length <= 4096 ? t : null);
        BoundDuringPasses.Add(node);
    }

    /// <summary>Builds the op of <paramref name="node"/> from the registry with the given constants.</summary>
    internal Op Build(Node node, Func<string, Tensor?> constants)
    {
        var reg = Registry.Resolve(node.Domain, node.OpType, node.OpsetVersion)
            ?? throw new InvalidOperationException($"The optimizer produced node {node}, which no registered op implements.");
        return reg.Factory(new OpBuildContext { Node = node, ConstantLookup = constants });
    }

    /// <summary>Points every reader of <paramref name="from"/> (graph outputs excluded) at <paramref name="to"/>.</summary>
    public void RedirectConsumers(string from, string to)
    {
        foreach (var n in Graph.Nodes)
            for (int i = 0; i < n.Inputs.Length; i++)
                if (n.Inputs[i] == from) n.Inputs[i] = to;
        Invalidate();
    }

    /// <summary>Drops initializers nothing reads any more.</summary>
    public int RemoveUnusedInitializers()
    {
        var used = new HashSet<string>(Graph.Nodes.SelectMany(Graph.NodeReads));
        used.UnionWith(_graphOutputs);
        used.UnionWith(Graph.Inputs.Select(i => i.Name));
        int removed = 0;
        foreach (var name in Graph.Initializers.Keys.ToList())
            if (!used.Contains(name)) { Graph.Initializers.Remove(name); removed++; }
        return removed;
    }

    /// <summary>Shape inference over the current graph, or null when it cannot run (passes then leave shapes unknown).</summary>
    public Dictionary<string, TypeInfo>? TryInferTypes()
    {
        try
        {
            return ShapeInference.Run(Graph);
        }
        catch (Exception e) when (e is GraphValidationException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    public void Invalidate()
    {
        _producers = null;
        _consumers = null;
    }

    private void EnsureIndex()
    {
        if (_producers is not null) return;
        _producers = new();
        _consumers = new();
        foreach (var n in Graph.Nodes)
        {
            foreach (var o in n.Outputs) if (o.Length > 0) _producers[o] = n;
            foreach (var i in Graph.NodeReads(n).Distinct())
            {
                if (!_consumers.TryGetValue(i, out var list)) _consumers[i] = list = new();
                list.Add(n);
            }
        }
    }
}
