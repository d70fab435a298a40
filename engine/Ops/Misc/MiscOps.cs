namespace NativeInfer.Ops.Misc;

/// <summary>Registers the ops of this family.</summary>
internal static class MiscOps
{
    public static void Register(OpRegistry r)
    {
        foreach (int v in new[] { 10, 11, 13, 18, 19 }) r.Register("Resize", v, ctx => new ResizeOp(ctx));
        r.Register("Upsample", 7, ctx => new UpsampleOp(ctx));
        r.Register("Upsample", 9, ctx => new UpsampleOp(ctx));
        foreach (int v in new[] { 16, 20, 22 }) r.Register("GridSample", v, ctx => new GridSampleOp(ctx));
        r.Register("AffineGrid", 20, ctx => new AffineGridOp(ctx));
        r.Register("DFT", 17, ctx => new DftOp(ctx));
        r.Register("DFT", 20, ctx => new DftOp(ctx));
        r.Register("STFT", 17, ctx => new StftOp(ctx));
        r.Register("HannWindow", 17, ctx => new HannWindowOp(ctx));
        r.Register("HammingWindow", 17, ctx => new HammingWindowOp(ctx));
        r.Register("BlackmanWindow", 17, ctx => new BlackmanWindowOp(ctx));
        r.Register("MelWeightMatrix", 17, ctx => new MelWeightMatrixOp(ctx));
        r.Register("NonMaxSuppression", 10, ctx => new NonMaxSuppressionOp(ctx));
        r.Register("NonMaxSuppression", 11, ctx => new NonMaxSuppressionOp(ctx));
        r.Register("BitCast", 26, ctx => new BitCastOp(ctx));

        r.Register("RandomUniform", 1, ctx => new RandomUniformOp(ctx));
        r.Register("RandomNormal", 1, ctx => new RandomNormalOp(ctx));
        foreach (int v in new[] { 1, 22 })
        {
            r.Register("RandomUniformLike", v, ctx => new RandomUniformLikeOp(ctx));
            r.Register("RandomNormalLike", v, ctx => new RandomNormalLikeOp(ctx));
        }
        r.Register("Bernoulli", 15, ctx => new BernoulliOp(ctx));
        r.Register("Bernoulli", 22, ctx => new BernoulliOp(ctx));
        r.Register("Multinomial", 7, ctx => new MultinomialOp(ctx));
        r.Register("Multinomial", 22, ctx => new MultinomialOp(ctx));

        r.Register("StringConcat", 20, _ => new StringConcatOp());
        r.Register("StringSplit", 20, ctx => new StringSplitOp(ctx));
        r.Register("StringNormalizer", 10, ctx => new StringNormalizerOp(ctx));
        r.Register("RegexFullMatch", 20, ctx => new RegexFullMatchOp(ctx));
        r.Register("TfIdfVectorizer", 9, ctx => new TfIdfVectorizerOp(ctx));

        const string ml = "ai.onnx.ml";
        foreach (int v in new[] { 1, 2, 4 }) r.Register(ml, "LabelEncoder", v, ctx => new LabelEncoderOp(ctx));
        r.Register(ml, "TreeEnsemble", 5, ctx => new TreeEnsembleOp(ctx));
        r.Register(ml, "ArrayFeatureExtractor", 1, _ => new ArrayFeatureExtractorOp());
        r.Register(ml, "Binarizer", 1, ctx => new BinarizerOp(ctx));

        const string training = "ai.onnx.preview.training";
        r.Register(training, "Momentum", 1, ctx => new MomentumOp(ctx));
        r.Register(training, "Adagrad", 1, ctx => new AdagradOp(ctx));
        r.Register(training, "Adam", 1, ctx => new AdamOp(ctx));
    }
}
