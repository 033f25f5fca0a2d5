using System.Globalization;
using NnSimd.IO;
using NnSimd.Onnx.Protos;

namespace NnSimd.Onnx;

/// <summary>
/// Tensor data kept outside the model (data_location EXTERNAL): a file named by <c>location</c>, and a byte
/// <c>offset</c> and <c>length</c> in it. The file must sit in the model's own folder, named plainly: a rooted
/// path, a separator, <c>..</c>, or a link that resolves elsewhere would let a model read any file the user can.
/// </summary>
internal static class ExternalData
{
    public static byte[] Read(TensorProto t, long expected, string name, string file)
    {
        string? location = null;
        long offset = 0;
        long? length = null;
        foreach (StringStringEntryProto entry in t.ExternalData)
        {
            switch (entry.Key)
            {
                case "location":
                    location = entry.Value;
                    break;
                case "offset":
                    offset = Number(entry, name, file);
                    break;
                case "length":
                    length = Number(entry, name, file);
                    break;
                case "checksum":
                    break;
                default:
                    throw new NnSimdFormatException(file, null, $"tensor '{name}': unknown external_data key '{entry.Key}' (known: location, offset, length, checksum).");
            }
        }

        if (expected > Array.MaxLength)
        {
            throw new NnSimdFormatException(file, null, $"tensor '{name}' needs {expected:N0} bytes of external data, more than NnSimd reads into one array.");
        }

        if (length is { } given && given != expected)
        {
            throw new NnSimdFormatException(file, null, $"tensor '{name}' needs {expected:N0} bytes but its external_data length says {given:N0}.");
        }

        string path = Resolve(location, name, file);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        if (offset > stream.Length || stream.Length - offset < expected)
        {
            throw new NnSimdFormatException(path, offset, $"tensor '{name}' needs {expected:N0} bytes from here, but the file holds {stream.Length:N0} bytes in all.");
        }

        var bytes = new byte[expected];
        stream.Position = offset;
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static string Resolve(string? location, string name, string file)
    {
        if (string.IsNullOrEmpty(location) || location is "." or ".." || Path.IsPathRooted(location)
            || location.Contains('/', StringComparison.Ordinal) || location.Contains('\\', StringComparison.Ordinal) || location.Contains('\0', StringComparison.Ordinal))
        {
            throw new NnSimdFormatException(file, null,
                $"tensor '{name}' keeps its data in '{location}': external data is read only from a file named plainly in the model's own folder (no rooted path, separator or '..').");
        }

        string folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        string path = Path.Combine(folder, location);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new NnSimdFormatException(file, null, $"tensor '{name}' keeps its data in '{location}', which is not a file beside the model.");
        }

        if (info.LinkTarget is not null)
        {
            string target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
            if (!string.Equals(Path.GetDirectoryName(target), folder, StringComparison.Ordinal))
            {
                throw new NnSimdFormatException(file, null, $"tensor '{name}' keeps its data in '{location}', a link to {target}, outside the model's folder.");
            }
        }

        return path;
    }

    private static long Number(StringStringEntryProto entry, string name, string file) =>
        long.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new NnSimdFormatException(file, null, $"tensor '{name}': external_data {entry.Key} '{entry.Value}' is not a whole number of bytes.");
}
