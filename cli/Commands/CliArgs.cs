namespace NativeInfer.Cli.Commands;

/// <summary>Thrown for a malformed command line; the message says what is wrong.</summary>
public sealed class CliUsageException(string message) : Exception(message);

/// <summary>A tiny command-line parser: positional arguments plus --name value options (repeatable).</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, List<string>> _options = new();
    private readonly HashSet<string> _flags = new();

    public CliArgs(string[] args, params string[] flags)
    {
        var flagSet = new HashSet<string>(flags);
        for (int i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                if (flagSet.Contains(a)) { _flags.Add(a); continue; }
                if (i + 1 >= args.Length) throw new CliUsageException($"option {a} needs a value.");
                if (!_options.TryGetValue(a, out var list)) _options[a] = list = new();
                list.Add(args[++i]);
            }
            else Positional.Add(a);
        }
    }

    public List<string> Positional { get; } = new();

    public bool Flag(string name) => _flags.Contains(name);

    public string? Option(string name) => _options.TryGetValue(name, out var l) ? l[^1] : null;

    public IReadOnlyList<string> Options(string name) => _options.TryGetValue(name, out var l) ? l : Array.Empty<string>();

    /// <summary>--backend cpu | cuda | opencl | ilgpu-cpu | auto (default cpu).</summary>
    public Session.ExecutionBackend Backend() => Option("--backend") switch
    {
        null or "cpu" => Session.ExecutionBackend.Cpu,
        "cuda" => Session.ExecutionBackend.Cuda,
        "opencl" => Session.ExecutionBackend.OpenCL,
        "ilgpu-cpu" => Session.ExecutionBackend.IlgpuCpu,
        "auto" => Session.ExecutionBackend.Auto,
        var other => throw new CliUsageException($"--backend expects cpu, cuda, opencl, ilgpu-cpu or auto, got '{other}'."),
    };

    public int IntOption(string name, int defaultValue)
    {
        var s = Option(name);
        if (s is null) return defaultValue;
        return int.TryParse(s, out int v) && v >= 0 ? v : throw new CliUsageException($"{name} expects a non-negative integer, got '{s}'.");
    }
}
