using System.Globalization;
using System.Text;

namespace NativeInfer.Kernels.Cpu.Elementwise;

/// <summary>
/// A float32 elementwise expression compiled for <see cref="FusedEvaluator"/>: straight-line instructions over a small
/// register file of blocks, so intermediates stay in L1 and never reach memory.
/// <para>
/// Source form (what <see cref="Create"/> reads, and what the <c>ai.nativeinfer:FusedElementwise</c> node stores): value
/// numbers in SSA order. Values 0..inputs-1 are the inputs; instruction i defines value inputs + i; the last
/// instruction's value is the result. Each instruction has three operand slots; a slot holds a value number, or a
/// negative number -(k + 1) naming <c>immediates[k]</c>. Slots beyond the opcode's operands and parameters are ignored.
/// </para>
/// </summary>
public sealed class FusedProgram
{
    /// <summary>Most inputs a program may read.</summary>
    public const int MaxInputs = 16;

    /// <summary>Most instructions in one program.</summary>
    public const int MaxInstructions = 128;

    private readonly FusedOpCode[] _opcodes;
    private readonly int[] _operands;
    private readonly float[] _immediates;

    private FusedProgram(int inputs, FusedOpCode[] opcodes, int[] operands, float[] immediates, Instruction[] code, int registers)
    {
        InputCount = inputs;
        _opcodes = opcodes;
        _operands = operands;
        _immediates = immediates;
        Code = code;
        Registers = registers;
    }

    /// <summary>How many inputs the program reads (value numbers 0..InputCount-1).</summary>
    public int InputCount { get; }

    /// <summary>Number of instructions.</summary>
    public int Length => Code.Length;

    /// <summary>Block registers the evaluator needs (the last instruction writes the output directly).</summary>
    public int Registers { get; }

    internal Instruction[] Code { get; }

    /// <summary>The opcode of instruction <paramref name="i"/>.</summary>
    public FusedOpCode OpCode(int i) => _opcodes[i];

    /// <summary>
    /// Validates and compiles a program in source form; throws <see cref="ArgumentException"/> naming the first problem
    /// (unknown opcode, a reference to a later value, a parameter that is not an immediate, an unsupported exponent).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static FusedProgram Create(int inputCount, ReadOnlySpan<long> opcodes, ReadOnlySpan<long> operands, ReadOnlySpan<float> immediates)
    {
        int n = opcodes.Length;
        if (inputCount < 0 || inputCount > MaxInputs)
            throw new ArgumentException($"A fused program reads 0..{MaxInputs} inputs, got {inputCount}.");
        if (n < 1 || n > MaxInstructions)
            throw new ArgumentException($"A fused program has 1..{MaxInstructions} instructions, got {n}.");
        if (operands.Length != 3 * n)
            throw new ArgumentException($"A fused program of {n} instructions needs {3 * n} operand slots, got {operands.Length}.");
        var ops = new FusedOpCode[n];
        var slots = new int[3 * n];
        var useCount = new int[n];
        var lastUse = new int[n];
        Array.Fill(lastUse, -1);
        for (int i = 0; i < n; i++)
        {
            var op = (FusedOpCode)opcodes[i];
            int arity = opcodes[i] is > 0 and < 1000 ? FusedOps.Operands(op) : 0;
            if (arity == 0) throw new ArgumentException($"Instruction {i}: unknown opcode {opcodes[i]}.");
            ops[i] = op;
            int used = arity + FusedOps.Parameters(op);
            for (int s = 0; s < used; s++)
            {
                long r = operands[3 * i + s];
                if (r < -immediates.Length || r >= inputCount + i)
                    throw new ArgumentException($"Instruction {i} ({op}): operand {s} refers to {r}, outside the immediates "
                        + $"(-{immediates.Length}..-1) and the values defined before it (0..{inputCount + i - 1}).");
                if (s >= arity && r >= 0)
                    throw new ArgumentException($"Instruction {i} ({op}): parameter {s - arity} must be an immediate.");
                slots[3 * i + s] = (int)r;
                if (r >= inputCount)
                {
                    useCount[r - inputCount]++;
                    lastUse[r - inputCount] = i;
                }
            }
            if (op == FusedOpCode.Pow && !FusedOps.IsSupportedExponent(immediates[-slots[3 * i + 1] - 1]))
                throw new ArgumentException($"Instruction {i}: Pow exponent {immediates[-slots[3 * i + 1] - 1]} is not supported.");
        }

        // Register allocation: a value's register is free again after its last reader, so an instruction may write the
        // register of an operand it reads last (the evaluator's loops are safe in place).
        var imms = immediates.ToArray();
        var code = new Instruction[n];
        var register = new int[n];
        var free = new SortedSet<int>();
        int registers = 0;
        for (int i = 0; i < n; i++)
        {
            var ins = new Instruction { Op = ops[i] };
            Source Resolve(int r)
            {
                if (r < 0) return new Source(SourceKind.Immediate, 0, imms[-r - 1]);
                if (r < inputCount) return new Source(SourceKind.Input, r, 0);
                return new Source(SourceKind.Register, register[r - inputCount], 0);
            }
            int arity = FusedOps.Operands(ops[i]);
            ins.A = Resolve(slots[3 * i]);
            if (arity > 1) ins.B = Resolve(slots[3 * i + 1]);
            if (arity > 2) ins.C = Resolve(slots[3 * i + 2]);
            int parameters = FusedOps.Parameters(ops[i]);
            if (parameters > 0) ins.P0 = immediates[-slots[3 * i + arity] - 1];
            if (parameters > 1) ins.P1 = immediates[-slots[3 * i + arity + 1] - 1];
            for (int s = 0; s < arity; s++)
            {
                int r = slots[3 * i + s];
                if (r >= inputCount && lastUse[r - inputCount] == i) free.Add(register[r - inputCount]);
            }
            if (i == n - 1) ins.Dst = -1;
            else
            {
                if (free.Count > 0)
                {
                    ins.Dst = free.Min;
                    free.Remove(ins.Dst);
                }
                else ins.Dst = registers++;
                register[i] = ins.Dst;
                if (lastUse[i] < 0) free.Add(ins.Dst);   // a dead value: written, never read
            }
            code[i] = ins;
        }
        var operandCopy = new int[3 * n];
        for (int i = 0; i < 3 * n; i++) operandCopy[i] = (int)operands[i];
        return new FusedProgram(inputCount, ops, operandCopy, imms, code, registers);
    }

