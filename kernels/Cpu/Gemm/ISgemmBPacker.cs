namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// Supplies the right operand op(B) (K×N) of an SGEMM panel by panel, already in the kernel's packed layout, so a
/// caller such as a convolution can write im2col output straight into the panel instead of materializing B.
/// </summary>
/// <remarks>
/// <para>Panel layout (NR = <see cref="SgemmKernel.PanelWidth"/>): the panel for rows [k0, k0 + kc) and columns
/// [j0, j0 + nc) of op(B) is a sequence of ceil(nc / NR) strips; strip s holds columns j0 + s·NR … j0 + s·NR + NR − 1,
/// starts at <c>panel[s·kc·NR]</c> and is row-major kc×NR: <c>panel[s·kc·NR + p·NR + q] = op(B)[k0 + p, j0 + s·NR + q]</c>.
/// Columns at or past j0 + nc in the last strip must be written as 0. <c>panel.Length</c> is exactly
/// kc·ceil(nc / NR)·NR.</para>
/// <para>The kernel asks for panels with kc ≤ <see cref="SgemmKernel.PanelDepth"/>, k0 a multiple of PanelDepth and
/// j0 a multiple of NR. <see cref="PackPanel"/> is called concurrently from several threads (for different panels or
/// for the same panel into different buffers): it must not mutate shared state.</para>
/// </remarks>
public interface ISgemmBPacker
{
    /// <summary>Writes op(B)[k0 .. k0+kc, j0 .. j0+nc] into <paramref name="panel"/> in the layout described above.</summary>
    void PackPanel(int k0, int kc, int j0, int nc, Span<float> panel);
}
