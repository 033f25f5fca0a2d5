using System.IO.Compression;
using NnSimd.Cli.Formats;
using NnSimd.Cli.Pickle;
using NnSimd.IO;

namespace NnSimd.Cli;

/// <summary>Reads the tensors of any file the CLI understands, told apart by its first bytes (<see cref="FileFormat"/>).</summary>
internal static class TensorFiles
{
    public static IReadOnlyList<TensorData> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist.", path);
        }

        FileKind kind = FileFormat.Detect(path);
        return kind switch
        {
            FileKind.Pickle => PickleReader.ReadArrays(path).Values.ToList(),
            FileKind.SafeTensors => SafeTensors.Read(path).Tensors,
            FileKind.Npy => [Npy.Read(path)],
            FileKind.Npz => ReadNpz(path),
            FileKind.Idx or FileKind.Gzip => [Idx.Read(path)],
            _ => throw new NotSupportedException(
                $"{path} is {FileFormat.Describe(kind)}; nnsimd reads .pkl, .npy, .npz, .safetensors and IDX files (by their contents, whatever their names)."),
        };
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
