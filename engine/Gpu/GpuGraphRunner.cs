using System.Text;
using ILGPU;
using ILGPU.Runtime;
using NativeInfer.Errors;
using NativeInfer.IR;
using NativeInfer.Kernels.Gpu.Runtime;
using NativeInfer.Ops;
using NativeInfer.Runtime;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Gpu;

/// <summary>
/// Runs a graph on an ILGPU accelerator. At creation it assigns every node to the GPU (a <see cref="GpuOp"/> exists
/// for its op type, attributes and element types) or the CPU, groups consecutive CPU nodes into partitions run by the
/// CPU executor, and uploads the weights GPU nodes read once. A run copies a value between host and device only where a
/// reader needs it on the other side (graph inputs, partition boundaries, graph outputs), each value at most once per
/// direction; device activations come from a <see cref="GpuBufferPool"/> and go back after their last reader.
/// Runs are serialized (one stream per session); a kernel failure surfaces as a <see cref="NodeExecutionException"/>.
/// </summary>
internal sealed class GpuGraphRunner : IGraphRunner
{
    private abstract class Step;

    private sealed class GpuStep(Node node, GpuOp op, int[] inputs, bool[] onHost, int[] outputs) : Step
    {
        public Node Node { get; } = node;
        public GpuOp Op { get; } = op;
        public int[] Inputs { get; } = inputs;
        public bool[] OnHost { get; } = onHost;
        public int[] Outputs { get; } = outputs;
    }

    private sealed class CpuStep(Graph graph, int[] inputs, int[] outputs) : Step
    {
        public Graph Graph { get; } = graph;
        public int[] Inputs { get; } = inputs;
        public int[] Outputs { get; } = outputs;
    }

    private readonly Graph _graph;
    private readonly SessionOptions _options;
    private readonly GpuDevice _device;
    private readonly AcceleratorStream _stream;
    private readonly GpuBufferPool _pool;
    private readonly TensorBufferPool? _hostPool;
    private readonly Dictionary<string, int> _index = new();
    private readonly string[] _names;
    private readonly Step[] _steps;
    private readonly int[][] _releaseAfter;
    private readonly int[] _outputs;
    private readonly (int Index, Tensor Value)[] _initializers;
    private readonly GpuTensor?[] _weights;
    private readonly (Node Node, bool OnGpu)[] _assignment;
    private readonly object _runLock = new();
    private bool _disposed;

