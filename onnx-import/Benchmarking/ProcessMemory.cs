using System.Globalization;

namespace NativeInfer.Onnx.Benchmarking;

/// <summary>
/// This process's resident memory, from Linux's <c>/proc/self/status</c>: <c>VmHWM</c> (the peak resident set since
/// start, or since <see cref="TryResetPeak"/>) and <c>VmRSS</c> (current). Null where the file is absent (not Linux).
/// It counts everything resident: the runtime, native libraries, managed and native heaps, mapped model bytes.
/// </summary>
public static class ProcessMemory
{
    private const string StatusPath = "/proc/self/status";

    /// <summary>Peak resident set size in bytes (VmHWM), or null where unavailable.</summary>
    public static long? PeakRssBytes => ReadKiB("VmHWM:");

    /// <summary>Current resident set size in bytes (VmRSS), or null where unavailable.</summary>
    public static long? CurrentRssBytes => ReadKiB("VmRSS:");

    /// <summary>Resets the peak to the current RSS (writes 5 to <c>/proc/self/clear_refs</c>); false where not possible.</summary>
    public static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    private static long? ReadKiB(string key)
    {
        try
        {
            if (!File.Exists(StatusPath)) return null;
            foreach (var line in File.ReadLines(StatusPath))
            {
                if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
                var parts = line[key.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long kib)
                    ? kib * 1024 : null;
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
