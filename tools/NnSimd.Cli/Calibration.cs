using NnSimd.Data;
using NnSimd.IO;
using NnSimd.Model;

namespace NnSimd.Cli;

/// <summary>
/// The rows a network is quantized on (<see cref="Network.Quantize"/>): a file given with <c>--calibration</c>, or
/// for a 784-input model the MNIST test images, divided by 255 as the book normalizes them.
/// </summary>
internal static class Calibration
{
    public const string OptionHelp =
        "Rows to calibrate the int8 input scales on: an .npy or IDX file (or any one-tensor file nnsimd reads) of shape [n, inputs] or [n, 28, 28]; "
        + "uint8 values are divided by 255, floats are used as they are. Default for a 784-input model: the 10,000 MNIST test images "
        + "(mnist/t10k-images-idx3-ubyte.gz in the data directory), divided by 255 as the book does.";

    /// <summary>The calibration rows for a network of <paramref name="inputs"/> inputs, and where they came from, for the summary.</summary>
    public static (float[] Rows, string Source) Load(string? path, string model, int inputs, Func<DataDirectory> data, Action<string> log)
    {
        if (path is not null)
        {
            return (FromFile(path, inputs), path);
        }

        if (inputs != 784)
        {
            throw new ArgumentException(
                $"{model}: the network takes {inputs} inputs, so the MNIST images (784 pixels) cannot calibrate it: pass --calibration with rows of {inputs} values (an .npy of shape [n, {inputs}]).");
        }

        string images = data().Get(KnownFiles.TestImages, log);
        float[] rows = FromFile(images, inputs);
        return (rows, $"MNIST test images ({images}) / 255");
    }

    /// <summary>
    /// The rows of the one tensor in <paramref name="path"/>: its first axis counts rows and the others multiply to
    /// <paramref name="inputs"/>. Bytes are pixels, divided by 255.
    /// </summary>
    public static float[] FromFile(string path, int inputs)
    {
        IReadOnlyList<TensorData> tensors = TensorFiles.Read(path);
        if (tensors.Count != 1)
        {
            throw new InvalidDataException($"{path}: holds {tensors.Count} tensors; calibration takes one array of rows [n, {inputs}] (an .npy or IDX images file).");
        }

        TensorData t = tensors[0];
        long perRow = t.Shape.Count < 2 ? 0 : t.ElementCount / Math.Max(1, t.Shape[0]);
        if (t.Shape.Count < 2 || t.Shape[0] == 0 || perRow != inputs)
        {
            throw new InvalidDataException($"{path}: calibration is {t.SourceDType} {t.ShapeText}, not rows of the network's {inputs} inputs ([n, {inputs}], n > 0).");
        }

        if (t.Bytes is { } pixels)
        {
            return Array.ConvertAll(pixels, p => p / 255f);
        }

        return t.Floats ?? throw new InvalidDataException($"{path}: calibration holds {t.SourceDType}; give uint8 pixels or floating-point values.");
    }

    /// <summary>Quantizes <paramref name="network"/>; a calibration the library refuses (a NaN, an infinity) is named by its source.</summary>
    public static QuantizedNetwork Quantize(Network network, float[] rows, string source, int smallestInt8Layer = QuantizedNetwork.DefaultSmallestInt8Layer)
    {
        try
        {
            return network.Quantize(rows, smallestInt8Layer);
        }
        catch (ArgumentException e)
        {
            string message = e.ParamName is { } p ? e.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : e.Message;
            throw new InvalidDataException($"{source}: {message}");
        }
    }
}