    public GpuGraphRunner(Graph graph, SessionOptions options, GpuDevice device, GpuOpTable table)
    {
        _graph = graph;
        _options = options;
        _device = device;
        Dictionary<string, TypeInfo> types;
        try
        {
            types = ShapeInference.Run(graph);
        }
        catch (GraphValidationException)
        {
            types = new(); // unknown types: nodes whose GPU op needs them stay on the CPU
        }

        int Index(string name)
        {
            if (!_index.TryGetValue(name, out int i)) _index[name] = i = _index.Count;
            return i;
        }
        foreach (var name in graph.Initializers.Keys) Index(name);
        foreach (var input in graph.Inputs) Index(input.Name);
        var order = graph.TopologicalOrder();
        foreach (var node in order)
            foreach (var o in node.Outputs)
                if (o.Length > 0) Index(o);

        // Assignment.
        var gpuOps = new GpuOp?[order.Count];
        for (int s = 0; s < order.Count; s++)
        {
            var node = order[s];
            if (Graph.NodeReads(node).Count() != node.Inputs.Count(i => i.Length > 0)) continue; // subgraphs stay on the CPU
            var ctx = new GpuOpBuildContext
            {
                Build = new OpBuildContext { Node = node, ConstantLookup = n => graph.Initializers.GetValueOrDefault(n) },
                InputTypes = node.Inputs.Select(i => i.Length > 0 ? types.GetValueOrDefault(i) : null).ToArray(),
                OutputTypes = node.Outputs.Select(o => o.Length > 0 ? types.GetValueOrDefault(o) : null).ToArray(),
                Device = device,
            };
            var op = gpuOps[s] = table.TryCreate(ctx);
            // Outputs inference left untyped get their type from the GPU op, so the nodes after it can be placed.
            if (op is not null && ctx.InputTypes.Length > 0 && ctx.InputTypes[0] is { Kind: ValueKind.Tensor } t0)
                for (int i = 0; i < node.Outputs.Length; i++)
                    if (node.Outputs[i].Length > 0 && !types.ContainsKey(node.Outputs[i]))
                        types[node.Outputs[i]] = TypeInfo.Tensor(op.OutputType(i, t0.ElementType));
        }
        _assignment = order.Select((n, s) => (n, gpuOps[s] is not null)).ToArray();
        if (!options.CpuFallback && _assignment.Any(a => !a.OnGpu))
        {
            var missing = _assignment.Where(a => !a.OnGpu).Select(a => $"{a.Node.DisplayName} ({OpName(a.Node)})");
            throw new NotSupportedException(
                $"With CPU fallback off, every node needs a GPU kernel on {device.Kind}; these have none: {string.Join(", ", missing)}.");
        }

        // Steps: one per GPU node, one per run of consecutive CPU nodes.
        var steps = new List<Step>();
        var outputNames = new HashSet<string>(graph.Outputs.Select(o => o.Name));
        for (int s = 0; s < order.Count;)
        {
            if (gpuOps[s] is { } op)
            {
                var node = order[s];
                var inputs = node.Inputs.Select(i => i.Length > 0 ? Index(i) : -1).ToArray();
                var onHost = inputs.Select((_, i) => op.ReadsOnHost(i)).ToArray();
                steps.Add(new GpuStep(node, op, inputs, onHost, node.Outputs.Select(o => o.Length > 0 ? Index(o) : -1).ToArray()));
                s++;
                continue;
            }
            int end = s;
            while (end < order.Count && gpuOps[end] is null) end++;
            var segment = order.GetRange(s, end - s);
            var produced = new HashSet<string>(segment.SelectMany(n => n.Outputs).Where(o => o.Length > 0));
            var reads = segment.SelectMany(Graph.NodeReads).Where(r => !produced.Contains(r)).Distinct().ToArray();
            var laterReads = new HashSet<string>(order.Skip(end).SelectMany(Graph.NodeReads));
            var exported = produced.Where(p => laterReads.Contains(p) || outputNames.Contains(p)).ToArray();
            var sub = new Graph { Name = $"{graph.Name}/cpu{steps.Count}" };
            foreach (var r in reads) sub.Inputs.Add(new ValueInfo(r, types.GetValueOrDefault(r)));
            foreach (var e in exported) sub.Outputs.Add(new ValueInfo(e, types.GetValueOrDefault(e)));
            sub.Nodes.AddRange(segment);
            steps.Add(new CpuStep(sub, reads.Select(Index).ToArray(), exported.Select(Index).ToArray()));
            s = end;
        }
        _steps = steps.ToArray();
        _names = new string[_index.Count];
        foreach (var (name, i) in _index) _names[i] = name;
        _outputs = graph.Outputs.Select(o => _index.TryGetValue(o.Name, out int i) ? i : -1).ToArray();
        if (_outputs.Contains(-1)) throw new GraphValidationException("A graph output is not produced by the graph.");
        _initializers = graph.Initializers.Select(kv => (_index[kv.Key], kv.Value)).ToArray();

        // Releases: a value goes after its last reader; graph outputs and weights stay.
        var lastUse = new int[_index.Count];
        Array.Fill(lastUse, -1);
        for (int s = 0; s < _steps.Length; s++)
        {
            foreach (int v in StepInputs(_steps[s])) if (v >= 0) lastUse[v] = s;
            foreach (int v in StepOutputs(_steps[s])) if (v >= 0 && lastUse[v] < s) lastUse[v] = s;
        }
        var keep = new HashSet<int>(_outputs);
        keep.UnionWith(_initializers.Select(i => i.Index));
        var release = Enumerable.Range(0, _steps.Length).Select(_ => new List<int>()).ToArray();
        for (int v = 0; v < lastUse.Length; v++)
            if (lastUse[v] >= 0 && !keep.Contains(v)) release[lastUse[v]].Add(v);
        _releaseAfter = release.Select(r => r.ToArray()).ToArray();

        _pool = new GpuBufferPool(device.Accelerator, Math.Max(options.MaxPooledBufferBytes, 64L << 20));
        _hostPool = options.MaxPooledBufferBytes > 0 ? new TensorBufferPool(options.MaxPooledBufferBytes) : null;
        _stream = device.Accelerator.CreateStream();

        // Weights read by GPU nodes: uploaded once.
        _weights = new GpuTensor?[_index.Count];
        var deviceReads = new HashSet<int>(_steps.OfType<GpuStep>().SelectMany(g => g.Inputs.Where((v, i) => v >= 0 && !g.OnHost[i])));
        var overridable = new HashSet<string>(graph.Inputs.Select(i => i.Name));
        foreach (var (index, value) in _initializers)
        {
            if (!deviceReads.Contains(index) || overridable.Contains(_names[index])) continue;
            var t = new GpuTensor(value.DataType, (int[])value.Shape.Clone(), _pool.RentPersistent(Math.Max(1, (long)value.Length * DataTypes.SizeOf(value.DataType))));
            Upload(value, t);
            _weights[index] = t;
            WeightBytes += t.Bytes;
            WeightCount++;
        }
        _stream.Synchronize();
        (UploadsPerRun, DownloadsPerRun) = CountTransfers();
    }

