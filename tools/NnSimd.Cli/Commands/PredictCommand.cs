using System.CommandLine;
using NnSimd.Cli.Checks;
using NnSimd.IO;
using NnSimd.Model;

namespace NnSimd.Cli.Commands;

/// <summary>
/// <c>nnsimd predict --weights FILE --input X.npy --output Y.npy</c>: runs a model (float32 or int8) over a NumPy batch
/// (float32, float64, or uint8 divided by 255 as the book normalises) and writes float32 probabilities, or raw
/// scores with --raw.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var weights = CommonOptions.InputFile("--weights", "A model: .safetensors (float32, or int8 as nnsimd quantize writes), a PyTorch .pt state_dict, the book's .pkl, or an .npz of W1..Wn, b1..bn.");
        var input = CommonOptions.InputFile("--input", "An .npy batch of shape [n, inputs]: float32, float64 or uint8.");
        var output = CommonOptions.OutputFile("--output", ".npy", "a NumPy array", "The .npy file to write: float32 [n, outputs].");
        var activations = new Option<string?>("--activations") { Description = "One per layer, e.g. relu,tanh,softmax: required for a PyTorch file, which holds none; overrides a model's own." };
        var raw = new Option<bool>("--raw") { Description = "Write the raw scores (skip a final softmax)." };
        var threads = CommonOptions.Threads("Threads.");
        var command = new Command("predict", "Run a model over a NumPy .npy batch.") { weights, activations, input, raw, threads };
        FileChecks.Add(command, [weights, input], output);
        command.SetAction(r => Cli.Guarded(() => Run(r.GetValue(weights)!, r.GetValue(activations), r.GetValue(input)!, r.GetValue(output.Option)!, r.GetValue(raw), r.GetValue(threads))));
        return command;
    }

    private static int Run(string weights, string? activations, string inputPath, string outputPath, bool raw, int threads)
    {
        if (ModelLoader.IsInt8(weights))
        {
            return activations is null
                ? RunInt8(ModelFile.LoadQuantized(weights), inputPath, outputPath, raw, threads)
                : Cli.Fail($"--activations: {weights} is an int8 model, already quantized, which names its own activations.");
        }

        Network network = ModelLoader.Load(weights, activations);
        InferenceWorkspace workspace = network.CreateWorkspace(threads);
        return Predict(
            inputPath, outputPath, raw, network.Inputs, network.Outputs, "",
            (pixels, y, kind) => network.Predict(pixels, 255f, y, workspace, kind),
            (floats, y, kind) => network.Predict(floats, y, workspace, kind));
    }

    /// <summary>As <see cref="Run"/> for an int8 model.</summary>
    private static int RunInt8(QuantizedNetwork network, string inputPath, string outputPath, bool raw, int threads)
    {
        QuantizedWorkspace workspace = network.CreateWorkspace(threads);
        return Predict(
            inputPath, outputPath, raw, network.Inputs, network.Outputs, " (int8 network)",
            (pixels, y, kind) => network.Predict(pixels, 255f, y, workspace, kind),
            (floats, y, kind) => network.Predict(floats, y, workspace, kind));
    }

    /// <summary>The .npy batch through one network, float32 or int8: bytes as pixels / 255, floats as they are.</summary>
    private static int Predict(
        string inputPath, string outputPath, bool raw, int inputs, int outputs, string note,
        Action<byte[], float[], NetworkOutput> bytes, Action<float[], float[], NetworkOutput> floats)
    {
        TensorData x = Npy.Read(inputPath);
        if (x.Shape.Count != 2 || x.Shape[1] != inputs)
        {
            return Cli.Fail($"{inputPath}: shape {x.ShapeText}, but the network takes [n, {inputs}].");
        }

        int rows = x.Shape[0];
        var y = new float[(long)rows * outputs];
        NetworkOutput kind = raw ? NetworkOutput.Scores : NetworkOutput.Probabilities;
        if (rows > 0)
        {
            if (x.Bytes is { } pixels)
            {
                bytes(pixels, y, kind);
            }
            else
            {
                floats(x.RequireFloats(), y, kind);
            }
        }

        Npy.Write(outputPath, y, [rows, outputs]);
        Console.WriteLine($"{outputPath}: {rows} x {outputs} float32 {(raw ? "scores" : "outputs")}{note}");
        return 0;
    }
}
