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
            FileKind.PyTorch => PyTorchFile.Read(path),
            FileKind.SafeTensors => SafeTensors.Read(path).Tensors,
            FileKind.Npy => [Npy.Read(path)],
            FileKind.Npz => Npz.Read(path),
            FileKind.Idx or FileKind.Gzip => [Idx.Read(path)],
            _ => throw new NotSupportedException(
                $"{path} is {FileFormat.Describe(kind)}; nnsimd reads .pkl, .pt, .npy, .npz, .safetensors and IDX files (by their contents, whatever their names)."),
        };
    }
}
