using NativeInfer.Errors;
using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Runtime;

/// <summary>
/// Chooses the order a main graph's nodes run in so that its planned activation peak is low. Node output sizes come
/// from shape inference (symbolic dims counted as 1); a simulation of the run (buffers created by node outputs, shared
/// by view ops — Reshape, Flatten, Squeeze, Unsqueeze, Identity — and by in-place outputs, freed after their last
/// reader, graph outputs left out as the recorder leaves them out) is placed by <see cref="MemoryPlanner"/> for each
/// candidate order: the graph's topological order, the order of its node list (when topological), a depth-first
/// ready-stack order, and a greedy order that runs, among the ready nodes, the one that allocates the fewest bytes net of
/// what it frees (ties: earliest topological). The candidate with the smallest estimated arena wins; the topological
/// order is kept unless another is strictly smaller, so the choice never raises the estimate. Graphs whose sizes cannot
/// be inferred keep the topological order.
/// </summary>
internal static class ExecutionOrdering
{
    /// <summary>What <see cref="Choose"/> decided: the order, the candidate's name and the estimated peaks.</summary>
    public sealed record Choice(IR.Node[] Order, string Candidate, long TopologicalEstimate, long ChosenEstimate);

    private static readonly HashSet<string> s_viewOps = ["Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity"];

    /// <summary>The order to run <paramref name="graph"/> in, given its topological order.</summary>
    public static Choice Choose(Graph graph, IR.Node[] topological, bool inPlace)
    {
        var keep = new Choice(topological, "topological", 0, 0);
        if (topological.Length < 3) return keep;
        Simulation? sim;
        try
        {
            sim = Simulation.Create(graph, topological, inPlace);
        }
        catch (GraphValidationException)
        {
            return keep;
        }
        if (sim is null) return keep;

        long baseline = sim.Estimate(Identity(topological.Length));
        var best = (Order: Identity(topological.Length), Name: "topological", Peak: baseline);
        void Consider(int[]? order, string name)
        {
            if (order is null) return;
            long peak = sim.Estimate(order);
            if (peak < best.Peak) best = (order, name, peak);
        }
        Consider(sim.ListOrder(graph), "node list");
        Consider(sim.ReadyStack(), "depth-first");
        Consider(sim.Greedy(), "greedy");
        return new Choice(best.Order.Select(i => topological[i]).ToArray(), best.Name, baseline, best.Peak);
    }

    private static int[] Identity(int n) => Enumerable.Range(0, n).ToArray();

    /// <summary>The graph as the estimate sees it: per node its produced inputs and outputs, per value its size.</summary>
    private sealed class Simulation
    {
        private readonly int _nodes;
        private readonly IR.Node[] _topo;
        private readonly int[][] _reads;        // node → distinct produced values it reads
        private readonly int[][] _inputs;       // node → value per input position (−1: not produced here / omitted)
        private readonly int[][] _outputs;      // node → values it produces (−1: omitted)
        private readonly int[] _producer;       // value → node
        private readonly int[][] _consumers;    // value → distinct reading nodes
        private readonly long[] _bytes;
        private readonly DataType[] _type;
        private readonly bool[] _kept;          // graph outputs
        private readonly bool[] _view;          // node output 0 aliases input 0
        private readonly int[][] _inPlace;      // node → input positions output 0 may take over
        private readonly bool _inPlaceOn;

        private Simulation(int nodes, IR.Node[] topo, int values, bool inPlace)
        {
            _nodes = nodes;
            _topo = topo;
            _reads = new int[nodes][];
            _inputs = new int[nodes][];
            _outputs = new int[nodes][];
            _view = new bool[nodes];
            _inPlace = new int[nodes][];
            _producer = new int[values];
            _consumers = new int[values][];
            _bytes = new long[values];
            _type = new DataType[values];
            _kept = new bool[values];
            _inPlaceOn = inPlace;
        }

