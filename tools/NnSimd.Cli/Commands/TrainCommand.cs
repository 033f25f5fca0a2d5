using System.CommandLine;
using System.Globalization;
using NnSimd.Cli.Checks;
using NnSimd.Data;
using NnSimd.Cli.Plots;
using NnSimd.IO;
using NnSimd.Model;
using NnSimd.Training;

namespace NnSimd.Cli.Commands;

/// <summary>
/// <c>nnsimd train</c>: mini-batch SGD on Fashion-MNIST (Debian's dataset-fashion-mnist) or MNIST, printing
/// loss and train/test accuracy per epoch, saving a self-describing safetensors model and, optionally, the curves.
/// </summary>
internal static class TrainCommand
{
    public const string FashionDirectory = "/usr/share/datasets/fashion-mnist";

    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "fashion-mnist or mnist.", DefaultValueFactory = _ => "fashion-mnist" };
        dataset.AcceptOnlyFromAmong("fashion-mnist", "mnist");
        var data = CommonOptions.Data();
        var offline = CommonOptions.Offline();
        var layers = new Option<string>("--layers") { Description = "Layer widths, input first.", DefaultValueFactory = _ => "784,50,100,10" };
        var activation = new Option<string>("--activation") { Description = "Hidden activation: sigmoid, relu or tanh.", DefaultValueFactory = _ => "tanh" };
        activation.AcceptOnlyFromAmong("sigmoid", "relu", "tanh");
        var epochs = CommonOptions.Int("--epochs", 10, 1, 10_000, "Passes over the training set.");
        var batch = CommonOptions.Int("--batch", 100, 1, 60_000, "Images per step.");
        var lr = CommonOptions.Real("--lr", 0.05f, 0, minExcluded: true, 10, "Learning rate.");
        var momentum = CommonOptions.Real("--momentum", 0.9f, 0, minExcluded: false, 1, "Momentum (0 = plain SGD).");
        var schedule = new Option<string>("--schedule") { Description = "constant, step (halve every 3 epochs) or warm (a tenth after half the epochs).", DefaultValueFactory = _ => "step" };
        schedule.AcceptOnlyFromAmong("constant", "step", "warm");
        var init = new Option<string>("--init") { Description = "gaussian (std 0.01), xavier or he (default: he for relu, xavier otherwise)." };
        init.AcceptOnlyFromAmong("gaussian", "xavier", "he");
        var loss = new Option<string>("--loss") { DefaultValueFactory = _ => "cross-entropy" };
        loss.AcceptOnlyFromAmong("cross-entropy", "mse");
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => 1UL };
        var threads = CommonOptions.Threads("Threads per step (the weights come out the same for any count).");
        var output = CommonOptions.OutputFile("--output", ".safetensors", "a safetensors model", "The .safetensors model to write.", alias: "-o");
        var plot = CommonOptions.OutputFile("--plot", ".png", "a PNG image", "Also draw the loss and accuracy curves to this .png.", required: false);
        var json = CommonOptions.Json();
        var command = new Command("train", "Train a network by mini-batch SGD and save it as safetensors.")
        {
            dataset, data, offline, layers, activation, epochs, batch, lr, momentum, schedule, init, loss, seed, threads, json,
        };
        layers.Validators.Add(r =>
        {
            if (LayerWidths.Problem(r.GetValueOrDefault<string>()) is { } problem)
            {
                r.AddError($"--layers {problem}");
            }
        });
        FileChecks.Add(command, [], output, plot);
        command.SetAction(r => Cli.Guarded(() =>
        {
            Activation hidden = ModelFile.ParseActivations(r.GetValue(activation)!)[0];
            int epochCount = r.GetValue(epochs);
            float rate = r.GetValue(lr);
            var options = new TrainerOptions
            {
                BatchSize = r.GetValue(batch),
                Momentum = r.GetValue(momentum),
                Seed = r.GetValue(seed),
                Threads = r.GetValue(threads),
                Loss = r.GetValue(loss) == "mse" ? Loss.MeanSquaredError : Loss.CrossEntropy,
                Init = r.GetValue(init) switch
                {
                    "gaussian" => Init.Gaussian,
                    "xavier" => Init.Xavier,
                    "he" => Init.He,
                    _ => hidden == Activation.Relu ? Init.He : Init.Xavier,
                },
                Schedule = r.GetValue(schedule) switch
                {
                    "step" => new LearningRateSchedule.StepDecay(rate),
                    "warm" => new LearningRateSchedule.Warm(rate, Math.Max(1, epochCount / 2)),
                    _ => new LearningRateSchedule.Constant(rate),
                },
            };
            int[] widths = LayerWidths.Parse(r.GetValue(layers)!);
            return Run(r.GetValue(dataset)!, r.GetValue(data), r.GetValue(offline), widths, hidden, epochCount, options, r.GetValue(output.Option)!, r.GetValue(plot.Option), r.GetValue(json));
        }));
        return command;
    }

    private static int Run(string dataset, string? dataOption, bool offline, int[] widths, Activation hidden, int epochs, TrainerOptions options, string output, string? plotPath, bool json)
    {
        (MnistSet train, MnistSet test) = Load(dataset, dataOption, offline);
        if (widths[0] != train.PixelsPerImage)
        {
            return Cli.Fail($"--layers starts with {widths[0]} inputs but the images have {train.PixelsPerImage} pixels.");
        }

        if (widths[^1] != 10)
        {
            return Cli.Fail($"--layers ends with {widths[^1]} outputs but {dataset} has 10 classes.");
        }

        var trainer = new Trainer(widths, hidden, options);
        var history = new List<(EpochResult Result, double TrainAccuracy, double TestAccuracy)>();
        using var progress = new ProgressLine("train", json);
        for (int e = 0; e < epochs; e++)
        {
            EpochResult result = trainer.TrainEpoch(train.Pixels, 255f, train.Labels,
                (step, steps, running) => progress.Report(string.Create(CultureInfo.InvariantCulture, $"epoch {e + 1}/{epochs} loss {running:F4}"), step, steps));
            Network network = trainer.ToNetwork();
            double trainAccuracy = Accuracy(network, train);
            double testAccuracy = Accuracy(network, test);
            history.Add((result, trainAccuracy, testAccuracy));
            progress.Done();
            if (!json)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {result.Epoch,3}  loss {result.Loss:F4}  train {trainAccuracy:F4}  test {testAccuracy:F4}  lr {result.LearningRate:G3}  {result.Seconds:F2} s"));
            }
        }

        Network trained = trainer.ToNetwork();
        // The figure is drawn before anything is written, so a plot that fails to render leaves no model behind
        // that the output would not mention; only the write of the second file can then fail, and it is reported.
        byte[]? png = plotPath is null ? null : TrainingCurves.Render(history.Select(h => ((double)h.Result.Loss, h.TrainAccuracy, h.TestAccuracy)).ToList(), $"{dataset} {trained}", options.Loss);
        ModelFile.Save(trained, output);
        if (png is not null)
        {
            try
            {
                Png.Write(plotPath!, png);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Cli.Fail($"saved the model {output}, but not the plot {plotPath}: {e.Message}");
            }
        }

        if (json)
        {
            Console.WriteLine(Json.Object(
            [
                ("dataset", dataset),
                ("network", trained.ToString()),
                ("model", output),
                ("simd", SimdInfo.Path.ToString()),
                ("epochs", history.Select(h => (IEnumerable<(string, object)>)
                [
                    ("epoch", h.Result.Epoch), ("loss", h.Result.Loss), ("train_accuracy", h.TrainAccuracy),
                    ("test_accuracy", h.TestAccuracy), ("learning_rate", h.Result.LearningRate), ("seconds", h.Result.Seconds),
                ]).ToList()),
            ]));
        }
        else
        {
            Console.WriteLine($"saved {output}: {trained}{(plotPath is null ? "" : $"; curves in {plotPath}")}");
        }

        return 0;
    }

    private static (MnistSet Train, MnistSet Test) Load(string dataset, string? dataOption, bool offline)
    {
        if (dataset == "fashion-mnist")
        {
            string dir = dataOption ?? FashionDirectory;
            if (!File.Exists(Path.Combine(dir, Mnist.TrainImages)))
            {
                throw new FileNotFoundException($"Fashion-MNIST not found in {dir}: apt-get install dataset-fashion-mnist, or pass --data.");
            }

            return (Mnist.Load(dir, train: true), Mnist.Load(dir, train: false));
        }

        DataDirectory data = DataDirectory.Resolve(dataOption, offline);
        return (Mnist.Load(data.Get(KnownFiles.TrainImages), data.Get(KnownFiles.TrainLabels)),
                Mnist.Load(data.Get(KnownFiles.TestImages), data.Get(KnownFiles.TestLabels)));
    }

    internal static double Accuracy(Network network, MnistSet set)
    {
        var classes = new int[set.Count];
        network.Classify(set.Pixels, 255f, classes, network.CreateWorkspace());
        int correct = 0;
        for (int i = 0; i < classes.Length; i++)
        {
            correct += classes[i] == set.Labels[i] ? 1 : 0;
        }

        return (double)correct / set.Count;
    }
}
