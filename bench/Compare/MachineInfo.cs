using System.Reflection;

namespace NativeInfer.Bench.Compare;

/// <summary>What a comparison ran on: CPU model (from /proc/cpuinfo), core count, runtime, ONNX Runtime version.</summary>
public static class MachineInfo
{
    public static string CpuModel
    {
        get
        {
            try
            {
                if (File.Exists("/proc/cpuinfo"))
                    foreach (var line in File.ReadLines("/proc/cpuinfo"))
                        if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is int c and > 0)
                            return line[(c + 1)..].Trim();
            }
            catch (IOException) { }
            return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    public static int Cores => Environment.ProcessorCount;

    public static string Runtime => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

    public static string OrtVersion =>
        typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version?.ToString() ?? "?";
}
