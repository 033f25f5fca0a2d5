using NnSimd.IO;
using NnSimd.Model;
using NnSimd.Training;
using Xunit;

namespace NnSimd.Tests.Training;

public class TrainerTests
{
    private static readonly Lazy<MnistSet> Test = new(() => Mnist.Load(TestData.Directory));

    private static (byte[] Pixels, byte[] Labels) Slice(int start, int count) =>
        (Test.Value.Pixels.AsSpan(start * 784, count * 784).ToArray(), Test.Value.Labels.AsSpan(start, count).ToArray());

    private static double Accuracy(Network network, byte[] pixels, byte[] labels)
    {
        var classes = new int[labels.Length];
        network.Classify(pixels, 255f, classes, network.CreateWorkspace());
        return classes.Where((c, i) => c == labels[i]).Count() / (double)labels.Length;
    }

    [Fact]
    public void A_short_run_lowers_the_loss_and_beats_chance_by_far()
    {
        (byte[] px, byte[] labels) = Slice(0, 600);
        (byte[] heldPx, byte[] heldLabels) = Slice(600, 400);
        var trainer = new Trainer([784, 50, 10], Activation.Relu, new TrainerOptions
        {
            BatchSize = 20,
            Schedule = new LearningRateSchedule.Constant(0.1f),
            Momentum = 0.5f,
            Init = Init.He,
            Seed = 2,
        });
        var losses = new List<float>();
        for (int e = 0; e < 8; e++)
        {
            losses.Add(trainer.TrainEpoch(px, 255f, labels).Loss);
        }

        // Lower on average: the last three epochs well below the first.
        Assert.True(losses.TakeLast(3).Average() < 0.5 * losses[0], string.Join(", ", losses));
        double accuracy = Accuracy(trainer.ToNetwork(), heldPx, heldLabels);
        Assert.True(accuracy > 0.7, $"held-out accuracy {accuracy} (chance is 0.1)");
    }

