using System.IO.Compression;
using NnSimd.Cli.Pickle;
using NnSimd.IO;

namespace NnSimd.Cli;

/// <summary>Reads the tensors of any file the CLI understands, chosen by extension (and by content for IDX).</summary>
internal static class TensorFiles
{
    public static IReadOnlyList<TensorData> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist.", path);
        }

        string lower = path.ToLowerInvariant();
        if (lower.EndsWith(".pkl", StringComparison.Ordinal) || lower.EndsWith(".pickle", StringComparison.Ordinal))
        {
            return PickleReader.ReadArrays(path).Values.ToList();
        }

        if (lower.EndsWith(".safetensors", StringComparison.Ordinal))
        {
            return SafeTensors.Read(path).Tensors;
        }

        if (lower.EndsWith(".npy", StringComparison.Ordinal))
        {
            return [Npy.Read(path)];
        }

        if (lower.EndsWith(".npz", StringComparison.Ordinal))
        {
            return ReadNpz(path);
        }

        if (lower.Contains("-ubyte", StringComparison.Ordinal) || lower.EndsWith(".idx", StringComparison.Ordinal))
        {
            return [Idx.Read(path)];
        }

        throw new NotSupportedException($"{path}: unknown format (expected .pkl, .npy, .npz, .safetensors or an IDX file).");
    }

    private static List<TensorData> ReadNpz(string path)
    {
        using ZipArchive zip = ZipFile.OpenRead(path);
        var tensors = new List<TensorData>();
        foreach (ZipArchiveEntry entry in zip.Entries)
        {
            if (!entry.FullName.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            {
                throw new NnSimdFormatException(path, null, $"member '{entry.FullName}' is not an .npy array.");
            }

            using Stream stream = entry.Open();
            using var buffered = new MemoryStream();
            stream.CopyTo(buffered, 81920);
            buffered.Position = 0;
            tensors.Add(Npy.Read(buffered, $"{path}:{entry.FullName}", entry.FullName[..^4]));
        }

        return tensors;
    }
}
