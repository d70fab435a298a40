using System.Globalization;

namespace NativeInfer.Onnx.Conformance;

/// <summary>
/// Per-case tolerance overrides read from a text file. One line per case:
/// <c>case_name atol=1e-5 rtol=1e-2  # reason</c>. A line without a written reason is rejected.
/// </summary>
public sealed class ToleranceOverrides
{
    private readonly Dictionary<string, (double Atol, double Rtol, string Reason)> _entries = new();

    public static ToleranceOverrides Empty => new();

    public static ToleranceOverrides Load(string path)
    {
        var o = new ToleranceOverrides();
        int lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int hash = line.IndexOf('#');
            string reason = hash >= 0 ? line[(hash + 1)..].Trim() : "";
            if (reason.Length == 0) throw new FormatException($"{path}:{lineNo}: a tolerance override needs a written reason after '#'.");
            var parts = line[..hash].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            double atol = ValueComparer.DefaultAtol, rtol = ValueComparer.DefaultRtol;
            foreach (var p in parts.Skip(1))
            {
                var kv = p.Split('=', 2);
                double v = double.Parse(kv[1], CultureInfo.InvariantCulture);
                if (kv[0] == "atol") atol = v;
                else if (kv[0] == "rtol") rtol = v;
                else throw new FormatException($"{path}:{lineNo}: unknown key '{kv[0]}'.");
            }
            o._entries[parts[0]] = (atol, rtol, reason);
        }
        return o;
    }

    public (double Atol, double Rtol) For(string caseName) =>
        _entries.TryGetValue(caseName, out var e) ? (e.Atol, e.Rtol) : (ValueComparer.DefaultAtol, ValueComparer.DefaultRtol);
}
