using NativeInfer.Kernels.Cpu.Elementwise;

namespace NativeInfer.Kernels.Gpu.Elementwise;

/// <summary>
/// An <c>ai.nativeinfer:FusedElementwise</c> program (the SSA source form of <see cref="FusedProgram"/>) encoded for the
/// GPU interpreter <see cref="GpuFusedElementwise"/>: <see cref="Stride"/> ints per instruction — opcode, operands a, b,
/// c, parameters p0, p1, destination register — where an operand is an input k (0..7), a register r
/// (<see cref="RegisterBase"/> + r) or an immediate k (−(k + 1)); the last instruction's value is the output.
/// Registers are reused after a value's last reader, as on the CPU.
/// </summary>
public sealed class GpuFusedProgram
{
    public const int Stride = 7;
    public const int RegisterBase = 8;
    public const int MaxRegisters = 16;

    private GpuFusedProgram(int inputs, int[] code, float[] immediates)
    {
        InputCount = inputs;
        Code = code;
        Immediates = immediates;
    }

    public int InputCount { get; }
    public int[] Code { get; }
    public float[] Immediates { get; }
    public int Length => Code.Length / Stride;

    /// <summary>
    /// Encodes a program (validated by <see cref="FusedProgram.Create"/> first, so errors read the same as on the CPU), or
    /// returns null with a reason when the GPU interpreter cannot run it (too many inputs or live values).
    /// </summary>
    public static GpuFusedProgram? TryCreate(int inputCount, ReadOnlySpan<long> opcodes, ReadOnlySpan<long> operands,
        ReadOnlySpan<float> immediates, out string? reason)
    {
        FusedProgram.Create(inputCount, opcodes, operands, immediates);
        reason = null;
        if (inputCount > GpuFusedElementwise.MaxInputs)
        {
            reason = $"{inputCount} inputs (the GPU interpreter reads at most {GpuFusedElementwise.MaxInputs})";
            return null;
        }
        int n = opcodes.Length;
        var lastUse = new int[n];
        Array.Fill(lastUse, -1);
        for (int i = 0; i < n; i++)
            for (int s = 0; s < FusedOps.Operands((FusedOpCode)opcodes[i]); s++)
                if (operands[3 * i + s] >= inputCount) lastUse[operands[3 * i + s] - inputCount] = i;
        var register = new int[n];
        var free = new SortedSet<int>();
        int registers = 0;
        var code = new int[n * Stride];
        for (int i = 0; i < n; i++)
        {
            var op = (FusedOpCode)opcodes[i];
            int arity = FusedOps.Operands(op), parameters = FusedOps.Parameters(op);
            int Encode(long r) => r < 0 ? (int)r : r < inputCount ? (int)r : RegisterBase + register[r - inputCount];
            code[i * Stride] = (int)op;
            for (int s = 0; s < 3; s++) code[i * Stride + 1 + s] = s < arity ? Encode(operands[3 * i + s]) : 0;
            for (int p = 0; p < 2; p++) code[i * Stride + 4 + p] = p < parameters ? (int)operands[3 * i + arity + p] : 0;
            for (int s = 0; s < arity; s++)
            {
                long r = operands[3 * i + s];
                if (r >= inputCount && lastUse[r - inputCount] == i) free.Add(register[r - inputCount]);
            }
            int dst;
            if (free.Count > 0)
            {
                dst = free.Min;
                free.Remove(dst);
            }
            else dst = registers++;
            register[i] = dst;
            if (lastUse[i] < 0 && i < n - 1) free.Add(dst);
            code[i * Stride + 6] = dst;
        }
        if (registers > MaxRegisters)
        {
            reason = $"{registers} live values (the GPU interpreter holds at most {MaxRegisters})";
            return null;
        }
        return new GpuFusedProgram(inputCount, code, immediates.Length == 0 ? [0f] : immediates.ToArray());
    }
}
