using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using NativeInfer.Cli.Commands;

namespace NativeInfer.Bench;

/// <summary>
/// <c>dotnet run --project bench -c Release -- peak | list | compare ... | sgemm | conv | ...</c>: <c>peak</c> measures the
/// machine's FP32 peak; <c>list</c> lists the micro-benchmarks and how to run each; <c>compare</c> times ONNX Runtime
/// against NativeInfer (<see cref="Compare.CompareCommand.Help"/>); <c>sgemm</c> and <c>conv</c> run the Stopwatch
/// harnesses (<see cref="Benchmarks.SgemmStopwatch"/>, <see cref="Benchmarks.ConvStopwatch"/>); <c>tensorops [filter]</c>
/// runs <see cref="TensorOpsTimings"/>; any other arguments go to BenchmarkDotNet
/// (e.g. <c>--filter *Sgemm*</c>) with <see cref="BenchConfig"/> (GFLOP/s and %-of-peak columns).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "peak")
        {
            var d = TimeSpan.FromSeconds(2);
            Console.WriteLine($"FP32 FMA peak, 1 thread:  {MachinePeak.MeasureGflops(1, d):F1} GFLOP/s");
            Console.WriteLine($"FP32 FMA peak, {Environment.ProcessorCount} threads: {MachinePeak.MeasureGflops(Environment.ProcessorCount, d):F1} GFLOP/s");
            return 0;
        }
        if (args.Length > 0 && args[0] == "sgemm") return Benchmarks.SgemmStopwatch.Run(args[1..]);
        if (args.Length > 0 && args[0] == "conv") return Benchmarks.ConvStopwatch.Run(args[1..]);
        if (args.Length > 0 && args[0] == "tensorops") return TensorOpsTimings.Run(args[1..]);
        if (args.Length > 0 && args[0] == "memory-arena") return MemoryArenaTimings.Run(args[1..]);
        if (args.Length > 0 && args[0] == "transformer-fusion") return TransformerFusionTimings.Run(args[1..]);
        if (args.Length > 0 && args[0] == "gemm-fusion") return GemmFusionTimings.Run(args[1..]);
        if (args.Length > 0 && args[0] == "weight-memory") return WeightMemoryStages.Run(args[1..]);
        if (args.Length > 0 && args[0] == "list")
        {
            List();
            return 0;
        }
        if (args.Length > 0 && args[0] is "compare" or Compare.MemoryProbe.Verb)
        {
            try
            {
                var cliArgs = new CliArgs(args[1..], "--no-memory", "--help", "--ops");
                return args[0] == "compare"
                    ? Compare.CompareCommand.Execute(cliArgs, Console.Out, Console.Error)
                    : Compare.MemoryProbe.RunChild(cliArgs);
            }
            catch (Exception e) when (e is CliUsageException or Onnx.Benchmarking.BenchmarkSetupException)
            {
                Console.Error.WriteLine($"bench {args[0]}: {e.Message}");
                return 2;
            }
            catch (Exception e) when (e is Errors.ModelLoadException or Errors.InvalidInputException or Errors.NodeExecutionException
                                          or Tensors.TensorSizeException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
            {
                Console.Error.WriteLine($"bench {args[0]}: {e.GetType().Name}: {e.Message}");
                return 1;
            }
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchConfig.Create());
        return 0;
    }

    private static void List()
    {
        var types = typeof(Program).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsPublic: true } && t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        Console.WriteLine("Micro-benchmarks (run one class: dotnet run --project bench -c Release -- --filter '*ClassName*'):");
        foreach (var t in types)
        {
            var methods = t.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null).Select(m => m.Name);
            string flops = typeof(IFlopCounted).IsAssignableFrom(t) ? " [GFLOP/s]" : "";
            Console.WriteLine($"  {t.Name}{flops}: {string.Join(", ", methods)}");
            Console.WriteLine($"      --filter '*{t.Name}*'");
        }
    }
}
