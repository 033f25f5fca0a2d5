using System.CommandLine;
using NnSimd.Cli.Checks;
using NnSimd.Model;

namespace NnSimd.Cli.Commands;

/// <summary>
/// <c>nnsimd convert IN -o OUT.safetensors</c>: the book's pickle (or .npz/.npy/.safetensors) to a
/// self-describing safetensors model. Values are copied bit for bit (float64 is rounded to float32, and said).
/// </summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var input = CommonOptions.InputArgument("input", "A model: a PyTorch .pt state_dict, .safetensors (NnSimd's or PyTorch's names), the book's .pkl, or an .npz of W1..Wn, b1..bn.");
        var output = CommonOptions.OutputFile("--output", ".safetensors", "a safetensors model", "The .safetensors file to write.", alias: "-o");
        var activations = new Option<string?>("--activations") { Description = "One per layer, e.g. relu,relu,softmax: required for a PyTorch file (a state_dict holds none); the book's pickle defaults to sigmoid,sigmoid,softmax." };
        var command = new Command("convert", "Convert weights to a self-describing safetensors model.") { input, activations };
        FileChecks.Add(command, [input], output);
        command.SetAction(r => Cli.Guarded(() => Run(r.GetValue(input)!, r.GetValue(output.Option)!, r.GetValue(activations))));
        return command;
    }

    private static int Run(string input, string output, string? activationText)
    {
        // Build the network first: a file that is not a valid model is refused before anything is written.
        Network network = ModelLoader.Load(input, activationText);
        ModelFile.Save(network, output);
        Console.WriteLine($"{output}: {network} ({network.Layers.Count} layers, {new FileInfo(output).Length:N0} bytes)");
        return 0;
    }
}
