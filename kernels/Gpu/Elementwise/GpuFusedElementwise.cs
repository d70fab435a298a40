using ILGPU;
using ILGPU.Runtime;
using NativeInfer.Kernels.Gpu.Runtime;

namespace NativeInfer.Kernels.Gpu.Elementwise;

/// <summary>
/// The GPU interpreter of fused elementwise chains: one thread per output element loads its inputs (each
/// <c>X[(i / Inner) % Span]</c>, see <see cref="FusedLayout"/>), runs the <see cref="GpuFusedProgram"/> over a small
/// register file in local memory and stores the result, so intermediates never touch global memory.
/// </summary>
public static class GpuFusedElementwise
{
    /// <summary>Most inputs one fused node may have on the GPU.</summary>
    public const int MaxInputs = 8;

    private static readonly object s_key = new();

    /// <summary>
    /// Runs a program whose code and immediates are on the device. <paramref name="inputs"/> has
    /// <see cref="GpuFusedProgram.InputCount"/> views; y has the output's length.
    /// </summary>
    public static void Run(GpuDevice device, AcceleratorStream stream, ReadOnlySpan<ArrayView<float>> inputs, in FusedLayout layout,
        ArrayView<float> y, ArrayView<int> code, ArrayView<float> immediates, int instructions)
    {
        if (inputs.Length > MaxInputs) throw new ArgumentException($"At most {MaxInputs} inputs.", nameof(inputs));
        if (y.Length == 0) return;
        var kernel = device.Kernel(s_key, acc => acc.LoadAutoGroupedKernel<Index1D,
            ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
            ArrayView<float>, ArrayView<int>, ArrayView<float>, FusedLayout, int>(Kernel));
        ArrayView<float> X(ReadOnlySpan<ArrayView<float>> v, int k, ArrayView<float> fallback) => k < v.Length ? v[k] : fallback;
        kernel(stream, (int)y.Length, X(inputs, 0, y), X(inputs, 1, y), X(inputs, 2, y), X(inputs, 3, y), X(inputs, 4, y), X(inputs, 5, y),
            X(inputs, 6, y), X(inputs, 7, y), y, code, immediates, layout, instructions * 16 + inputs.Length);
    }

    /// <summary>
    /// <paramref name="shape"/> packs the instruction count (×16) and the input count (low 4 bits), so the kernel keeps
    /// within the loaders' parameter limit.
    /// </summary>
    internal static void Kernel(Index1D i,
        ArrayView<float> x0, ArrayView<float> x1, ArrayView<float> x2, ArrayView<float> x3,
        ArrayView<float> x4, ArrayView<float> x5, ArrayView<float> x6, ArrayView<float> x7,
        ArrayView<float> y, ArrayView<int> code, ArrayView<float> imm, FusedLayout l, int shape)
    {
        int inputs = shape & 15, count = shape >> 4;
        float v0 = inputs > 0 ? x0[i / l.Inner0 % l.Span0] : 0f;
        float v1 = inputs > 1 ? x1[i / l.Inner1 % l.Span1] : 0f;
        float v2 = inputs > 2 ? x2[i / l.Inner2 % l.Span2] : 0f;
        float v3 = inputs > 3 ? x3[i / l.Inner3 % l.Span3] : 0f;
        float v4 = inputs > 4 ? x4[i / l.Inner4 % l.Span4] : 0f;
        float v5 = inputs > 5 ? x5[i / l.Inner5 % l.Span5] : 0f;
        float v6 = inputs > 6 ? x6[i / l.Inner6 % l.Span6] : 0f;
        float v7 = inputs > 7 ? x7[i / l.Inner7 % l.Span7] : 0f;
        var regs = LocalMemory.Allocate<float>(GpuFusedProgram.MaxRegisters);
        float result = 0f;
        for (int pc = 0; pc < count; pc++)
        {
            int at = pc * GpuFusedProgram.Stride;
            int op = code[at];
            float a = Fetch(code[at + 1], v0, v1, v2, v3, v4, v5, v6, v7, regs, imm);
            float b = Fetch(code[at + 2], v0, v1, v2, v3, v4, v5, v6, v7, regs, imm);
            float c = Fetch(code[at + 3], v0, v1, v2, v3, v4, v5, v6, v7, regs, imm);
            float p0 = Fetch(code[at + 4], v0, v1, v2, v3, v4, v5, v6, v7, regs, imm);
            float p1 = Fetch(code[at + 5], v0, v1, v2, v3, v4, v5, v6, v7, regs, imm);
            if (op == GpuOpCode.Affine) result = a * b + c;
            else if (op < GpuOpCode.Relu) result = GpuMath.Binary(op, a, b);
            else result = GpuMath.Unary(op, a, p0, p1);
            regs[code[at + 6]] = result;
        }
        y[i] = result;
    }

    private static float Fetch(int r, float v0, float v1, float v2, float v3, float v4, float v5, float v6, float v7,
        ArrayView<float> regs, ArrayView<float> imm)
    {
        if (r < 0) return imm[-r - 1];
        if (r >= GpuFusedProgram.RegisterBase) return regs[r - GpuFusedProgram.RegisterBase];
        switch (r)
        {
            case 0: return v0;
            case 1: return v1;
            case 2: return v2;
            case 3: return v3;
            case 4: return v4;
            case 5: return v5;
            case 6: return v6;
            default: return v7;
        }
    }

    /// <summary>The kernel method, for offline compilation checks.</summary>
    public static System.Reflection.MethodInfo KernelMethod => typeof(GpuFusedElementwise).GetMethod(nameof(Kernel),
        System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
}
