using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NnSimd.Kernels;
using NnSimd.Model;

namespace NnSimd.Tests.Model;

public class NetworkProperties
{
    private static readonly Network Mnist = NetworkTests.RandomNetwork(21);
    private static readonly Network Small = NetworkTests.RandomNetwork(22, Activation.Relu, 13, 7, 5);

    [Property(MaxTest = 100)]
    public Property Argmax_is_the_same_with_and_without_the_final_softmax() =>
        Prop.ForAll(Gen.Choose(1, 20).SelectMany(rows => Generators.Uniform(rows * 784)).ToArbitrary(), x =>
        {
            int rows = x.Length / 784;
            InferenceWorkspace ws = Mnist.CreateWorkspace();
            var probs = new float[rows * 10];
            var scores = new float[rows * 10];
            Mnist.Predict(x, probs, ws);
            Mnist.Predict(x, scores, ws, NetworkOutput.Scores);
            for (int r = 0; r < rows; r++)
            {
                int a = Softmax.ArgMax(probs.AsSpan(r * 10, 10));
                int b = Softmax.ArgMax(scores.AsSpan(r * 10, 10));
                if (probs[r * 10 + a] != probs[r * 10 + b] || (a != b && probs.AsSpan(r * 10, 10).ToArray().Count(v => v == probs[r * 10 + a]) == 1))
                {
                    return false.Label($"row {r}: {a} vs {b}");
                }
            }

            return true.ToProperty();
        });

    [Property(MaxTest = 100)]
    public Property Batch_invariance_for_any_batch_and_block() =>
        Prop.ForAll(
            Gen.Choose(1, 40).SelectMany(rows => Generators.Uniform(rows * 13)).ToArbitrary(),
            Gen.Choose(1, 20).ToArbitrary(),
            (x, block) =>
            {
                int rows = x.Length / 13;
                var all = new float[rows * 5];
                Small.Predict(x, all, Small.CreateWorkspace(blockRows: block));
                var one = new float[5];
                InferenceWorkspace ws = Small.CreateWorkspace();
                for (int r = 0; r < rows; r++)
                {
                    Small.Predict(x.AsSpan(r * 13, 13), one, ws);
                    if (!one.AsSpan().SequenceEqual(all.AsSpan(r * 5, 5)))
                    {
                        return false.Label($"row {r} differs");
                    }
                }

                return true.ToProperty();
            });
}
