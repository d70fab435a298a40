using System.Buffers.Binary;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Runtime.CompilerServices;
using Xunit;

namespace NativeInfer.Tests.Kernels;

/// <summary>
/// Lint: every kernel method that contains a loop is compiled fully optimized at its first call.
/// <para>
/// Why: with .NET's default tiered compilation (QuickJitForLoops on, with on-stack replacement) a method containing a
/// loop starts as unoptimized tier-0 code and is only recompiled after 30 calls plus a background delay, so an app that
/// embeds NativeInfer ran its first tens to hundreds of model runs partly on tier-0 kernels (squeezenet, one thread:
/// about 3× slower). Our cli/ and bench/ switch QuickJitForLoops off, but library users do not get that setting, so
/// the library marks its loops itself: <c>[MethodImpl(MethodImplOptions.AggressiveOptimization)]</c>.
/// </para>
/// <para>
/// What counts as a loop: any branch in the method's IL (br, brtrue, beq…, leave, and every target of a switch) whose
/// target offset is at or before the branch instruction's own offset. The IL is decoded with an opcode table built by
/// reflection over <see cref="OpCodes"/>, so every operand size (including switch tables) is skipped exactly.
/// </para>
/// <para>
/// Scope: every method and constructor with a body in the kernels assembly, including compiler-generated ones:
/// lambdas and local functions take the attribute in source (C# 10 lambda attributes; the compiler puts the flag on
/// the generated method, which this test checks). Methods without any source line in the PDB (the compiler's
/// <c>&lt;PrivateImplementationDetails&gt;</c> helpers, synthesized record members) cannot carry it and are skipped.
/// Iterator and async methods cannot pass the attribute to their state machine's MoveNext: a loop there is reported
/// with the advice to move it into a plain method. In the engine assembly only the files of
/// <see cref="EngineHotPathFiles"/> are checked: the per-element paths of common CNN and transformer ops. Model
/// import, the optimizer and rarely used ops may start at tier 0.
/// </para>
/// <para>
/// <c>AggressiveInlining</c> does not exempt a method: tier-0 code inlines nothing, so a loop helper called from a
/// caller without a loop (which itself starts at tier 0) runs as its own tier-0 method, and an optimized caller may
/// still decline to inline it (size, exception handling). Such methods take both flags,
/// <c>MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization</c>; the JIT still inlines them
/// into optimized callers (checked with DOTNET_JitDisasm on .NET 10).
/// </para>
/// <para>
/// The lint sees loops only. A loop-free method that a kernel calls per tile or per row without inlining (a
/// dispatch switch, a NoInlining slow path) also starts at tier 0 and only tiers up after 30 calls and the
/// background delay; give it the attribute too when a JIT summary (DOTNET_JitStdOutFile + DOTNET_JitDisasmSummary=1)
/// shows it compiled at Tier0 and rejitted during the timed runs.
/// </para>
/// <para>
/// The cost: such methods skip tiering, so they get no dynamic PGO and see static readonly fields as loads rather
/// than constants; kernels dispatch on <c>IsSupported</c>/<c>IsHardwareAccelerated</c> intrinsics, which the JIT
/// folds at any optimized tier.
/// </para>
/// </summary>
public class TieringTests
{
    /// <summary>
    /// TEMPORARY allow-list: kernel files being edited by others while this lint lands (the elementwise fusion files;
    /// WindowConvolution's AggressiveInlining loop helpers RowsGemm.Tile and WindowPacker.CopyRow). Their loop
    /// methods still lack the attribute; remove each entry once its file is marked (the test fails when an entry has
    /// nothing left to excuse, so the list cannot go stale).
    /// </summary>
    private static readonly string[] TemporarilyAllowedKernelFiles =
    [
    ];

