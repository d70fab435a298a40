using NativeInfer.Errors;
using NativeInfer.IR;
using NativeInfer.Onnx.Import;
using NativeInfer.Ops;

namespace NativeInfer.Cli.Commands;

/// <summary><c>nativeinfer inspect model.onnx</c>: inputs/outputs, opsets, op histogram, unsupported ops.</summary>
public static class InspectCommand
{
    public static int Execute(CliArgs args)
    {
        if (args.Positional.Count != 1) throw new CliUsageException("usage: nativeinfer inspect <model.onnx> [--backend cuda|opencl|ilgpu-cpu|auto]");
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
        return 0;
    }
}