    /// <summary>The accelerator this runner uses.</summary>
    public GpuDevice Device => _device;

    /// <summary>Nodes in execution order with where each runs.</summary>
    public IReadOnlyList<(Node Node, bool OnGpu)> Assignment => _assignment;

    /// <summary>Host→device copies one run makes (graph inputs and CPU results GPU nodes read).</summary>
    public int UploadsPerRun { get; }

    /// <summary>Device→host copies one run makes (GPU results CPU nodes or the caller read).</summary>
    public int DownloadsPerRun { get; }

    /// <summary>Weights uploaded at creation.</summary>
    public int WeightCount { get; }

    public long WeightBytes { get; }

    /// <summary>Copies the last run made, both directions (tests compare it with the plan).</summary>
    public int LastRunTransfers { get; private set; }

    /// <summary>Device blocks allocated so far (stops growing once the pool serves every run).</summary>
    public int DeviceAllocations => _pool.Allocations;

    public int CpuPartitions => _steps.Count(s => s is CpuStep);

    private static string OpName(Node n) => (n.Domain.Length > 0 ? n.Domain + ":" : "") + n.OpType;

    private static int[] StepInputs(Step s) => s switch { GpuStep g => g.Inputs, CpuStep c => c.Inputs, _ => [] };

    private static int[] StepOutputs(Step s) => s switch { GpuStep g => g.Outputs, CpuStep c => c.Outputs, _ => [] };

    /// <summary>Simulates one run's residency (same rules as <see cref="Run"/>) and counts the copies.</summary>
    private (int Up, int Down) CountTransfers()
    {
        var onHost = new bool[_names.Length];
        var onDevice = new bool[_names.Length];
        foreach (var (i, _) in _initializers) onHost[i] = true;
        foreach (var input in _graph.Inputs) onHost[_index[input.Name]] = true;
        for (int i = 0; i < _weights.Length; i++) if (_weights[i] is not null) onDevice[i] = true;
        int up = 0, down = 0;
        void Device(int v) { if (!onDevice[v]) { onDevice[v] = true; up++; } }
        void Host(int v) { if (!onHost[v] && onDevice[v]) { onHost[v] = true; down++; } }
        foreach (var step in _steps)
        {
            if (step is GpuStep g)
            {
                for (int i = 0; i < g.Inputs.Length; i++)
                    if (g.Inputs[i] >= 0) { if (g.OnHost[i]) Host(g.Inputs[i]); else Device(g.Inputs[i]); }
                foreach (int o in g.Outputs) if (o >= 0) onDevice[o] = true;
            }
            else if (step is CpuStep c)
            {
                foreach (int v in c.Inputs) Host(v);
                foreach (int o in c.Outputs) onHost[o] = true;
            }
        }
        foreach (int o in _outputs) Host(o);
        return (up, down);
    }