    /// <summary>
    /// Engine files on the hot path of common CNN and transformer ops whose own code loops over tensor elements
    /// (the rest of their work is in kernels/). Not listed, so free to start at tier 0: import-time and optimizer
    /// code, the executor's per-node loop (called once per run, so tiered up after 30 runs), image codecs, rare ops.
    /// </summary>
    internal static readonly string[] EngineHotPathFiles =
    [
        // elementwise (float SIMD path, generic loops for other types and broadcasting, Sum/Max/Min/Mean) and Cast
        "engine/Ops/Elementwise/FastElementwise.cs",
        "engine/Ops/Fused/FusedElementwise.cs",
        "engine/Ops/Elementwise/BroadcastLoop.cs",
        "engine/Ops/Elementwise/BroadcastPlan.cs",
        "engine/Ops/Elementwise/UnaryLoop.cs",
        "engine/Ops/Elementwise/VariadicOp.cs",
        "engine/Tensors/TensorConvert.cs",
        // convolution, fused activations, pooling, Gemm/MatMul glue
        "engine/Ops/Fused/FusedActivation.cs",
        "engine/Ops/Fused/FusedConv.cs",
        "engine/Ops/NN/ConvKernel.cs",
        "engine/Ops/NN/PoolDriver.cs",
        "engine/Ops/NN/GlobalPool.cs",
        "engine/Ops/NN/Gemm.cs",
        "engine/Ops/NN/MatMulKernel.cs",
        "engine/Ops/NN/StridedOffsets.cs",
        // normalization, softmax, reductions
        "engine/Ops/Reduce/BatchNormalization.cs",
        "engine/Ops/Reduce/ChannelNorm.cs",
        "engine/Ops/Reduce/LayerNormalization.cs",
        "engine/Ops/Reduce/RMSNormalization.cs",
        "engine/Ops/Reduce/LRN.cs",
        "engine/Ops/Reduce/Softmax.cs",
        "engine/Ops/Reduce/SoftmaxOpBase.cs",
        "engine/Ops/Reduce/LogSoftmax.cs",
        "engine/Ops/Reduce/ReduceDriver.cs",
        "engine/Ops/Reduce/ReducePlan.cs",
        "engine/Ops/Reduce/FloatReduce.cs",
        // copies: Concat, Split, Slice, Gather, Transpose, Pad, Tile, Expand
        "engine/Ops/TensorManip/TensorCopy.cs",
        "engine/Ops/TensorManip/IndexMath.cs",
        "engine/Ops/TensorManip/ElementOffsets.cs",
        "engine/Ops/TensorManip/Concat.cs",
        "engine/Ops/TensorManip/Split.cs",
        "engine/Ops/TensorManip/Slice.cs",
        "engine/Ops/TensorManip/Gather.cs",
        "engine/Ops/TensorManip/Transpose.cs",
        "engine/Ops/TensorManip/Pad.cs",
        "engine/Ops/TensorManip/Tile.cs",
        "engine/Ops/TensorManip/Expand.cs",
        // attention and its helpers, RotaryEmbedding, SwiGLU; Resize
        "engine/Ops/Transformer/Attention.cs",
        "engine/Ops/Transformer/AttentionMath.cs",
        "engine/Ops/Transformer/AttentionBias.cs",
        "engine/Ops/Transformer/FloatBuffers.cs",
        "engine/Ops/Transformer/Precision.cs",
        "engine/Ops/Transformer/RotaryEmbedding.cs",
        "engine/Ops/Transformer/SwiGLU.cs",
        "engine/Ops/Misc/ResizeKernel.cs",
    ];

    [Fact]
    public void KernelLoopMethodsCompileOptimizedAtFirstCall()
    {
        var assembly = typeof(NativeInfer.Kernels.Cpu.Sgemm).Assembly;
        var findings = LoopLint.Unoptimized(assembly, "kernels", _ => true);
        var excused = findings.Where(f => TemporarilyAllowedKernelFiles.Contains(f.File)).ToList();
        var failing = findings.Except(excused).ToList();
        Assert.True(failing.Count == 0, LoopLint.Describe(failing));
        var stale = TemporarilyAllowedKernelFiles.Where(file => !excused.Any(f => f.File == file)).ToList();
        Assert.True(stale.Count == 0,
            "These files are on the temporary allow-list but have no unmarked loop left; remove them from it: "
            + string.Join(", ", stale));
    }

    [Fact]
    public void EngineHotPathLoopMethodsCompileOptimizedAtFirstCall()
    {
        var assembly = typeof(NativeInfer.Tensors.Tensor).Assembly;
        var findings = LoopLint.Unoptimized(assembly, "engine", EngineHotPathFiles.Contains);
        Assert.True(findings.Count == 0, LoopLint.Describe(findings));
        // Every named file still exists and was seen (a rename must update the list, not silently shrink the lint).
        var seen = LoopLint.SourceFiles(assembly, "engine");
        var missing = EngineHotPathFiles.Where(f => !seen.Contains(f)).ToList();
        Assert.True(missing.Count == 0, "Hot-path files not found in the engine's PDB: " + string.Join(", ", missing));
    }