    [Fact]
    public void The_same_seed_gives_bitwise_the_same_weights()
    {
        (byte[] px, byte[] labels) = Slice(0, 300);
        float[][] Run()
        {
            var t = new Trainer([784, 30, 10], Activation.Sigmoid, new TrainerOptions { BatchSize = 50, Seed = 9, Momentum = 0.9f, Schedule = new LearningRateSchedule.Constant(0.5f) });
            t.TrainEpoch(px, 255f, labels);
            t.TrainEpoch(px, 255f, labels);
            return [t.GetWeights(0), t.GetWeights(1), t.Biases(1).ToArray()];
        }

        float[][] a = Run(), b = Run();
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i], b[i]);
        }

        var other = new Trainer([784, 30, 10], Activation.Sigmoid, new TrainerOptions { BatchSize = 50, Seed = 10 });
        Assert.NotEqual(a[0][..10], other.GetWeights(0)[..10]);
    }

    [Fact]
    public void One_two_and_three_threads_give_bitwise_the_same_weights()
    {
        (byte[] px, byte[] labels) = Slice(0, 400);
        float[][] Run(int threads)
        {
            var t = new Trainer([784, 50, 100, 10], Activation.Tanh, new TrainerOptions { BatchSize = 100, Seed = 4, Momentum = 0.9f, Threads = threads });
            t.TrainEpoch(px, 255f, labels);
            t.TrainEpoch(px, 255f, labels);
            return [t.GetWeights(0), t.GetWeights(1), t.GetWeights(2), t.Biases(0).ToArray(), t.Biases(2).ToArray()];
        }

        float[][] one = Run(1), two = Run(2), three = Run(3);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.Equal(one[i], two[i]);
            Assert.Equal(one[i], three[i]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_warm_training_step_allocates_nothing(int threads)
    {
        var trainer = new Trainer([784, 50, 100, 10], Activation.Relu, new TrainerOptions { BatchSize = 32, Momentum = 0.9f, Threads = threads });
        float[] x = Numerics.Random(new Random(1), 32 * 784);
        byte[] labels = Enumerable.Range(0, 32).Select(i => (byte)(i % 10)).ToArray();
        for (int i = 0; i < 30; i++)
        {
            trainer.Step(x, labels, 0.01f);
        }

        SteadyState.AllocatesNothing(() =>
        {
            for (int i = 0; i < 10; i++)
            {
                trainer.Step(x, labels, 0.01f);
            }
        });
    }

    [Fact]
    public void Bad_input_gives_clear_messages()
    {
        var trainer = new Trainer([784, 10, 10], Activation.Relu, new TrainerOptions { BatchSize = 10 });
        Assert.Contains("20 images but 19 labels", Assert.Throws<ArgumentException>(() => trainer.TrainEpoch(new byte[20 * 784], 255f, new byte[19])).Message);
        Assert.Contains("first layer's width", Assert.Throws<ArgumentException>(() => trainer.TrainEpoch(new byte[20 * 783 + 5], 255f, new byte[20])).Message);
        var narrow = new Trainer([784, 10, 5], Activation.Relu, new TrainerOptions { BatchSize = 10 });
        byte[] labels = Enumerable.Range(0, 20).Select(i => (byte)(i % 10)).ToArray();
        Assert.Contains("Label 9 is not a class of a 5-wide output layer", Assert.Throws<ArgumentException>(() => narrow.TrainEpoch(new byte[20 * 784], 255f, labels)).Message);
        Assert.Throws<ArgumentException>(() => new Trainer([784, 10], Activation.Step, new TrainerOptions()));
    }

    [Fact]
    public void A_diverging_learning_rate_stops_with_the_epoch_step_and_rate()
    {
        (byte[] px, byte[] labels) = Slice(0, 200);
        var trainer = new Trainer([784, 20, 10], Activation.Relu, new TrainerOptions { BatchSize = 20, Schedule = new LearningRateSchedule.Constant(1e30f), Loss = Loss.MeanSquaredError });
        var e = Assert.Throws<TrainingDivergedException>(() =>
        {
            for (int i = 0; i < 5; i++)
            {
                trainer.TrainEpoch(px, 255f, labels);
            }
        });
        Assert.Contains("learning rate 1E+30", e.Message);
        Assert.Contains("epoch", e.Message);
    }

    [Fact]
    public void Schedules_shift_gears()
    {
        Assert.Equal(0.1f, new LearningRateSchedule.Constant(0.1f).Rate(7));
        Assert.Equal([0.4f, 0.4f, 0.2f, 0.2f, 0.1f], Enumerable.Range(0, 5).Select(new LearningRateSchedule.StepDecay(0.4f, 0.5f, 2).Rate));
        Assert.Equal([0.5f, 0.5f, 0.05f], Enumerable.Range(0, 3).Select(new LearningRateSchedule.Warm(0.5f, 2).Rate));
    }

    [Fact]
    public void Sigmoid_gradients_vanish_towards_the_input_and_ReLU_ones_do_not()
    {
        float[] x = Test.Value.Images().AsSpan(0, 100 * 784).ToArray();
        byte[] labels = Test.Value.Labels[..100];
        int[] deep = [784, 100, 100, 100, 100, 100, 100, 10];
        double[] sigmoid = new Trainer(deep, Activation.Sigmoid, new TrainerOptions { Init = Init.Xavier, Seed = 1 }).MeanAbsWeightGradients(x, labels);
        double[] relu = new Trainer(deep, Activation.Relu, new TrainerOptions { Init = Init.He, Seed = 1 }).MeanAbsWeightGradients(x, labels);
        // The first layer's gradient, relative to the last's, is far smaller with sigmoid.
        Assert.True(sigmoid[0] / sigmoid[^1] < 0.1 * (relu[0] / relu[^1]), $"sigmoid {string.Join(", ", sigmoid)}; relu {string.Join(", ", relu)}");
    }
}
