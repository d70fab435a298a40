namespace NativeInfer.Ops.NN;

/// <summary>Registers the ops of this family.</summary>
internal static class NNOps
{
    public static void Register(OpRegistry r)
    {
        r.Register("MatMul", 1, MatMul.Create);
        r.Register("Gemm", 1, Gemm.Create);
        r.Register("Conv", 1, Conv.Create);
        r.Register("ConvTranspose", 1, ctx => new ConvTranspose(new ConvAttributes(ctx.Attributes),
            ctx.Attributes.Ints("output_padding"), ctx.Attributes.Ints("output_shape")));
        r.Register("MaxPool", 1, MaxPool.Create);
        r.Register("AveragePool", 1, AveragePool.Create);
        r.Register("LpPool", 1, LpPool.Create);
        r.Register("GlobalAveragePool", 1, _ => new GlobalAveragePool());
        r.Register("GlobalMaxPool", 1, _ => new GlobalMaxPool());
        r.Register("MaxUnpool", 9, MaxUnpool.Create);
        r.Register("QuantizeLinear", 10, QuantizeLinear.Create);
        r.Register("DequantizeLinear", 10, DequantizeLinear.Create);
        r.Register("DynamicQuantizeLinear", 11, _ => new DynamicQuantizeLinear());
        r.Register("MatMulInteger", 10, _ => new MatMulInteger());
        r.Register("ConvInteger", 10, ctx => new ConvInteger(new ConvAttributes(ctx.Attributes)));
        r.Register("QLinearMatMul", 10, _ => new QLinearMatMul());
        r.Register("Col2Im", 18, ctx => new Col2Im(new ConvAttributes(ctx.Attributes)));
        r.Register("DeformConv", 19, DeformConv.Create);
        r.Register("RoiAlign", 10, RoiAlign.Create);
        r.Register("Det", 11, _ => new Det());
        r.Register("Einsum", 12, Einsum.Create);
        r.Register("QLinearConv", 10, ctx => new QLinearConv(new ConvAttributes(ctx.Attributes)));
    }
}