    [Fact]
    public void LintFlagsOnlyUnmarkedLoopsInSampleMethods()
    {
        var flagged = LoopLint.Unoptimized(typeof(TieringLintSamples).Assembly, "tests",
                f => f == "tests/Kernels/TieringTests.cs")
            .Where(f => IsSample(f.Method))
            .Select(f => f.Method.Name)
            .Order(StringComparer.Ordinal)
            .ToList();

        // Lambdas and local functions get compiler-made names that contain the name of their enclosing method.
        Assert.Equal(7, flagged.Count);
        Assert.Contains("MoveNext", flagged);   // Iterator's state machine
        Assert.Contains(nameof(TieringLintSamples.ForLoop), flagged);
        Assert.Contains(nameof(TieringLintSamples.BackwardGoto), flagged);
        Assert.Contains(nameof(TieringLintSamples.LoopAfterSwitch), flagged);
        Assert.Contains(nameof(TieringLintSamples.LongLoopBody), flagged);
        Assert.Contains(flagged, n => n.Contains(nameof(TieringLintSamples.LambdaWithLoop)) && n.Contains("b__"));
        Assert.Contains(flagged, n => n.Contains(nameof(TieringLintSamples.LocalFunctionWithLoop)) && n.Contains("g__"));

        static bool IsSample(MethodBase m)
        {
            for (var t = m.DeclaringType; t is not null; t = t.DeclaringType)
                if (t == typeof(TieringLintSamples)) return true;
            return false;
        }
    }

    [Fact]
    public void LintReportsIteratorLoopsAsStateMachines()
    {
        var findings = LoopLint.Unoptimized(typeof(TieringLintSamples).Assembly, "tests",
            f => f == "tests/Kernels/TieringTests.cs");
        var iterator = Assert.Single(findings, f => f.Method.DeclaringType!.Name.Contains(nameof(TieringLintSamples.Iterator)));
        Assert.True(iterator.StateMachine);
        Assert.Equal("MoveNext", iterator.Method.Name);
        Assert.Contains("state machine", LoopLint.Describe([iterator]));
    }

    [Fact]
    public void DetectorFindsBackwardBranchesInRawIl()
    {
        // br.s -2: jumps to itself.
        Assert.True(IlLoopDetector.HasBackwardBranch([0x2B, 0xFE]));
        // nop; br.s +0; ret: a forward branch (to the next instruction) only.
        Assert.False(IlLoopDetector.HasBackwardBranch([0x00, 0x2B, 0x00, 0x2A]));
        // nop; ldarg.0; brtrue -7 (long form, 4-byte operand): back to offset 0.
        Assert.True(IlLoopDetector.HasBackwardBranch([0x00, 0x02, 0x3A, 0xF9, 0xFF, 0xFF, 0xFF, 0x2A]));
        // ldarg 0 (two-byte opcode FE 09, 2-byte operand) then br.s -6 back to offset 0.
        Assert.True(IlLoopDetector.HasBackwardBranch([0xFE, 0x09, 0x00, 0x00, 0x2B, 0xFA]));
        // ldc.i8 whose 8 operand bytes look like a backward br.s: skipped as an operand, so no loop.
        Assert.False(IlLoopDetector.HasBackwardBranch([0x21, 0x2B, 0xFE, 0x2B, 0xFE, 0x2B, 0xFE, 0x2B, 0xFE, 0x2A]));
        // ldarg.0; switch (2 targets: +0, +1): forward; nop; ret.
        Assert.False(IlLoopDetector.HasBackwardBranch(
            [0x02, 0x45, 0x02, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0, 0, 0x00, 0x2A]));
        // ldarg.0; switch (1 target: -6, back to the switch itself at offset 1).
        Assert.True(IlLoopDetector.HasBackwardBranch([0x02, 0x45, 0x01, 0, 0, 0, 0xF7, 0xFF, 0xFF, 0xFF, 0x2A]));
        // leave.s -2 (a continue out of a try block is a leave backwards).
        Assert.True(IlLoopDetector.HasBackwardBranch([0xDE, 0xFE]));
    }

