using System.Diagnostics;
using System.Text.RegularExpressions;
using ILGPU;
using ILGPU.Backends.OpenCL;
using ILGPU.Runtime;
using ILGPU.Runtime.OpenCL;
using Xunit;
using Xunit.Abstractions;

namespace NativeInfer.Tests.Gpu.Kernels;

/// <summary>
/// ILGPU's OpenCL path without an OpenCL device: every kernel of <see cref="GpuKernelList"/> goes through ILGPU's
/// OpenCL backend (the code generator an OpenCL accelerator uses, with GpuDevices' context flags: algorithms, O2; the
/// vendor is Other, as the sources for AMD, Intel and NVIDIA differ only in label numbers and declaration order) and the generated
/// OpenCL C is compiled by clang for SPIR (<c>-target spir64 -emit-llvm -c</c>: parsing, type checking and code
/// generation, which is what a clang-based driver does before its own back end), with warnings as errors.
/// Each profile is a device: the capabilities ILGPU is told (it writes an <c>#pragma OPENCL EXTENSION</c> for each)
/// and the same features, and no others, enabled in clang (<c>-cl-ext=-all,+...</c>).
/// Why not run them: ILGPU 1.5.3 needs OpenCL C 2.0 or a 3.0 device with the generic address space; Debian 12's
/// POCL 3.1 CPU driver reports OpenCL C 1.2 without it, and ILGPU refuses it (CapabilityNotSupportedException).
/// Tried by hand once (not part of the tests): POCL 3.1's clBuildProgram with -cl-std=CL2.0 (ILGPU's option for CL2.0
/// kernels) built 25 of the 28 sources; GpuTyped's Unary, Binary and CumSum kernels failed on their <c>__generic</c>
/// pointers (views cast from <c>ArrayView&lt;byte&gt;</c>), which POCL's front end does not accept.
/// clang: the newest of clang-19..clang-14 or clang on PATH; absent, the test skips, or fails when CI is set
/// (.ci/run installs clang-14).
/// </summary>
public sealed class GpuKernelOpenClTests(ITestOutputHelper output)
{
    /// <summary>A device to generate and compile for.</summary>
    public sealed record Profile(string Name, CLCVersion Version, CLCapabilityContext Capabilities, string[] ClangArgs)
    {
        public override string ToString() => Name;
    }

    private const string Int64Atomics = "+cl_khr_int64_base_atomics,+cl_khr_int64_extended_atomics";

    /// <summary>
    /// OpenCL C 2.0 (the generic address space is core there) with fp64 and int64 atomics, no fp16 and no subgroups;
    /// OpenCL C 3.0 with the optional generic address space and fp64 features, fp16 and int64 atomics, no subgroups.
    /// </summary>
    public static readonly Profile[] Profiles =
    [
        new("CL2.0+fp64+int64atomics", CLCVersion.CL20,
            new CLCapabilityContext(float16: false, float64: true, genericAddressSpace: true, int64_Atomics: true, subGroups: false),
            ["-cl-std=CL2.0", "-Xclang", "-cl-ext=-all,+cl_khr_fp64," + Int64Atomics]),
        new("CL3.0+generic+fp64+fp16+int64atomics", CLCVersion.CL30,
            new CLCapabilityContext(float16: true, float64: true, genericAddressSpace: true, int64_Atomics: true, subGroups: false),
            ["-cl-std=CL3.0", "-Xclang",
             "-cl-ext=-all,+__opencl_c_generic_address_space,+__opencl_c_fp64,+cl_khr_fp64,+cl_khr_fp16," + Int64Atomics]),
    ];

    public static TheoryData<string> ProfileNames => [.. Profiles.Select(p => p.Name)];

    /// <summary>
    /// ILGPU writes unsigned constants into the signed C type of the same width (a uint 4294967295 into an int, a
    /// ulong 2^63 into a long); clang warns, and the wrapped value is the intended bit pattern, so that warning is off.
    /// </summary>
    private static readonly string[] CommonClangArgs =
        ["-x", "cl", "-target", "spir64", "-Xclang", "-finclude-default-header", "-Werror", "-Wno-constant-conversion", "-emit-llvm", "-c"];

