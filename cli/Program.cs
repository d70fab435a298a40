using NativeInfer.Cli.Commands;

namespace NativeInfer.Cli;

/// <summary>The <c>nativeinfer</c> command: run, inspect, conformance, ops, bench, optimize.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage();
            return args.Length == 0 ? 1 : 0;
        }
        var rest = args[1..];
        Gpu.GpuBackend.Register();
        try
        {
            return args[0] switch
            {
                "run" => RunCommand.Execute(new CliArgs(rest)),
                "inspect" => InspectCommand.Execute(new CliArgs(rest, "--no-fallback", "--memory")),
                "conformance" => ConformanceCommand.Execute(new CliArgs(rest, "--no-fallback")),
                "ops" => OpsCommand.Execute(new CliArgs(rest)),
                "bench" => BenchCommand.Execute(new CliArgs(rest, "--json")),
                "optimize" => OptimizeCommand.Execute(rest),
                "gpu-gemm" => GpuGemmCommand.Execute(new CliArgs(rest)),
                _ => Unknown(args[0]),
            };
        }
        catch (CliUsageException e)
        {
            Console.Error.WriteLine($"nativeinfer {args[0]}: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is Kernels.Gpu.Runtime.GpuDeviceNotFoundException or Errors.ModelLoadException or Errors.InvalidInputException or Errors.NodeExecutionException
                                      or FileNotFoundException or DirectoryNotFoundException or Tensors.TensorSizeException)
        {
            Console.Error.WriteLine($"nativeinfer {args[0]}: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    private static int Unknown(string command)
    {
        Console.Error.WriteLine($"nativeinfer: unknown command '{command}'.");
        PrintUsage();
        return 2;
    }

    private static void PrintUsage() => Console.WriteLine("""
        nativeinfer — a pure-managed ONNX inference engine

          nativeinfer run [<model.onnx>] [--inputs-dir DIR | --input NAME=FILE.pb ...] [--output-dir DIR] [--threads N]
              Runs a model (default: the embedded ResNet18) and prints each output; writes output_<i>.pb with --output-dir.
          nativeinfer gpu-gemm [--backend cuda|opencl|ilgpu-cpu] [--size N] [--iters N]
              Times the GPU SGEMM (default 4096³ on a GPU, 256³ on ILGPU's CPU simulator): TFLOP/s and deviation.
          nativeinfer inspect <model.onnx> [--backend cuda|opencl|ilgpu-cpu|auto] [--memory [--dim NAME=VALUE ...] [--threads N]]
              Inputs, outputs, opsets, op histogram and unsupported ops; with --backend, where each node runs and the
              copies one run makes; --memory runs the model once and prints its memory plan: planned activation
              peak, lower bound, their ratio, tensors placed.
          nativeinfer conformance <suite-dir> [--report FILE.json] [--filter REGEX] [--overrides FILE] [--threads N]
                                  [--backend cuda|opencl|ilgpu-cpu|auto] [--no-fallback]
              Runs an ONNX backend-test suite folder and compares with its reference outputs.
          nativeinfer bench [<model.onnx>] [--threads N] [--iters N] [--warmup N] [--dim NAME=VALUE ...] [--seed N] [--json]
                            [--profile trace.json]
              Times single runs on seeded random inputs (unknown dims from --dim, else 1; default model: the embedded
              ResNet18): median/min/p90 latency, peak resident memory (VmHWM), managed bytes allocated per run.
              --json prints one JSON object: median_ms, min_ms, p90_ms, peak_bytes, and more.
              --profile FILE writes per-node timings of the timed runs as a Chrome trace (Perfetto, chrome://tracing)
              and prints the op types taking the most time.
          nativeinfer optimize <model.onnx> -o <out.onnx> [--level 0-3] [--disable PASS ...] [--explain]
              Runs the graph optimizer (default level 3 = All) and writes the optimized graph as ONNX (fused nodes in
              domain ai.nativeinfer); prints node counts before/after, and with --explain every pass firing by pass.
          nativeinfer ops [--update-readme README.md]
              The supported-operator table generated from the op registry.
        """);
}