    [Fact]
    public void DetectorRejectsMalformedIl()
    {
        Assert.Throws<InvalidDataException>(() => IlLoopDetector.HasBackwardBranch([0x2B]));             // operand cut off
        Assert.Throws<InvalidDataException>(() => IlLoopDetector.HasBackwardBranch([0xFE]));             // prefix alone
        Assert.Throws<InvalidDataException>(() => IlLoopDetector.HasBackwardBranch([0xA6]));             // unassigned
        Assert.Throws<InvalidDataException>(() => IlLoopDetector.HasBackwardBranch([0x45, 0xFF, 0xFF, 0xFF, 0x7F])); // huge switch
    }
}

/// <summary>One method of an assembly that loops without the attribute, with its first source line.</summary>
internal sealed record LoopFinding(MethodBase Method, string File, int Line, bool StateMachine);

/// <summary>Applies <see cref="IlLoopDetector"/> to every method with source lines in an assembly.</summary>
internal static class LoopLint
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
        | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>
    /// Methods and constructors of <paramref name="assembly"/> whose source file (repository-relative, starting with
    /// <paramref name="projectFolder"/>/) passes <paramref name="inScope"/>, that contain a loop and are not
    /// <see cref="MethodImplAttributes.AggressiveOptimization"/>.
    /// </summary>
    public static List<LoopFinding> Unoptimized(Assembly assembly, string projectFolder, Func<string, bool> inScope)
    {
        using var pdb = SourceLines.Open(assembly, projectFolder);
        var findings = new List<LoopFinding>();
        foreach (var method in MethodsWithBodies(assembly))
        {
            if ((method.MethodImplementationFlags & MethodImplAttributes.AggressiveOptimization) != 0) continue;
            if (pdb.FirstLine(method) is not var (file, line) || !inScope(file)) continue;
            byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
            if (il is null || !IlLoopDetector.HasBackwardBranch(il)) continue;
            findings.Add(new LoopFinding(method, file, line, IsStateMachine(method.DeclaringType!)));
        }
        return findings.OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ToList();
    }

    /// <summary>Every source file (repository-relative) that some method of <paramref name="assembly"/> comes from.</summary>
    public static HashSet<string> SourceFiles(Assembly assembly, string projectFolder)
    {
        using var pdb = SourceLines.Open(assembly, projectFolder);
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (var method in MethodsWithBodies(assembly))
            if (pdb.FirstLine(method) is var (file, _)) files.Add(file);
        return files;
    }

    public static string Describe(IReadOnlyCollection<LoopFinding> findings)
    {
        if (findings.Count == 0) return "none";
        var lines = findings.Select(f =>
        {
            string where = $"{f.File}:{f.Line} {f.Method.DeclaringType!.FullName}.{f.Method.Name}"
                + $"({string.Join(", ", f.Method.GetParameters().Select(p => p.ParameterType.Name))})";
            return f.StateMachine
                ? where + " — loop in an iterator/async state machine, which the attribute cannot reach: move the loop into a plain method"
                : where;
        });
        return $"{findings.Count} methods contain a loop but lack [MethodImpl(MethodImplOptions.AggressiveOptimization)] "
            + "(so they run as unoptimized tier-0 code for their first calls):" + Environment.NewLine
            + string.Join(Environment.NewLine, lines);
    }

    private static IEnumerable<MethodBase> MethodsWithBodies(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())   // nested and compiler-generated types included
        {
            foreach (var method in type.GetMethods(Declared))
                if (method.GetMethodBody() is not null) yield return method;
            foreach (var ctor in type.GetConstructors(Declared))
                if (ctor.GetMethodBody() is not null) yield return ctor;
        }
    }

    private static bool IsStateMachine(Type type) =>
        type.IsDefined(typeof(CompilerGeneratedAttribute), false)
        && (typeof(IAsyncStateMachine).IsAssignableFrom(type) || typeof(System.Collections.IEnumerator).IsAssignableFrom(type));

    /// <summary>Maps a method to its first source line through the assembly's portable PDB.</summary>
    private sealed class SourceLines : IDisposable
    {
        private readonly MetadataReaderProvider _provider;
        private readonly MetadataReader _reader;
        private readonly Module _module;
        private readonly string _projectFolder;

        private SourceLines(MetadataReaderProvider provider, Module module, string projectFolder)
        {
            _provider = provider;
            _reader = provider.GetMetadataReader();
            _module = module;
            _projectFolder = projectFolder;
        }

        public static SourceLines Open(Assembly assembly, string projectFolder)
        {
            string pdbPath = Path.ChangeExtension(assembly.Location, ".pdb");
            if (!File.Exists(pdbPath))
                throw new InvalidOperationException($"The lint needs the portable PDB next to the assembly: {pdbPath} is missing.");
            var stream = File.OpenRead(pdbPath);
            return new SourceLines(MetadataReaderProvider.FromPortablePdbStream(stream), assembly.ManifestModule, projectFolder);
        }

        /// <summary>The method's file (from "<c>projectFolder/</c>" on, '/' separators) and first line; null without source lines.</summary>
        public (string File, int Line)? FirstLine(MethodBase method)
        {
            if (method.Module != _module) return null;
            var handle = (MethodDefinitionHandle)MetadataTokens.EntityHandle(method.MetadataToken);
            var info = _reader.GetMethodDebugInformation(handle.ToDebugInformationHandle());
            foreach (var point in info.GetSequencePoints())
            {
                if (point.IsHidden) continue;
                string path = _reader.GetString(_reader.GetDocument(point.Document).Name).Replace('\\', '/');
                int at = path.LastIndexOf("/" + _projectFolder + "/", StringComparison.Ordinal);
                string file = at < 0 ? path : path[(at + 1)..];
                return (file, point.StartLine);
            }
            return null;
        }

        public void Dispose() => _provider.Dispose();
    }
}

