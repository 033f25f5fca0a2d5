using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NnSimd.Kernels;

namespace NnSimd.Tests.Kernels;

public class SoftmaxProperties
{
    [Property(MaxTest = 300)]
    public Property Rows_sum_to_one_with_entries_in_zero_one() =>
        Prop.ForAll(Generators.Row().ToArbitrary(), x =>
        {
            var y = new float[x.Length];
            Softmax.Rows(x, x.Length, y);
            double sum = y.Sum(v => (double)v);
            return (Math.Abs(sum - 1) <= 1e-5).Label($"sum = {sum}")
                .And(y.All(v => v >= 0f && v <= 1f)).Label("entries in [0, 1]");
        });

    [Property(MaxTest = 300)]
    public Property Softmax_keeps_the_argmax() =>
        Prop.ForAll(Generators.Row().ToArbitrary(), x =>
        {
            var y = new float[x.Length];
            Softmax.Rows(x, x.Length, y);
            int before = Softmax.ArgMax(x);
            int after = Softmax.ArgMax(y);
            // Softmax is monotone, so the input's argmax gets the largest probability, and where that
            // probability is unique the two argmaxes are the same index. (Inputs closer than exp can resolve,
            // e.g. 1e-30 and 2e-30, round to equal probabilities: then argmax(y) may name the earlier one.)
            bool unique = y.Count(v => v == y[after]) == 1;
            return (y[before] == y[after] && (!unique || before == after)).Label($"argmax {before} -> {after}");
        });

    [Property(MaxTest = 200)]
    public Property Shifting_a_row_changes_nothing() =>
        Prop.ForAll(Generators.Row(64).ToArbitrary(), Gen.Choose(-50, 50).ToArbitrary(), (x, shift) =>
        {
            float[] clipped = x.Select(v => Math.Clamp(v, -30f, 30f)).ToArray();
            float[] shifted = clipped.Select(v => v + shift).ToArray();
            var a = new float[x.Length];
            var b = new float[x.Length];
            Softmax.Rows(clipped, x.Length, a);
            Softmax.Rows(shifted, x.Length, b);
            // Adding the shift rounds each input by up to half an ulp of 80 (4e-6); a difference of two such
            // inputs moves by 8e-6, and the normalising sum by as much again: 1.6e-5 relative, bounded by 3e-5.
            return a.Zip(b).All(p => Math.Abs(p.First - p.Second) <= 3e-5f * p.First + 1e-7f);
        });
}
