using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu.Elementwise;

/// <summary>
/// Runs a <see cref="FusedProgram"/> over n output elements, one block at a time: each instruction sweeps the block
/// through the SIMD loops the unfused ops use (<see cref="UnaryKernel"/>, <see cref="BinaryKernel"/>) from and into a
/// register file of blocks on the stack, so intermediates never reach memory; the last instruction writes the output.
/// <para>
/// The output is cut into rows that no input's broadcast pattern changes within (a per-channel input's rows are H·W
/// long) and evaluated in blocks of up to 1024 elements (fewer when the program needs many registers: the register file
/// stays within 32 KiB). Long rows are cut into blocks, and a broadcast input is then a contiguous stream or one scalar
/// per block; rows shorter than 128 are taken several per block, their broadcast inputs expanded into registers first.
/// Large outputs are split across <see cref="KernelParallelism"/> in chunks as the other elementwise loops are.
/// </para>
/// </summary>
[SkipLocalsInit]
public static unsafe class FusedEvaluator
{
    /// <summary>
    /// output[i] = program(inputs at i) for i &lt; n. Every input must hold at least Span elements, Inner·Span must
    /// divide n, and the periods must nest (as they do for operands from <see cref="FusedOperand.TryDescribe"/> against
    /// one output shape); <paramref name="output"/> (n elements) must not overlap an input.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void Run(FusedProgram program, ReadOnlySpan<FusedOperand> inputs, float* output, int n)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (inputs.Length != program.InputCount)
            throw new ArgumentException($"The program reads {program.InputCount} inputs, got {inputs.Length}.", nameof(inputs));
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n));
        if (n == 0) return;
        long row = n;
        foreach (var x in inputs)
        {
            long period = (long)x.Inner * x.Span;
            if (n % period != 0)
                throw new ArgumentException($"An input with Inner {x.Inner} and Span {x.Span} does not tile {n} elements.", nameof(inputs));
            if (x.Span == 1) continue;
            row = Math.Min(row, x.Inner == 1 ? x.Span : x.Inner);
        }
        // Rows must nest: a stream may not wrap and a per-row value may not change inside a row (always so for
        // operands described from real shapes, whose periods are all suffix products of the output's dims).
        foreach (var x in inputs)
            if (x.Span > 1 && (x.Inner == 1 ? x.Span : x.Inner) % row != 0)
                throw new ArgumentException($"Input periods do not nest: Inner {x.Inner}, Span {x.Span} against rows of {row}.", nameof(inputs));
        fixed (FusedOperand* ops = inputs)
        {
            // Work counted in elements per two instructions: a two-instruction program (BatchNormalization + Relu) is
            // split as one unfused elementwise op would be, longer programs earlier.
            long work = (long)n * ((program.Length + 1) / 2);
            var body = new Body(program, ops, output, n, (int)row, ElementwiseParallel.ChunkCount(work));
            if (body.Chunks == 1) body.Invoke(0);
            else KernelParallelism.For(0, body.Chunks, ref body);
        }
    }

    private readonly struct Body(FusedProgram program, FusedOperand* inputs, float* output, int n, int row, int chunks) : IParallelBody
    {
        public int Chunks => chunks;

        public void Invoke(int c)
        {
            var (start, length) = ElementwiseParallel.ChunkRange(c, chunks, n);
            Evaluate(program, inputs, output, n, start, start + length, row);
        }
    }

    /// <summary>An operand within one block: a stream (P not null) or a scalar V.</summary>
    private readonly struct Operand(float* p, float v)
    {
        public readonly float* P = p;
        public readonly float V = v;
        public bool IsScalar => P == null;
    }

    /// <summary>
    /// Rows shorter than this are evaluated several per block, their broadcast inputs expanded into block registers:
    /// per-row dispatch would cost more than the expansion (a per-channel input over 7×7 or 14×14 planes).
    /// </summary>
    private const int ShortRow = 128;

    /// <summary>Register file bytes per evaluation (stack), well inside L1.</summary>
    private const int RegisterFileFloats = 8 * 1024;

    // Fully optimized from the first call: a method with stackalloc cannot be patched by on-stack replacement, so at
    // tier 0 every block would run unoptimized until the background rejit lands.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Evaluate(FusedProgram program, FusedOperand* inputs, float* output, int n, int start, int end, int row)
    {
        int count = program.InputCount, broadcast = 0;
        for (int k = 0; k < count; k++)
            if (inputs[k].Span > 1 && !(inputs[k].Inner == 1 && inputs[k].Span == n)) broadcast++;
        bool expand = broadcast > 0 && row < ShortRow;
        int registers = program.Registers + (expand ? broadcast : 0);
        int block = Math.Clamp(RegisterFileFloats / Math.Max(1, registers) / 16 * 16, 64, 1024);
        int stride = block + Slack;
        float* file = stackalloc float[registers * stride];
        Operand* resolved = stackalloc Operand[Math.Max(1, count)];
        // Per-row mode walks each broadcast input's position incrementally (index into Data, elements left before it
        // changes), so a block costs no division.
        int* index = stackalloc int[Math.Max(1, count)];
        int* left = stackalloc int[Math.Max(1, count)];
        for (int k = 0; k < count; k++)
        {
            var x = inputs[k];
            index[k] = x.Inner == 1 ? start % x.Span : start / x.Inner % x.Span;
            left[k] = x.Inner == 1 ? x.Span - index[k] : x.Inner - start % x.Inner;
        }
        var code = program.Code;
        int pos = start, rowLeft = row - start % row;
        while (pos < end)
        {
            int len = Math.Min(block, end - pos);
            if (!expand) len = Math.Min(len, rowLeft);
            int slot = program.Registers;
            for (int k = 0; k < count; k++)
            {
                var x = inputs[k];
                if (x.Span == 1) resolved[k] = new Operand(null, x.Data[0]);
                else if (x.Inner == 1 && x.Span == n) resolved[k] = new Operand(x.Data + pos, 0);
                else if (expand)
                {
                    float* dst = file + slot++ * stride;
                    Expand(x, pos, len, dst);
                    resolved[k] = new Operand(dst, 0);
                }
                else
                {
                    resolved[k] = x.Inner == 1 ? new Operand(x.Data + index[k], 0) : new Operand(null, x.Data[index[k]]);
                    // A block never crosses a change of x (rows nest), so it ends at one at the latest.
                    if ((left[k] -= len) == 0)
                    {
                        if (x.Inner == 1) (index[k], left[k]) = (0, x.Span);
                        else
                        {
                            left[k] = x.Inner;
                            if (++index[k] == x.Span) index[k] = 0;
                        }
                    }
                    else if (x.Inner == 1) index[k] += len;
                }
            }
            if ((rowLeft -= len) <= 0) rowLeft = row;
            for (int i = 0; i < code.Length; i++)
            {
                ref readonly var ins = ref code[i];
                float* dst = ins.Dst < 0 ? output + pos : file + ins.Dst * stride;
                Execute(in ins, Get(ins.A, resolved, file, stride), Get(ins.B, resolved, file, stride), Get(ins.C, resolved, file, stride), dst, len);
            }
            pos += len;
        }
    }

    /// <summary>
    /// The values of broadcast input x at [pos, pos + len) into <paramref name="dst"/>, run by run. Runs of one value
    /// are written with whole vectors that may overrun the run (the next run overwrites the excess; the register has
    /// <see cref="Slack"/> floats after the block for the last one), so a short run costs a few stores and no call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Expand(FusedOperand x, int pos, int len, float* dst)
    {
        int end = pos + len;
        if (x.Inner == 1)
        {
            // Periodic (a vector along the last axes): copy runs of the period.
            for (int p = pos; p < end;)
            {
                int offset = p % x.Span, run = Math.Min(x.Span - offset, end - p);
                Buffer.MemoryCopy(x.Data + offset, dst + (p - pos), (long)run * sizeof(float), (long)run * sizeof(float));
                p += run;
            }
            return;
        }
        int j = pos / x.Inner % x.Span, left = x.Inner - pos % x.Inner;
        float* d = dst, stop = dst + len;
        while (d < stop)
        {
            float* runEnd = d + Math.Min(left, (int)(stop - d));
            float v = x.Data[j];
            if (Vector512.IsHardwareAccelerated)
            {
                var vv = Vector512.Create(v);
                for (; d < runEnd; d += 16) vv.Store(d);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                var vv = Vector256.Create(v);
                for (; d < runEnd; d += 8) vv.Store(d);
            }
            else
            {
                var vv = Vector128.Create(v);
                for (; d < runEnd; d += 4) vv.Store(d);
            }
            d = runEnd;
            left = x.Inner;
            if (++j == x.Span) j = 0;
        }
    }

    /// <summary>Floats after each register's block that an expansion's last vector may overrun.</summary>
    private const int Slack = 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Operand Get(Source s, Operand* inputs, float* file, int stride) => s.Kind switch
    {
        SourceKind.Register => new Operand(file + s.Index * stride, 0),
        SourceKind.Input => inputs[s.Index],
        _ => new Operand(null, s.Value),
    };

    private static void Execute(in Instruction ins, Operand a, Operand b, Operand c, float* dst, int len)
    {
        switch (ins.Op)
        {
            case FusedOpCode.Add: Binary(a, b, dst, len, default(AddOperator<float>)); break;
            case FusedOpCode.Sub: Binary(a, b, dst, len, default(SubtractOperator<float>)); break;
            case FusedOpCode.Mul: Binary(a, b, dst, len, default(MultiplyOperator<float>)); break;
            case FusedOpCode.Div: Binary(a, b, dst, len, default(DivideOperator<float>)); break;
            case FusedOpCode.Max: Binary(a, b, dst, len, default(MaxOperator<float>)); break;
            case FusedOpCode.Min: Binary(a, b, dst, len, default(MinOperator<float>)); break;
            case FusedOpCode.PRelu: Binary(a, b, dst, len, default(PReluOperator<float>)); break;
            case FusedOpCode.Affine: Affine(a, b, c, dst, len); break;
            case FusedOpCode.Relu: Unary(a, dst, len, default(ReluOperator)); break;
            case FusedOpCode.LeakyRelu: Unary(a, dst, len, new LeakyReluOperator(ins.P0)); break;
            case FusedOpCode.Elu: Unary(a, dst, len, new FusedEluOperator(ins.P0)); break;
            case FusedOpCode.Selu: Unary(a, dst, len, new FusedSeluOperator(ins.P0, ins.P1)); break;
            case FusedOpCode.Sigmoid: Unary(a, dst, len, default(VectorMath.SigmoidOperator)); break;
            case FusedOpCode.HardSigmoid: Unary(a, dst, len, new HardSigmoidOperator(ins.P0, ins.P1)); break;
            case FusedOpCode.HardSwish: Unary(a, dst, len, default(HardSwishOperator)); break;
            case FusedOpCode.Tanh: Unary(a, dst, len, default(VectorMath.TanhOperator)); break;
            case FusedOpCode.Exp: Unary(a, dst, len, default(VectorMath.ExpOperator)); break;
            case FusedOpCode.Log: Unary(a, dst, len, default(VectorMath.LogOperator)); break;
            case FusedOpCode.Abs: Unary(a, dst, len, default(FusedAbsOperator)); break;
            case FusedOpCode.Neg: Unary(a, dst, len, default(FusedNegOperator)); break;
            case FusedOpCode.Sqrt: Unary(a, dst, len, default(SqrtOperator)); break;
            case FusedOpCode.Reciprocal: Unary(a, dst, len, default(FusedReciprocalOperator)); break;
            case FusedOpCode.Floor: Unary(a, dst, len, default(FusedFloorOperator)); break;
            case FusedOpCode.Ceil: Unary(a, dst, len, default(FusedCeilOperator)); break;
            case FusedOpCode.Erf: Unary(a, dst, len, default(VectorMath.ErfOperator)); break;
            case FusedOpCode.Softplus: Unary(a, dst, len, default(VectorMath.SoftplusOperator)); break;
            case FusedOpCode.Clip: Unary(a, dst, len, new ClipOperator(ins.P0, ins.P1)); break;
            case FusedOpCode.Gelu: Unary(a, dst, len, default(VectorMath.GeluOperator)); break;
            case FusedOpCode.GeluTanh: Unary(a, dst, len, default(VectorMath.GeluTanhOperator)); break;
            case FusedOpCode.Mish: Unary(a, dst, len, default(MishOperator)); break;
            case FusedOpCode.Pow:
                if (ins.P0 == 2f) Unary(a, dst, len, default(FusedSquareOperator));
                else if (ins.P0 == 3f) Unary(a, dst, len, default(FusedCubeOperator));
                else if (ins.P0 == 0.5f) Unary(a, dst, len, default(FusedSqrtPowOperator));
                else Unary(a, dst, len, default(FusedReciprocalOperator));
                break;
            default: throw new InvalidOperationException($"Fused opcode {ins.Op} has no kernel.");
        }
    }

    private static void Unary<TOp>(Operand a, float* dst, int len, TOp op) where TOp : struct, IUnaryOperator
    {
        if (a.IsScalar) new Span<float>(dst, len).Fill(op.Invoke(Vector128.Create(a.V)).ToScalar());
        else UnaryKernel.Map(new ReadOnlySpan<float>(a.P, len), new Span<float>(dst, len), op);
    }

    private static void Binary<TOp>(Operand a, Operand b, float* dst, int len, TOp op) where TOp : struct, IBinaryOperator<float>
    {
        var d = new Span<float>(dst, len);
        if (!a.IsScalar && !b.IsScalar) BinaryKernel.Map(new ReadOnlySpan<float>(a.P, len), new ReadOnlySpan<float>(b.P, len), d, op);
        else if (!a.IsScalar) BinaryKernel.MapScalarRight(new ReadOnlySpan<float>(a.P, len), b.V, d, op);
        else if (!b.IsScalar) BinaryKernel.MapScalarLeft(a.V, new ReadOnlySpan<float>(b.P, len), d, op);
        else d.Fill(op.Invoke(a.V, b.V));
    }

    private static void Affine(Operand a, Operand b, Operand c, float* dst, int len)
    {
        // The per-channel forms (a stream, b and c per-block scalars or expanded streams: BatchNormalization) get loops
        // of their own; the rest share one that tests each source.
        if (!a.IsScalar && b.IsScalar && c.IsScalar) Affine(new Pointer(a.P), new Splat(b.V), new Splat(c.V), dst, len);
        else if (!a.IsScalar && !b.IsScalar && !c.IsScalar) Affine(new Pointer(a.P), new Pointer(b.P), new Pointer(c.P), dst, len);
        else if (a.IsScalar && b.IsScalar && c.IsScalar)
            new Span<float>(dst, len).Fill(Vector128.MultiplyAddEstimate(Vector128.Create(a.V), Vector128.Create(b.V), Vector128.Create(c.V)).ToScalar());
        else Affine(Source(a), Source(b), Source(c), dst, len);
    }

    private static Stream Source(Operand o)
    {
        if (!o.IsScalar) return new Stream(o.P);
        return new Stream(null, o.V);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Affine<TA, TB, TC>(TA a, TB b, TC c, float* dst, int len)
        where TA : struct, ISource where TB : struct, ISource where TC : struct, ISource
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && len >= 16)
        {
            var last = Vector512.MultiplyAddEstimate(a.Load512(len - 16), b.Load512(len - 16), c.Load512(len - 16));
            for (; i < len - 16; i += 16)
                Vector512.MultiplyAddEstimate(a.Load512(i), b.Load512(i), c.Load512(i)).Store(dst + i);
            last.Store(dst + len - 16);
            return;
        }
        if (Vector256.IsHardwareAccelerated && len >= 8)
        {
            var last = Vector256.MultiplyAddEstimate(a.Load256(len - 8), b.Load256(len - 8), c.Load256(len - 8));
            for (; i < len - 8; i += 8)
                Vector256.MultiplyAddEstimate(a.Load256(i), b.Load256(i), c.Load256(i)).Store(dst + i);
            last.Store(dst + len - 8);
            return;
        }
        if (len >= 4)
        {
            var last = Vector128.MultiplyAddEstimate(a.Load128(len - 4), b.Load128(len - 4), c.Load128(len - 4));
            for (; i < len - 4; i += 4)
                Vector128.MultiplyAddEstimate(a.Load128(i), b.Load128(i), c.Load128(i)).Store(dst + i);
            last.Store(dst + len - 4);
            return;
        }
        for (; i < len; i++)
            dst[i] = Vector128.MultiplyAddEstimate(Vector128.CreateScalar(a.Load1(i)), Vector128.CreateScalar(b.Load1(i)), Vector128.CreateScalar(c.Load1(i))).ToScalar();
    }

    private interface ISource
    {
        Vector512<float> Load512(int i);
        Vector256<float> Load256(int i);
        Vector128<float> Load128(int i);
        float Load1(int i);
    }

    /// <summary>A contiguous operand, or a broadcast scalar when P is null (the general, branching form).</summary>
    private readonly struct Stream(float* p, float v = 0) : ISource
    {
        public Vector512<float> Load512(int i) => p != null ? Vector512.Load(p + i) : Vector512.Create(v);
        public Vector256<float> Load256(int i) => p != null ? Vector256.Load(p + i) : Vector256.Create(v);
        public Vector128<float> Load128(int i) => p != null ? Vector128.Load(p + i) : Vector128.Create(v);
        public float Load1(int i) => p != null ? p[i] : v;
    }

    private readonly struct Pointer(float* p) : ISource
    {
        public Vector512<float> Load512(int i) => Vector512.Load(p + i);
        public Vector256<float> Load256(int i) => Vector256.Load(p + i);
        public Vector128<float> Load128(int i) => Vector128.Load(p + i);
        public float Load1(int i) => p[i];
    }

    private readonly struct Splat(float v) : ISource
    {
        public Vector512<float> Load512(int i) => Vector512.Create(v);
        public Vector256<float> Load256(int i) => Vector256.Create(v);
        public Vector128<float> Load128(int i) => Vector128.Create(v);
        public float Load1(int i) => v;
    }
}