/// <summary>
/// Decodes a method body's IL and reports whether it has a backward branch (a loop): a branch whose target offset is
/// at or before the branch instruction's own offset.
/// </summary>
internal static class IlLoopDetector
{
    private static readonly OpCode?[] s_oneByte = new OpCode?[256];
    private static readonly OpCode?[] s_twoByte = new OpCode?[256];   // second byte of the 0xFE-prefixed opcodes

    static IlLoopDetector()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.GetValue(null) is not OpCode op) continue;
            ushort value = unchecked((ushort)op.Value);
            if (op.Size == 1 && value != 0xFE) s_oneByte[value] = op;
            else if (op.Size == 2 && value >> 8 == 0xFE) s_twoByte[value & 0xFF] = op;
        }
    }

    public static bool HasBackwardBranch(ReadOnlySpan<byte> il)
    {
        int pos = 0;
        while (pos < il.Length)
        {
            int start = pos;
            OpCode op;
            if (il[pos] == 0xFE)
            {
                if (pos + 1 >= il.Length) throw new InvalidDataException($"IL ends inside the two-byte opcode at {start}.");
                op = s_twoByte[il[pos + 1]] ?? throw Unknown(il, start, 2);
                pos += 2;
            }
            else
            {
                op = s_oneByte[il[pos]] ?? throw Unknown(il, start, 1);
                pos += 1;
            }

            int operand = OperandBytes(op.OperandType, il, pos, start);
            if (operand > il.Length - pos)
                throw new InvalidDataException($"IL ends inside the operand of {op.Name} at {start}.");
            long next = pos + operand;
            switch (op.OperandType)
            {
                case OperandType.ShortInlineBrTarget:
                    if (next + (sbyte)il[pos] <= start) return true;
                    break;
                case OperandType.InlineBrTarget:
                    if (next + BinaryPrimitives.ReadInt32LittleEndian(il[pos..]) <= start) return true;
                    break;
                case OperandType.InlineSwitch:
                    for (int t = pos + 4; t < next; t += 4)   // targets are relative to the end of the switch
                        if (next + BinaryPrimitives.ReadInt32LittleEndian(il[t..]) <= start) return true;
                    break;
            }
            pos = (int)next;
        }
        return false;
    }

    private static int OperandBytes(OperandType type, ReadOnlySpan<byte> il, int pos, int start)
    {
        switch (type)
        {
            case OperandType.InlineNone:
                return 0;
            case OperandType.ShortInlineBrTarget:
            case OperandType.ShortInlineI:
            case OperandType.ShortInlineVar:
                return 1;
            case OperandType.InlineVar:
                return 2;
            case OperandType.InlineBrTarget:
            case OperandType.InlineField:
            case OperandType.InlineI:
            case OperandType.InlineMethod:
            case OperandType.InlineSig:
            case OperandType.InlineString:
            case OperandType.InlineTok:
            case OperandType.InlineType:
            case OperandType.ShortInlineR:
                return 4;
            case OperandType.InlineI8:
            case OperandType.InlineR:
                return 8;
            case OperandType.InlineSwitch:
                if (il.Length - pos < 4) throw new InvalidDataException($"IL ends inside the switch at {start}.");
                uint count = BinaryPrimitives.ReadUInt32LittleEndian(il[pos..]);
                if (count > (uint)(il.Length - pos - 4) / 4)
                    throw new InvalidDataException($"The switch at {start} has {count} targets, more than the IL holds.");
                return 4 + 4 * (int)count;
            default:
                throw new InvalidDataException($"Operand type {type} at {start} is not valid in a method body.");
        }
    }

    private static InvalidDataException Unknown(ReadOnlySpan<byte> il, int start, int size) =>
        new($"Unknown opcode 0x{Convert.ToHexString(il.Slice(start, size))} at IL offset {start}.");
}

