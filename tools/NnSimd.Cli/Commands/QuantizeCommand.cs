using System.CommandLine;
using System.Globalization;
using NnSimd.Cli.Checks;
using NnSimd.Data;
using NnSimd.Model;

namespace NnSimd.Cli.Commands;

/// <summary>
/// <c>nnsimd quantize MODEL -o OUT.safetensors</c>: any model the CLI loads, quantized to int8 on calibration rows
/// (<see cref="Network.Quantize"/>) and saved as an int8 safetensors model (format <c>nnsimd-mlp-int8</c>), with a
/// summary of which layers run in int8, their input scales and the file's size against the float32 model's.
/// </summary>
internal static class QuantizeCommand
{
    public static Command Create()
    {
        var input = CommonOptions.InputArgument("model", "A float32 model: .safetensors, a PyTorch .pt state_dict, .onnx, the book's .pkl, or an .npz of W1..Wn, b1..bn.");
        var output = CommonOptions.OutputFile("--output", ".safetensors", "an int8 safetensors model", "The int8 .safetensors model to write.", alias: "-o");
        var activations = new Option<string?>("--activations") { Description = "One per layer, e.g. relu,relu,softmax: required for a PyTorch file (a state_dict holds none); the book's pickle defaults to sigmoid,sigmoid,softmax." };
        var calibration = CommonOptions.InputFile("--calibration", Calibration.OptionHelp, required: false);
        var smallest = CommonOptions.Int("--smallest-int8-layer", QuantizedNetwork.DefaultSmallestInt8Layer, 0, int.MaxValue,
            "Layers with fewer weights stay float32, for CPUs where quantizing a small layer's input costs more than int8 saves (0: every layer that can be int8).");
        var data = CommonOptions.Data();
        var offline = CommonOptions.Offline();
        var command = new Command("quantize", "Quantize a model to int8 (calibrated post-training quantization) and save it as safetensors.")
        {
            input, activations, calibration, smallest, data, offline,
        };
        FileChecks.Add(command, [input, calibration], output);
        command.SetAction(r => Cli.Guarded(() => Run(
            r.GetValue(input)!, r.GetValue(output.Option)!, r.GetValue(activations), r.GetValue(calibration), r.GetValue(smallest),
            () => DataDirectory.Resolve(r.GetValue(data), r.GetValue(offline)))));
        return command;
    }

    private static int Run(string input, string output, string? activationText, string? calibrationPath, int smallestInt8Layer, Func<DataDirectory> data)
    {
        // Everything is read, checked and quantized before the output is written; a bad model or calibration writes nothing.
        Network network = ModelLoader.Load(input, activationText);
        (float[] rows, string source) = Calibration.Load(calibrationPath, input, network.Inputs, data, m => Console.Error.WriteLine(m));
        QuantizedNetwork quantized = Calibration.Quantize(network, rows, source, smallestInt8Layer);
        ModelFile.Save(quantized, output);

        long int8Bytes = new FileInfo(output).Length;
        long floatBytes = FloatModelBytes(network);
        Console.WriteLine($"{output}: {quantized}");
        Console.WriteLine($"calibration  {rows.Length / network.Inputs:N0} rows: {source}");
        for (int i = 0; i < quantized.Layers.Count; i++)
        {
            QuantizedLayer layer = quantized.Layers[i];
            string how = layer.IsInt8
                ? string.Create(CultureInfo.InvariantCulture, $"int8     input scale {layer.InputScale:G6} (inputs 0 to {layer.InputScale * 255:G4} in 255 steps)")
                : (long)layer.Inputs * layer.Outputs < smallestInt8Layer
                    ? $"float32  ({layer.Inputs * layer.Outputs:N0} weights, fewer than --smallest-int8-layer {smallestInt8Layer:N0})"
                    : "float32  (its input can be negative, which unsigned bytes cannot hold)";
            Console.WriteLine($"layer {i + 1,-3}   {$"{layer.Inputs} -> {layer.Outputs}",-12} {layer.Activation.ToString().ToLowerInvariant(),-8} {how}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"size         {int8Bytes:N0} bytes, {100.0 * int8Bytes / floatBytes:F0}% of the float32 model as safetensors ({floatBytes:N0} bytes)"));
        return 0;
    }

    /// <summary>The size of <paramref name="network"/> saved as a float32 safetensors model, measured by saving it to a temporary file.</summary>
    private static long FloatModelBytes(Network network)
    {
        string temporary = Path.Combine(Path.GetTempPath(), $"nnsimd-quantize-{Environment.ProcessId}-{Guid.NewGuid():N}.safetensors");
        try
        {
            ModelFile.Save(network, temporary);
            return new FileInfo(temporary).Length;
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