    [SkippableTheory]
    [MemberData(nameof(ProfileNames))]
    public void EveryKernel_GeneratesOpenClC_ThatClangCompiles(string profileName)
    {
        var profile = Profiles.Single(p => p.Name == profileName);
        var clang = RequireClang();

        var kernels = GpuKernelList.All;
        Assert.True(kernels.Count >= 28, $"Found only {kernels.Count} kernels.");
        var watch = Stopwatch.StartNew();
        TimeSpan generated;
        var dir = Directory.CreateTempSubdirectory("nativeinfer-opencl-");
        try
        {
            var sources = GenerateSources(profile, kernels, dir.FullName);
            // Two batches (two cores), each one clang invocation over several files; the .bc files land in the batch folder.
            var batches = sources.Select((s, i) => (s, i)).GroupBy(x => x.i % 2, x => x.s).Select(g => g.ToArray()).ToArray();
            generated = watch.Elapsed;
            var runs = batches.Select((batch, i) => Task.Run(() => RunClang(clang, profile, batch, Path.Combine(dir.FullName, "out" + i)))).ToArray();
            var results = runs.Select(r => r.Result).ToArray();
            output.WriteLine($"{profile.Name}: {sources.Count} kernels, OpenCL C generated in {generated.TotalSeconds:F1} s, "
                             + $"compiled by {clang} in {(watch.Elapsed - generated).TotalSeconds:F1} s");
            for (int i = 0; i < batches.Length; i++)
            {
                Assert.True(results[i].ExitCode == 0,
                    $"{profile.Name}: clang ({clang}) failed on {string.Join(", ", batches[i].Select(Path.GetFileName))}:\n{results[i].Output}");
                foreach (var source in batches[i])
                {
                    var bc = Path.Combine(dir.FullName, "out" + i, Path.GetFileNameWithoutExtension(source) + ".bc");
                    Assert.True(File.Exists(bc) && new FileInfo(bc).Length > 0, $"{profile.Name}: no SPIR bitcode for {Path.GetFileName(source)}");
                }
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The check is not vacuous: the same clang flags reject an undeclared name and an extension pragma the profile lacks.</summary>
    [SkippableFact]
    public void TheClangCheck_RejectsBrokenOpenClC()
    {
        var clang = RequireClang();
        var dir = Directory.CreateTempSubdirectory("nativeinfer-opencl-");
        try
        {
            var profile = Profiles[0]; // no fp16
            string undeclared = Path.Combine(dir.FullName, "undeclared.cl"), fp16 = Path.Combine(dir.FullName, "fp16.cl"), good = Path.Combine(dir.FullName, "good.cl");
            File.WriteAllText(undeclared, "kernel void k(global float* x) { x[get_global_id(0)] = missing; }\n");
            File.WriteAllText(fp16, "#pragma OPENCL EXTENSION cl_khr_fp16 : enable\nkernel void k(global float* x) { x[0] = 1.0f; }\n");
            File.WriteAllText(good, "kernel void k(global double* x) { generic double* p = x; p[get_global_id(0)] = sqrt(p[0]); }\n");
            var ok = RunClang(clang, profile, [good], Path.Combine(dir.FullName, "good"));
            Assert.True(ok.ExitCode == 0, ok.Output);
            var bad = RunClang(clang, profile, [undeclared], Path.Combine(dir.FullName, "undeclared"));
            Assert.NotEqual(0, bad.ExitCode);
            Assert.Contains("missing", bad.Output);
            bad = RunClang(clang, profile, [fp16], Path.Combine(dir.FullName, "fp16"));
            Assert.NotEqual(0, bad.ExitCode);
            Assert.Contains("cl_khr_fp16", bad.Output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The clang to use; when there is none, a skip, or a failure under CI.</summary>
    private static string RequireClang()
    {
        var clang = FindClang(out string searched);
        if (clang is not null) return clang;
        string reason = $"No clang >= 14 on PATH (tried {searched}); install one (Debian 12: apt-get install clang-14). .ci/run installs it.";
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))) Assert.Fail(reason);
        Skip.If(true, reason);
        return null!;
    }

    /// <summary>Generates each kernel's OpenCL C with ILGPU's OpenCL backend and writes it to dir/NAME.cl.</summary>
    internal static List<string> GenerateSources(Profile profile, IReadOnlyList<GpuKernelEntry> kernels, string dir)
    {
        using var context = Context.Create(b => b.EnableAlgorithms().Optimize(OptimizationLevel.O2));
        using var backend = new CLBackend(context, profile.Capabilities, CLDeviceVendor.Other, profile.Version);
        var files = new List<string>();
        foreach (var kernel in kernels)
        {
            var compiled = Assert.IsType<CLCompiledKernel>(backend.Compile(kernel.EntryPoint, new KernelSpecialization()));
            Assert.Contains("kernel void ", compiled.Source);
            var file = Path.Combine(dir, kernel.Name + ".cl");
            File.WriteAllText(file, compiled.Source);
            files.Add(file);
        }
        return files;
    }

    private static (int ExitCode, string Output) RunClang(string clang, Profile profile, string[] sources, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var psi = new ProcessStartInfo(clang) { WorkingDirectory = outDir, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in CommonClangArgs.Concat(profile.ClangArgs).Concat(sources)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            return (-1, "clang timed out after 5 minutes");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>The newest clang (major version 14 or later) on PATH, or null; <paramref name="searched"/> names what was tried.</summary>
    internal static string? FindClang(out string searched)
    {
        var names = Enumerable.Range(14, 6).Reverse().Select(v => $"clang-{v}").Append("clang").ToArray();
        searched = string.Join(", ", names);
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in names)
            foreach (var d in dirs)
            {
                var path = Path.Combine(d, name);
                if (File.Exists(path) && ClangMajor(path) >= 14) return path;
            }
        return null;
    }

    private static int ClangMajor(string path)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(path, "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit(10_000);
            var m = Regex.Match(text, @"clang version (\d+)");
            return m.Success ? int.Parse(m.Groups[1].Value) : 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 0;
        }
    }
}
