using System.CommandLine;
using NnSimd.Cli.Checks;
using NnSimd.IO;
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
        var input = CommonOptions.InputArgument("input", "A .pkl, .npz or .safetensors file holding W1..Wn and b1..bn.");
        var output = CommonOptions.OutputFile("--output", ".safetensors", "a safetensors model", "The .safetensors file to write.", alias: "-o");
        var activations = new Option<string?>("--activations") { Description = "One per layer, e.g. sigmoid,sigmoid,softmax (default: sigmoid hidden layers, softmax output)." };
        var command = new Command("convert", "Convert weights to a self-describing safetensors model.") { input, activations };
        FileChecks.Add(command, [input], output);
        command.SetAction(r => Cli.Guarded(() => Run(r.GetValue(input)!, r.GetValue(output.Option)!, r.GetValue(activations))));
        return command;
    }

    private static int Run(string input, string output, string? activationText)
    {
        IReadOnlyList<TensorData> tensors = TensorFiles.Read(input);
        var byName = tensors.ToDictionary(t => t.Name);
        int layers = byName.Keys.Count(k => k.Length > 1 && k[0] == 'W' && char.IsDigit(k[1]));
        Activation[] activations = activationText is null ? ModelLoader.BookActivations(Math.Max(layers, 1)) : ModelFile.ParseActivations(activationText);

        // Build the network first: a file that is not a valid model is refused before anything is written.
        Network network = ModelFile.FromTensors(byName, activations, input);
        foreach (TensorData t in tensors.Where(t => t.SourceDType == TensorDType.F64))
        {
            Console.Error.WriteLine($"nnsimd: note: {t.Name} was float64 and is stored as float32.");
        }

        ModelFile.Save(network, output);
        Console.WriteLine($"{output}: {network} ({layers} layers, {new FileInfo(output).Length:N0} bytes)");
        return 0;
    }
}
