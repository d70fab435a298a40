using NativeInfer.Errors;
using NativeInfer.IR;
using NativeInfer.Onnx.Import;

using NativeInfer.Onnx.Benchmarking;
using NativeInfer.Ops;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Cli.Commands;

/// <summary>
/// <c>nativeinfer inspect model.onnx [--backend B] [--memory [--dim NAME=VALUE ...] [--threads N]]</c>: inputs/outputs,
/// opsets, op histogram, unsupported ops; with <c>--backend</c>, the GPU partition; with <c>--memory</c>, runs the model once on seeded random inputs and prints the memory
/// plan made for that input signature (planned activation peak, lower bound, ratio, tensors placed).
/// </summary>
public static class InspectCommand
{
    public const string Usage = "usage: nativeinfer inspect <model.onnx> [--backend cuda|opencl|ilgpu-cpu|auto] [--no-fallback] [--memory [--dim NAME=VALUE ...] [--threads N]]";

    public static int Execute(CliArgs args)
    {
        if (args.Positional.Count != 1) throw new CliUsageException(Usage);
        string path = args.Positional[0];
        Model model;
        IReadOnlyList<string> unsupported = Array.Empty<string>();
        try
        {
            model = new OnnxModelLoader().Load(path);
        }
        catch (UnsupportedOperatorException e)
        {
            unsupported = e.Unsupported;
            model = new OnnxModelLoader(new OpRegistry()).LoadUnbound(path);
        }
        var g = model.Graph;
        Console.WriteLine($"model: {path}");
        Console.WriteLine($"ir_version: {model.IrVersion}  producer: {model.ProducerName}");
        Console.WriteLine("opsets: " + string.Join(", ", model.OpsetImports.Select(kv => $"{(kv.Key.Length == 0 ? "ai.onnx" : kv.Key)} {kv.Value}")));
        Console.WriteLine("inputs:");
        foreach (var i in g.FeedInputs) Console.WriteLine($"  {i.Name}: {i.Type}");
        Console.WriteLine("outputs:");
        foreach (var o in g.Outputs) Console.WriteLine($"  {o.Name}: {o.Type}");
        Console.WriteLine($"initializers: {g.Initializers.Count} ({g.Initializers.Values.Sum(t => (long)t.Length):N0} elements)");
        Console.WriteLine($"nodes: {g.Nodes.Count}");
        foreach (var grp in g.Nodes.GroupBy(n => (n.Domain.Length == 0 ? "" : n.Domain + ":") + n.OpType).OrderByDescending(x => x.Count()).ThenBy(x => x.Key))
            Console.WriteLine($"  {grp.Count(),5}  {grp.Key}");
        Console.WriteLine(unsupported.Count == 0 ? "unsupported ops: none" : "unsupported ops:");
        foreach (var u in unsupported) Console.WriteLine($"  {u}");
        if (args.Option("--backend") is not null && unsupported.Count == 0)
        {
            var options = new Session.SessionOptions { Backend = args.Backend(), CpuFallback = !args.Flag("--no-fallback") };
            using var session = new Session.GraphSession(model, options);
            Console.WriteLine("partition:");
            Console.Write(session.Backend?.DescribePartition() ?? "  every node runs on the CPU executor (no GPU backend selected or present)\n");
        }
        if (args.Flag("--memory"))
        {
            if (unsupported.Count > 0) throw new CliUsageException("--memory runs the model: it has unsupported ops.");
            PrintMemoryPlan(model, args);
        }
        return 0;
    }

    private static void PrintMemoryPlan(Model model, CliArgs args)
    {
        DimOverrides dims;
        try { dims = DimOverrides.Parse(args.Options("--dim")); }
        catch (BenchmarkSetupException e) { throw new CliUsageException(e.Message); }
        var options = new SessionOptions { IntraOpThreads = args.IntOption("--threads", 0) };
        using var session = new InferenceSession(model, options);
        Dictionary<string, Value> inputs;
        try
        {
            var feeds = model.Graph.FeedInputs.ToList();
            dims.Validate(feeds);
            inputs = BenchmarkInputs.Create(feeds, dims, BenchmarkInputs.DefaultSeed, options.MaxTensorBytes);
        }
        catch (BenchmarkSetupException e) { throw new CliUsageException(e.Message); }
        session.Run(inputs);
        Console.WriteLine("memory plan (one run on seeded random inputs):");
        if (session.MemoryPlans.Count == 0)
        {
            Console.WriteLine("  none: the run could not be planned (values the planner cannot follow)");
            return;
        }
        foreach (var plan in session.MemoryPlans)
        {
            Console.WriteLine($"  inputs: {plan.Signature}");
            Console.WriteLine($"  planned peak: {plan.PlannedPeakBytes:N0} bytes ({plan.PlannedPeakBytes / 1048576.0:F2} MB)");
            Console.WriteLine($"  lower bound:  {plan.LowerBoundBytes:N0} bytes ({plan.LowerBoundBytes / 1048576.0:F2} MB)");
            Console.WriteLine($"  ratio: {plan.Ratio:F3}");
            Console.WriteLine($"  tensors placed: {plan.TensorsPlaced} (over {plan.Steps} nodes)");
            Console.WriteLine($"  execution order: {plan.Order}; outputs computed in place: {plan.InPlaceOutputs}");
            if (plan.TopologicalEstimateBytes > 0)
                Console.WriteLine($"  order estimate (inferred shapes): topological {plan.TopologicalEstimateBytes / 1048576.0:F2} MB, chosen {plan.ChosenEstimateBytes / 1048576.0:F2} MB");
            foreach (var (type, bytes) in plan.Arenas)
                Console.WriteLine($"  arena {DataTypes.Name(type)}: {bytes:N0} bytes");
        }
    }
}
