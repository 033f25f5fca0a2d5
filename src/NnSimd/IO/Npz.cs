namespace NnSimd.IO;

/// <summary>NumPy's <c>.npz</c>: a zip of <c>.npy</c> members, each read as a tensor named after its member.</summary>
public static class Npz
{
    /// <summary>The arrays of <paramref name="path"/>, in the archive's order.</summary>
    public static IReadOnlyList<TensorData> Read(string path)
    {
        using var zip = new SafeZip(path);
        var tensors = new List<TensorData>();
        foreach (var entry in zip.Entries)
        {
            if (!entry.FullName.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            {
                throw new NnSimdFormatException(path, null, $"member '{entry.FullName}' is not an .npy array.");
            }

            using var stream = new MemoryStream(zip.Read(entry), writable: false);
            tensors.Add(Npy.Read(stream, $"{path}:{entry.FullName}", entry.FullName[..^4]));
        }

        return tensors;
    }
}