    public Value?[] Run(IReadOnlyDictionary<string, Value> feeds, CancellationToken cancellation)
    {
        lock (_runLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int n = _names.Length, transfers = 0;
            var host = new Value?[n];
            var dev = new GpuTensor?[n];
            foreach (var (i, t) in _initializers) host[i] = t;
            for (int i = 0; i < n; i++) dev[i] = _weights[i];
            foreach (var (name, value) in feeds)
                if (_index.TryGetValue(name, out int i))
                {
                    host[i] = value;
                    dev[i] = null; // a fed value overrides an initializer's uploaded copy
                }

            GpuTensor EnsureDevice(int v)
            {
                if (dev[v] is { } d) return d;
                if (host[v] is not Tensor t)
                    throw new InvalidOperationException($"Value '{_names[v]}' is {(host[v] is null ? "missing" : "not a tensor")}; a GPU node cannot read it.");
                if (t.DataType is DataType.String || DataTypes.IsLowPrecision(t.DataType) && t.DataType is not (DataType.Float16 or DataType.BFloat16))
                    throw new NotSupportedException($"Value '{_names[v]}' ({DataTypes.Name(t.DataType)}) cannot be copied to the device.");
                TensorLimits.CheckAllocation(t.Length, t.DataType);
                var g = new GpuTensor(t.DataType, (int[])t.Shape.Clone(), _pool.Rent((long)t.Length * DataTypes.SizeOf(t.DataType)));
                Upload(t, g);
                g.Block.Refs++;
                transfers++;
                return dev[v] = g;
            }

            Value? EnsureHost(int v)
            {
                if (host[v] is { } h || dev[v] is not { } d) return host[v];
                _stream.Synchronize();
                var t = Tensor.Create(d.DataType, (int[])d.Shape.Clone());
                if (t.Length > 0) GpuHostCopy.ToHost(_stream, d.Raw, t.RawBytes());
                transfers++;
                return host[v] = t;
            }

            void Drop(int v)
            {
                host[v] = null;
                if (dev[v] is { } d)
                {
                    dev[v] = null;
                    if (!d.Block.Persistent && --d.Block.Refs == 0) _pool.Return(d.Block);
                }
            }

            try
            {
                for (int s = 0; s < _steps.Length; s++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    switch (_steps[s])
                    {
                        case GpuStep g:
                            RunGpu(g, host, dev, EnsureDevice, v => EnsureHost(v) as Tensor);
                            break;
                        case CpuStep c:
                            var subFeeds = new Dictionary<string, Value>(c.Inputs.Length);
                            foreach (int v in c.Inputs)
                                if (EnsureHost(v) is { } value) subFeeds[_names[v]] = value;
                            var results = GraphExecutor.Run(c.Graph, subFeeds, _options, cancellation, _hostPool);
                            for (int k = 0; k < c.Outputs.Length; k++) host[c.Outputs[k]] = results[k];
                            break;
                    }
                    foreach (int v in _releaseAfter[s]) Drop(v);
                }
                var result = new Value?[_outputs.Length];
                for (int k = 0; k < result.Length; k++) result[k] = EnsureHost(_outputs[k]);
                try
                {
                    _stream.Synchronize();
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    throw new NodeExecutionException($"A GPU kernel failed on {_device.Kind}: {e.Message}", e);
                }
                LastRunTransfers = transfers;
                return result;
            }
            finally
            {
                for (int v = 0; v < n; v++) if (dev[v] is not null) Drop(v);
            }
        }
    }

    private void RunGpu(GpuStep g, Value?[] host, GpuTensor?[] dev, Func<int, GpuTensor> ensureDevice, Func<int, Tensor?> ensureHost)
    {
        var node = g.Node;
        GpuTensor?[] outputs;
        try
        {
            var devIn = new GpuTensor?[g.Inputs.Length];
            var hostIn = new Tensor?[g.Inputs.Length];
            for (int i = 0; i < g.Inputs.Length; i++)
            {
                int v = g.Inputs[i];
                if (v < 0) continue;
                if (g.OnHost[i]) hostIn[i] = ensureHost(v);
                else devIn[i] = ensureDevice(v);
            }
            outputs = g.Op.Execute(new GpuOpContext(node, _device, _stream, _pool), new GpuOpInputs(devIn, hostIn));
        }
        catch (Exception e) when (e is not NodeExecutionException and not OutOfMemoryException and not OperationCanceledException)
        {
            throw new NodeExecutionException(
                $"Node '{node.DisplayName}' ({OpName(node)}, opset {node.OpsetVersion}) failed on {_device.Kind}: {e.Message}", e);
        }
        for (int k = 0; k < g.Outputs.Length; k++)
        {
            int o = g.Outputs[k];
            if (o < 0) continue;
            var t = k < outputs.Length ? outputs[k] : null;
            if (t is not null && !t.Block.Persistent) t.Block.Refs++;
            host[o] = null;
            dev[o] = t;
        }
    }

    /// <summary>Copies a host tensor into its device tensor (host memory pinned; complete on return).</summary>
    private void Upload(Tensor t, GpuTensor g)
    {
        if (t.Length > 0) GpuHostCopy.ToDevice(_stream, g.Raw, t.RawBytes());
    }

    public string DescribePartition()
    {
        var sb = new StringBuilder();
        int onGpu = _assignment.Count(a => a.OnGpu);
        sb.AppendLine($"backend: {_device.Description}");
        sb.AppendLine($"nodes: {onGpu} on GPU, {_assignment.Length - onGpu} on CPU ({CpuPartitions} CPU partitions)");
        foreach (var (node, gpu) in _assignment)
            sb.AppendLine($"  {(gpu ? "GPU" : "CPU")}  {node.DisplayName} ({OpName(node)})");
        sb.AppendLine($"weights uploaded once: {WeightCount} tensors, {WeightBytes:N0} bytes");
        sb.AppendLine($"transfers per run: {UploadsPerRun + DownloadsPerRun} ({UploadsPerRun} host->device, {DownloadsPerRun} device->host)");
        return sb.ToString();
    }

    public void Dispose()
    {
        lock (_runLock)
        {
            if (_disposed) return;
            _disposed = true;
            _stream.Dispose();
            _pool.Dispose();
        }
    }
}
