using System.CommandLine;
using NnSimd.Cli.Checks;
using NnSimd.Model;
using NnSimd.Onnx;

namespace NnSimd.Cli.Commands;

/// <summary>
/// <c>nnsimd export MODEL -o OUT.onnx</c>: any model NnSimd loads, written as ONNX (opset 13, a Gemm and an
/// activation per layer, a dynamic batch) for ONNX Runtime and the tools around it. Weights are copied bit for bit.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var input = CommonOptions.InputArgument("model", "A model: .safetensors, a PyTorch .pt state_dict, .onnx, the book's .pkl, or an .npz of W1..Wn, b1..bn.");
        var output = CommonOptions.OutputFile("--output", ".onnx", "an ONNX model", "The .onnx file to write.", alias: "-o");
        var activations = new Option<string?>("--activations") { Description = "One per layer, e.g. relu,relu,softmax: required for a PyTorch file (a state_dict holds none); the book's pickle defaults to sigmoid,sigmoid,softmax." };
        var command = new Command("export", "Write a model as ONNX.") { input, activations };
        FileChecks.Add(command, [input], output);
        command.SetAction(r => Cli.Guarded(() => Run(r.GetValue(input)!, r.GetValue(output.Option)!, r.GetValue(activations))));
        return command;
    }

    private static int Run(string input, string output, string? activationText)
    {
        Network network = ModelLoader.Load(input, activationText);
        OnnxModel.Save(network, output);
        Console.WriteLine($"{output}: {network} ({network.Layers.Count} layers, ONNX opset {OnnxModel.ExportOpset}, {new FileInfo(output).Length:N0} bytes)");
        return 0;
    }
}
