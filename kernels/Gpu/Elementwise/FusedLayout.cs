namespace NativeInfer.Kernels.Gpu.Elementwise;

/// <summary>
/// Where each of the (at most <see cref="GpuFusedElementwise.MaxInputs"/>) inputs of a fused program reads at output
/// index i: <c>X[(i / Inner) % Span]</c>, as <see cref="NativeInfer.Kernels.Cpu.Elementwise.FusedOperand"/> on the CPU.
/// </summary>
public struct FusedLayout
{
    public int Inner0, Inner1, Inner2, Inner3, Inner4, Inner5, Inner6, Inner7;
    public int Span0, Span1, Span2, Span3, Span4, Span5, Span6, Span7;

    /// <summary>Sets input k's Inner and Span.</summary>
    public void Set(int k, int inner, int span)
    {
        switch (k)
        {
            case 0: Inner0 = inner; Span0 = span; break;
            case 1: Inner1 = inner; Span1 = span; break;
            case 2: Inner2 = inner; Span2 = span; break;
            case 3: Inner3 = inner; Span3 = span; break;
            case 4: Inner4 = inner; Span4 = span; break;
            case 5: Inner5 = inner; Span5 = span; break;
            case 6: Inner6 = inner; Span6 = span; break;
            case 7: Inner7 = inner; Span7 = span; break;
            default: throw new ArgumentOutOfRangeException(nameof(k));
        }
    }
}