        public static Simulation? Create(Graph graph, IR.Node[] topo, bool inPlace)
        {
            var types = ShapeInference.Run(graph);
            var index = new Dictionary<string, int>();
            foreach (var node in topo)
                foreach (var o in node.Outputs)
                    if (o.Length > 0) index.TryAdd(o, index.Count);
            var sim = new Simulation(topo.Length, topo, index.Count, inPlace);
            var consumers = Enumerable.Range(0, index.Count).Select(_ => new List<int>()).ToArray();
            for (int n = 0; n < topo.Length; n++)
            {
                var node = topo[n];
                sim._outputs[n] = node.Outputs.Select(o => o.Length > 0 ? index[o] : -1).ToArray();
                foreach (int v in sim._outputs[n])
                {
                    if (v < 0) continue;
                    sim._producer[v] = n;
                    if (!types.TryGetValue(topo[n].Outputs[Array.IndexOf(sim._outputs[n], v)], out var t)
                        || t.Kind != ValueKind.Tensor || t.Shape is null)
                        return null; // a size the estimate cannot know
                    long count = 1;
                    foreach (var d in t.Shape) count *= d.IsKnown ? Math.Max(0, d.Value) : 1;
                    sim._type[v] = t.ElementType;
                    sim._bytes[v] = t.ElementType == DataType.String ? 0 : count * DataTypes.SizeOf(t.ElementType);
                }
                sim._inputs[n] = node.Inputs.Select(i => i.Length > 0 && index.TryGetValue(i, out int v) ? v : -1).ToArray();
                var reads = new List<int>();
                foreach (var name in Graph.NodeReads(node))
                    if (index.TryGetValue(name, out int v) && !reads.Contains(v)) reads.Add(v);
                sim._reads[n] = reads.ToArray();
                foreach (int v in reads) consumers[v].Add(n);
                sim._view[n] = node.Domain.Length == 0 && s_viewOps.Contains(node.OpType) && node.Outputs.Length > 0;
                sim._inPlace[n] = inPlace ? (node.Op?.InPlaceInputs.ToArray() ?? []) : [];
            }
            for (int v = 0; v < consumers.Length; v++) sim._consumers[v] = consumers[v].ToArray();
            foreach (var o in graph.Outputs)
                if (index.TryGetValue(o.Name, out int v)) sim._kept[v] = true;
            return sim;
        }

        /// <summary>The estimated arena bytes (sum over element types) for running the nodes in <paramref name="order"/>.</summary>
        public long Estimate(int[] order)
        {
            int values = _bytes.Length;
            var pos = new int[_nodes];
            for (int s = 0; s < order.Length; s++) pos[order[s]] = s;
            var lastUse = new int[values];
            for (int v = 0; v < values; v++)
            {
                int last = pos[_producer[v]];
                foreach (int c in _consumers[v]) last = Math.Max(last, pos[c]);
                lastUse[v] = last;
            }
            var buffer = new int[values];
            var first = new List<int>();
            var last_ = new List<int>();
            var bytes = new List<long>();
            var type = new List<DataType>();
            var excluded = new List<bool>();
            for (int s = 0; s < order.Length; s++)
            {
                int n = order[s];
                var outs = _outputs[n];
                for (int k = 0; k < outs.Length; k++)
                {
                    int v = outs[k];
                    if (v < 0) continue;
                    int b = -1;
                    if (k == 0 && _view[n])
                    {
                        int src = _inputs[n].Length > 0 ? _inputs[n][0] : -1;
                        b = src >= 0 ? buffer[src] : -2; // a view of a graph input or initializer: no buffer
                    }
                    else if (k == 0) b = InPlaceSource(n, s, v, lastUse, buffer, last_);
                    if (b == -1)
                    {
                        b = bytes.Count;
                        first.Add(s);
                        last_.Add(s);
                        bytes.Add(_bytes[v]);
                        type.Add(_type[v]);
                        excluded.Add(false);
                    }
                    buffer[v] = b;
                    if (b < 0) continue;
                    last_[b] = Math.Max(last_[b], lastUse[v]);
                    if (_kept[v]) excluded[b] = true;
                }
            }
            long total = 0;
            foreach (var group in Enumerable.Range(0, bytes.Count).Where(b => !excluded[b] && bytes[b] > 0).GroupBy(b => type[b]))
            {
                var lifetimes = group.Select(b => new BufferLifetime(bytes[b], first[b], last_[b])).ToArray();
                int size = DataTypes.SizeOf(group.Key);
                int alignment = MemoryPlanner.DefaultAlignment % size == 0 ? MemoryPlanner.DefaultAlignment : size * MemoryPlanner.DefaultAlignment;
                total += MemoryPlanner.Place(lifetimes, alignment).ArenaBytes;
            }
            return total;
        }