/// <summary>
/// Test-only methods for <see cref="TieringTests"/>: the lint must flag exactly the unmarked loops here (ForLoop,
/// BackwardGoto, LoopAfterSwitch, LongLoopBody, the lambda in LambdaWithLoop, the local function in
/// LocalFunctionWithLoop, and Iterator's state machine), not the marked ones nor the loop-free ones.
/// </summary>
internal static class TieringLintSamples
{
    public static int ForLoop(int[] a)
    {
        int s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i];
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int MarkedWhileLoop(int n)
    {
        int s = 0;
        while (n > 0) s += n--;
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static int MarkedInlinedLoop(int n)
    {
        int s = 0;
        do s += n; while (--n > 0);
        return s;
    }

    public static int NoLoop(int a, int b) => a > b ? a - b : b - a;

    public static int SwitchOnly(int k)
    {
        switch (k)
        {
            case 0: return 10;
            case 1: return 11;
            case 2: return 12;
            case 3: return 13;
            default: return -1;
        }
    }

    public static int BackwardGoto(int n)
    {
        int s = 0;
    again:
        s += n;
        if (--n > 0) goto again;
        return s;
    }

    /// <summary>A loop after a switch: found only when the switch's operand table is skipped correctly.</summary>
    public static int LoopAfterSwitch(int k, int n)
    {
        int s = k switch { 0 => 5, 1 => 7, 2 => 9, 3 => 11, _ => 0 };
        for (int i = 0; i < n; i++) s ^= i;
        return s;
    }

    /// <summary>A loop body over 127 bytes of IL, so the back edge is a long-form branch.</summary>
    public static long LongLoopBody(long[] a)
    {
        long s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * 3 + (a[i] >> 1) - (a[i] << 2) + a[i] / 7 + a[i] % 5;
            s ^= a[i] * 11 + (a[i] >> 3) - (a[i] << 4) + a[i] / 13 + a[i] % 17;
            s -= a[i] * 19 + (a[i] >> 5) - (a[i] << 6) + a[i] / 23 + a[i] % 29;
            s += a[i] * 31 + (a[i] >> 7) - (a[i] << 8) + a[i] / 37 + a[i] % 41;
            s ^= a[i] * 43 + (a[i] >> 9) - (a[i] << 10) + a[i] / 47 + a[i] % 53;
        }
        return s;
    }

    public static Func<int[], int> LambdaWithLoop() => a =>
    {
        int s = 0;
        foreach (int v in a) s += v;
        return s;
    };

    public static Func<int[], int> MarkedLambdaWithLoop() => [MethodImpl(MethodImplOptions.AggressiveOptimization)] (a) =>
    {
        int s = 0;
        foreach (int v in a) s += v;
        return s;
    };

    public static int LocalFunctionWithLoop(int n)
    {
        return Sum(n) + MarkedSum(n);

        static int Sum(int n)
        {
            int s = 0;
            for (int i = 0; i < n; i++) s += i;
            return s;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        static int MarkedSum(int n)
        {
            int s = 0;
            for (int i = 0; i < n; i++) s += i;
            return s;
        }
    }

    public static IEnumerable<int> Iterator(int n)
    {
        for (int i = 0; i < n; i++) yield return i;
    }
}