    /// <summary>
    /// The expression in readable form, e.g. <c>relu(x0*c0+c1)</c>; <paramref name="inputName"/> names input i. A value
    /// read more than once is written once as <c>tK=...;</c> and referred to by name.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public string Format(Func<int, string> inputName)
    {
        int n = _opcodes.Length;
        var uses = new int[n];
        for (int i = 0; i < n; i++)
            for (int s = 0; s < FusedOps.Operands(_opcodes[i]); s++)
                if (_operands[3 * i + s] >= InputCount) uses[_operands[3 * i + s] - InputCount]++;
        var text = new string[n];
        var precedence = new int[n];
        var prefix = new StringBuilder();
        int temps = 0;
        string Operand(int r, int minPrecedence)
        {
            if (r < 0) return Number(_immediates[-r - 1]);
            if (r < InputCount) return inputName(r);
            int v = r - InputCount;
            return precedence[v] < minPrecedence ? $"({text[v]})" : text[v];
        }
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        string Call(int i)
        {
            var op = _opcodes[i];
            var sb = new StringBuilder(FusedOps.Name(op)).Append('(');
            int arity = FusedOps.Operands(op), total = arity + FusedOps.Parameters(op);
            for (int s = 0; s < total; s++)
            {
                if (s > 0) sb.Append(',');
                sb.Append(Operand(_operands[3 * i + s], 0));
            }
            return sb.Append(')').ToString();
        }
        for (int i = 0; i < n; i++)
        {
            var op = _opcodes[i];
            int a = _operands[3 * i], b = _operands[3 * i + 1], c = _operands[3 * i + 2];
            (string s, int p) = op switch
            {
                FusedOpCode.Add => ($"{Operand(a, 1)}+{Operand(b, 1)}", 1),
                FusedOpCode.Sub => ($"{Operand(a, 1)}-{Operand(b, 2)}", 1),
                FusedOpCode.Mul => ($"{Operand(a, 2)}*{Operand(b, 2)}", 2),
                FusedOpCode.Div => ($"{Operand(a, 2)}/{Operand(b, 3)}", 2),
                FusedOpCode.Affine => ($"{Operand(a, 2)}*{Operand(b, 2)}+{Operand(c, 1)}", 1),
                FusedOpCode.Neg => ($"-{Operand(a, 3)}", 3),
                FusedOpCode.Pow => ($"{Operand(a, 3)}^{Number(_immediates[-b - 1])}", 3),
                _ => (Call(i), 3),
            };
            if (uses[i] > 1 && i < n - 1)
            {
                string name = $"t{temps++}";
                prefix.Append(name).Append('=').Append(s).Append("; ");
                (s, p) = (name, 3);
            }
            text[i] = s;
            precedence[i] = p;
        }
        return prefix + text[n - 1];
    }

    private static string Number(float v) => v.ToString("R", CultureInfo.InvariantCulture);
}

internal enum SourceKind : byte { Register, Input, Immediate }

/// <summary>Where an instruction operand comes from: a register, an input (stream or per-row scalar), or an immediate.</summary>
internal readonly record struct Source(SourceKind Kind, int Index, float Value);

/// <summary>One compiled instruction: Dst is a register, or -1 for the output.</summary>
internal struct Instruction
{
    public FusedOpCode Op;
    public int Dst;
    public Source A, B, C;
    public float P0, P1;
}