        /// <summary>The buffer output 0 of node n (at step s) takes over in place, or −1.</summary>
        private int InPlaceSource(int n, int s, int v, int[] lastUse, int[] buffer, List<int> bufferLast)
        {
            foreach (int k in _inPlace[n])
            {
                if (k >= _inputs[n].Length) continue;
                int u = _inputs[n][k];
                if (u < 0 || _kept[u] || lastUse[u] != s || _bytes[u] != _bytes[v] || _type[u] != _type[v]) continue;
                if (_inputs[n].Count(x => x == u) != 1) continue;
                int b = buffer[u];
                // Another value sharing the buffer (a view) must be dead by now as well.
                if (b >= 0 && bufferLast[b] <= s) return b;
            }
            return -1;
        }

        /// <summary>The graph's node list order, when it is topological (exporters usually write a good one).</summary>
        public int[]? ListOrder(Graph graph)
        {
            var rank = new Dictionary<IR.Node, int>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < graph.Nodes.Count; i++) rank[graph.Nodes[i]] = i;
            var order = Enumerable.Range(0, _nodes).OrderBy(n => rank.TryGetValue(_topo[n], out int r) ? r : int.MaxValue).ToArray();
            var done = new bool[_nodes];
            foreach (int n in order)
            {
                foreach (int v in _reads[n])
                    if (!done[_producer[v]]) return null;
                done[n] = true;
            }
            return order;
        }

        /// <summary>Kahn's algorithm with a stack: a node's consumers run as soon as they are ready (depth first).</summary>
        public int[] ReadyStack()
        {
            var missing = Missing();
            var stack = new Stack<int>();
            for (int n = _nodes - 1; n >= 0; n--) if (missing[n] == 0) stack.Push(n);
            var order = new List<int>(_nodes);
            while (stack.Count > 0)
            {
                int n = stack.Pop();
                order.Add(n);
                var ready = new List<int>();
                foreach (int v in _outputs[n])
                    if (v >= 0)
                        foreach (int c in _consumers[v])
                            if (--missing[c] == 0) ready.Add(c);
                ready.Sort();
                for (int i = ready.Count - 1; i >= 0; i--) stack.Push(ready[i]);
            }
            return order.ToArray();
        }

        /// <summary>Per node, how many of the values it reads are not produced yet.</summary>
        private int[] Missing()
        {
            var missing = new int[_nodes];
            for (int n = 0; n < _nodes; n++) missing[n] = _reads[n].Length;
            return missing;
        }

