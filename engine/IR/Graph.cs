using NativeInfer.Tensors;

namespace NativeInfer.IR;

/// <summary>
/// A dataflow graph: inputs, constant initializers, nodes, outputs. Subgraphs (If/Loop/Scan bodies) are Graphs too and
/// may read values of enclosing graphs by name.
/// </summary>
public sealed class Graph
{
    public string Name { get; set; } = "";
    public List<ValueInfo> Inputs { get; } = new();
    public List<ValueInfo> Outputs { get; } = new();
    public Dictionary<string, Tensor> Initializers { get; } = new();
    public Dictionary<string, ValueInfo> ValueInfos { get; } = new();
    public List<Node> Nodes { get; } = new();

    /// <summary>Graph inputs that are not also initializers: what a caller feeds.</summary>
    public IEnumerable<ValueInfo> FeedInputs => Inputs.Where(i => !Initializers.ContainsKey(i.Name));

    /// <summary>
    /// Orders the nodes so every node comes after the producers of its inputs. Names not produced in this graph must be
    /// graph inputs, initializers or (for subgraphs) in <paramref name="outerScope"/>. Throws
    /// <see cref="GraphValidationException"/> on a dangling edge or a cycle.
    /// </summary>
    public List<Node> TopologicalOrder(ISet<string>? outerScope = null)
    {
        var producer = new Dictionary<string, int>();
        for (int i = 0; i < Nodes.Count; i++)
            foreach (var o in Nodes[i].Outputs)
                if (o.Length > 0 && !producer.TryAdd(o, i))
                    throw new GraphValidationException($"Value '{o}' is produced twice (second producer: node {Nodes[i]}).");

        var available = new HashSet<string>(Inputs.Select(x => x.Name));
        available.UnionWith(Initializers.Keys);
        var indegree = new int[Nodes.Count];
        var consumers = new List<int>[Nodes.Count];
        for (int i = 0; i < Nodes.Count; i++) consumers[i] = new();
        for (int i = 0; i < Nodes.Count; i++)
        {
            foreach (var name in NodeReads(Nodes[i]))
            {
                if (producer.TryGetValue(name, out int p))
                {
                    indegree[i]++;
                    consumers[p].Add(i);
                }
                else if (!available.Contains(name) && (outerScope is null || !outerScope.Contains(name)))
                    throw new GraphValidationException(
                        $"Node {Nodes[i]} reads '{name}', which no node, graph input or initializer provides.");
            }
        }

        var order = new List<Node>(Nodes.Count);
        var ready = new Queue<int>();
        for (int i = 0; i < Nodes.Count; i++) if (indegree[i] == 0) ready.Enqueue(i);
        while (ready.Count > 0)
        {
            int n = ready.Dequeue();
            order.Add(Nodes[n]);
            foreach (int c in consumers[n])
                if (--indegree[c] == 0) ready.Enqueue(c);
        }
        if (order.Count != Nodes.Count)
        {
            var stuck = Nodes.Where((_, i) => indegree[i] > 0).Take(5).Select(n => n.ToString());
            throw new GraphValidationException($"The graph has a cycle through: {string.Join(", ", stuck)}.");
        }
        foreach (var o in Outputs)
            if (!producer.ContainsKey(o.Name) && !available.Contains(o.Name) && (outerScope is null || !outerScope.Contains(o.Name)))
                throw new GraphValidationException($"Graph output '{o.Name}' is not produced by any node.");
        return order;
    }

    /// <summary>Every value name a node reads, including outer-scope names its subgraphs read (implicit inputs).</summary>
    public static IEnumerable<string> NodeReads(Node node)
    {
        foreach (var i in node.Inputs) if (i.Length > 0) yield return i;
        foreach (var attr in node.Attributes.All.Values)
        {
            var graphs = attr.Value switch { Graph g => new[] { g }, Graph[] gs => gs, _ => null };
            if (graphs is null) continue;
            foreach (var g in graphs)
                foreach (var name in g.FreeVariables()) yield return name;
        }
    }

    /// <summary>Names this graph (and its nested subgraphs) read but does not define.</summary>
    public HashSet<string> FreeVariables()
    {
        var defined = new HashSet<string>(Inputs.Select(i => i.Name));
        defined.UnionWith(Initializers.Keys);
        foreach (var n in Nodes) foreach (var o in n.Outputs) if (o.Length > 0) defined.Add(o);
        var free = new HashSet<string>();
        foreach (var n in Nodes)
            foreach (var r in NodeReads(n))
                if (!defined.Contains(r)) free.Add(r);
        foreach (var o in Outputs) if (!defined.Contains(o.Name)) free.Add(o.Name);
        return free;
    }
}

/// <summary>A model: a main graph plus the opsets it was written against.</summary>
public sealed class Model
{
    public required Graph Graph { get; init; }
    public long IrVersion { get; init; }
    public Dictionary<string, int> OpsetImports { get; init; } = new();
    public string ProducerName { get; init; } = "";
    public Dictionary<string, string> Metadata { get; init; } = new();
}

/// <summary>Thrown when a graph is structurally invalid (dangling edge, cycle, duplicate producer).</summary>
public sealed class GraphValidationException(string message) : Exception(message);
