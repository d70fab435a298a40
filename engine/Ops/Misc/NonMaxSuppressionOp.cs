using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// NonMaxSuppression (opsets 10, 11): per batch and class, greedily keeps the highest-scoring boxes (ties: lower box
/// index first) whose score exceeds score_threshold and whose IoU with every kept box is at most iou_threshold, up to
/// max_output_boxes_per_class (0 or omitted: none). Boxes are [y1, x1, y2, x2] corners in any order, or
/// [x_center, y_center, width, height] with center_point_box = 1. Output: selected_indices [k, 3] int64 rows of
/// (batch, class, box), in batch, class, selection order.
/// </summary>
internal sealed class NonMaxSuppressionOp : TensorOp
{
    private readonly bool _centerPointBox;

    public NonMaxSuppressionOp(OpBuildContext ctx)
    {
        long c = ctx.Attributes.Int("center_point_box", 0);
        if (c is not (0 or 1)) throw new NotSupportedException($"NonMaxSuppression: center_point_box must be 0 or 1, got {c}.");
        _centerPointBox = c == 1;
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [TypeInfo.Tensor(DataType.Int64, [Dim.Unknown, Dim.Known(3)])];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        const string op = "NonMaxSuppression";
        var boxesT = inputs.Req(0);
        var scoresT = inputs.Req(1);
        if (boxesT.Rank != 3 || boxesT.Shape[2] != 4)
            throw new ShapeMismatchException($"{op}: boxes must have shape [batches, boxes, 4], got {ShapeUtil.Format(boxesT.Shape)}.");
        int batches = boxesT.Shape[0], count = boxesT.Shape[1];
        if (scoresT.Rank != 3 || scoresT.Shape[0] != batches || scoresT.Shape[2] != count)
            throw new ShapeMismatchException(
                $"{op}: scores must have shape [{batches}, classes, {count}], got {ShapeUtil.Format(scoresT.Shape)}.");
        int classes = scoresT.Shape[1];
        long maxPerClass = inputs.Opt(2) is { Length: > 0 } m ? MiscTensors.ScalarInt(m, op, "max_output_boxes_per_class") : 0;
        double iouThreshold = inputs.Opt(3) is { Length: > 0 } it ? MiscTensors.ScalarDouble(it, op, "iou_threshold") : 0;
        double? scoreThreshold = inputs.Opt(4) is { Length: > 0 } st ? MiscTensors.ScalarDouble(st, op, "score_threshold") : null;
        if (iouThreshold is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(inputs), $"{op}: iou_threshold {iouThreshold} must lie in [0, 1].");

        var boxes = Corners(MiscTensors.ToDoubles(boxesT));
        var scores = MiscTensors.ToDoubles(scoresT);
        var selected = new List<long>();
        var order = new List<int>(count);
        var kept = new List<int>();
        for (int b = 0; b < batches; b++)
            for (int c = 0; c < classes; c++)
            {
                if (maxPerClass <= 0) continue;
                int sBase = (b * classes + c) * count;
                order.Clear();
                for (int i = 0; i < count; i++)
                    if (scoreThreshold is not { } th || scores[sBase + i] > th) order.Add(i);
                order.Sort((p, q) =>
                {
                    int byScore = scores[sBase + q].CompareTo(scores[sBase + p]);
                    return byScore != 0 ? byScore : p.CompareTo(q);
                });
                kept.Clear();
                foreach (int i in order)
                {
                    if (kept.Count >= maxPerClass) break;
                    bool suppressed = false;
                    foreach (int j in kept)
                        if (Iou(boxes, (b * count + i) * 4, (b * count + j) * 4) > iouThreshold)
                        {
                            suppressed = true;
                            break;
                        }
                    if (suppressed) continue;
                    kept.Add(i);
                    selected.Add(b);
                    selected.Add(c);
                    selected.Add(i);
                }
            }
        return [new Tensor<long>(selected.ToArray(), [selected.Count / 3, 3])];
    }

    /// <summary>Rewrites every box as (ymin, xmin, ymax, xmax).</summary>
    private double[] Corners(double[] b)
    {
        for (int i = 0; i < b.Length; i += 4)
        {
            double y1, x1, y2, x2;
            if (_centerPointBox)
            {
                double xc = b[i], yc = b[i + 1], w = b[i + 2], h = b[i + 3];
                (x1, x2, y1, y2) = (xc - w / 2, xc + w / 2, yc - h / 2, yc + h / 2);
            }
            else
            {
                (y1, x1, y2, x2) = (b[i], b[i + 1], b[i + 2], b[i + 3]);
            }
            b[i] = Math.Min(y1, y2);
            b[i + 1] = Math.Min(x1, x2);
            b[i + 2] = Math.Max(y1, y2);
            b[i + 3] = Math.Max(x1, x2);
        }
        return b;
    }

    private static double Iou(double[] b, int p, int q)
    {
        double areaP = (b[p + 2] - b[p]) * (b[p + 3] - b[p + 1]);
        double areaQ = (b[q + 2] - b[q]) * (b[q + 3] - b[q + 1]);
        if (areaP <= 0 || areaQ <= 0) return 0;
        double ih = Math.Min(b[p + 2], b[q + 2]) - Math.Max(b[p], b[q]);
        double iw = Math.Min(b[p + 3], b[q + 3]) - Math.Max(b[p + 1], b[q + 1]);
        if (ih <= 0 || iw <= 0) return 0;
        double inter = ih * iw;
        return inter / (areaP + areaQ - inter);
    }
}