        /// <summary>
        /// Greedy: among the ready nodes, the one whose outputs allocate the fewest bytes net of the buffers it frees
        /// (its inputs' last reader; in-place and view outputs allocate nothing); ties go to the earliest topological node.
        /// </summary>
        public int[] Greedy()
        {
            int values = _bytes.Length;
            var missing = Missing();
            var remaining = new int[values];
            for (int v = 0; v < values; v++) remaining[v] = _consumers[v].Length;
            var buffer = new int[values];
            var liveValues = new List<int>(); // per buffer: values on it not yet dead
            var bufferBytes = new List<long>();
            var ready = new SortedSet<int>();
            for (int n = 0; n < _nodes; n++) if (missing[n] == 0) ready.Add(n);
            var order = new List<int>(_nodes);
            var freedBuffers = new List<int>();
            while (ready.Count > 0)
            {
                int best = -1;
                long bestScore = long.MaxValue;
                foreach (int n in ready)
                {
                    long score = Delta(n, remaining, buffer, liveValues, bufferBytes, freedBuffers, out _);
                    if (score < bestScore)
                    {
                        best = n;
                        bestScore = score;
                    }
                }
                ready.Remove(best);
                order.Add(best);
                Delta(best, remaining, buffer, liveValues, bufferBytes, freedBuffers, out int inPlaceBuffer);
                // Apply: outputs take buffers, inputs lose a reader.
                var outs = _outputs[best];
                for (int k = 0; k < outs.Length; k++)
                {
                    int v = outs[k];
                    if (v < 0) continue;
                    int b;
                    if (k == 0 && _view[best]) b = _inputs[best].Length > 0 && _inputs[best][0] >= 0 ? buffer[_inputs[best][0]] : -1;
                    else if (k == 0 && inPlaceBuffer >= 0) b = inPlaceBuffer;
                    else
                    {
                        b = bufferBytes.Count;
                        bufferBytes.Add(_bytes[v]);
                        liveValues.Add(0);
                    }
                    buffer[v] = b;
                    if (b >= 0 && (remaining[v] > 0 || _kept[v])) liveValues[b]++;
                    foreach (int c in _consumers[v])
                        if (--missing[c] == 0) ready.Add(c);
                }
                foreach (int u in _reads[best])
                    if (--remaining[u] == 0 && !_kept[u] && buffer[u] >= 0) liveValues[buffer[u]]--;
            }
            return order.ToArray();
        }

        /// <summary>Bytes node n would allocate minus the bytes it would free, in the greedy's current state.</summary>
        private long Delta(int n, int[] remaining, int[] buffer, List<int> liveValues, List<long> bufferBytes,
            List<int> freedBuffers, out int inPlaceBuffer)
        {
            inPlaceBuffer = -1;
            freedBuffers.Clear();
            long freed = 0;
            foreach (int u in _reads[n])
            {
                if (remaining[u] != 1 || _kept[u] || buffer[u] < 0) continue;
                int b = buffer[u];
                if (freedBuffers.Contains(b)) continue;
                // The buffer dies when every value still live on it is read for the last time by n.
                int dying = 0;
                foreach (int w in _reads[n])
                    if (buffer[w] == b && remaining[w] == 1 && !_kept[w]) dying++;
                if (dying == liveValues[b])
                {
                    freedBuffers.Add(b);
                    freed += bufferBytes[b];
                }
            }
            long allocated = 0;
            var outs = _outputs[n];
            for (int k = 0; k < outs.Length; k++)
            {
                int v = outs[k];
                if (v < 0 || (k == 0 && _view[n])) continue;
                if (k == 0 && _inPlaceOn)
                {
                    foreach (int p in _inPlace[n])
                    {
                        if (p >= _inputs[n].Length) continue;
                        int u = _inputs[n][p];
                        if (u < 0 || buffer[u] < 0 || !freedBuffers.Contains(buffer[u]) || _bytes[u] != _bytes[v] || _type[u] != _type[v]) continue;
                        if (_inputs[n].Count(x => x == u) != 1) continue;
                        inPlaceBuffer = buffer[u];
                        break;
                    }
                    if (inPlaceBuffer >= 0)
                    {
                        freed -= bufferBytes[inPlaceBuffer]; // kept alive as the output
                        continue;
                    }
                }
                allocated += _bytes[v];
            }
            return allocated - freed;
        }
    }
}
