using System.Text;

namespace NnSimd.IO;

/// <summary>
/// Reads a PyTorch <c>torch.save(model.state_dict())</c> file (the zip format torch writes since 1.6:
/// <c>NAME/data.pkl</c>, <c>NAME/data/KEY</c> storages, <c>NAME/byteorder</c>) without Python and without
/// executing anything. The pickle is interpreted as <c>torch.load(weights_only=True)</c> would: storages by
/// persistent id, <c>torch._utils._rebuild_tensor_v2</c> views (offset, sizes, strides; shared and
/// non-contiguous storages), <c>collections.OrderedDict</c> and the float storage types. Tensors of float32,
/// float64, float16 and bfloat16 are read into float32; <see cref="TensorData.SourceDType"/> keeps the original.
/// A whole pickled model, the legacy (pre-zip) format, or any other global is refused by name.
/// </summary>
public static class PyTorchFile
{
    /// <summary>The globals a state_dict pickle may name; nothing else is ever resolved.</summary>
    public static readonly IReadOnlySet<string> AllowedGlobals = new HashSet<string>(TorchStorage.Types.Keys)
    {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_tensor",
    };

    /// <summary>The tensors of the state_dict in <paramref name="path"/>, in the file's order (the modules' order).</summary>
    public static IReadOnlyList<TensorData> Read(string path)
    {
        using var zip = new SafeZip(path);
        var pickles = zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1).ToList();
        if (pickles.Count != 1)
        {
            throw new NnSimdFormatException(path, null, $"a torch.save zip has one NAME/data.pkl; this one has {pickles.Count}.");
        }

        string root = pickles[0].FullName[..^"data.pkl".Length];
        bool bigEndian = zip.Find(root + "byteorder") is { } order && ByteOrder(Encoding.ASCII.GetString(zip.Read(order)), path);
        var storages = new Dictionary<string, TorchStorage>();

        object? PersistentLoad(object? pid, long op)
        {
            // ('storage', storage type, key, location, element count)
            if (pid is not object?[] { Length: 5 } t || t[0] is not "storage" || t[1] is not PickleMachine.GlobalRef type
                || t[2] is not string key || t[4] is not long count)
            {
                throw new NnSimdFormatException(path, op, "a persistent id that is not ('storage', type, key, location, size).");
            }

            if (!storages.TryGetValue(key, out TorchStorage? storage))
            {
                if (!TorchStorage.Types.TryGetValue(type.Name, out TensorDType dtype))
                {
                    throw new NnSimdFormatException(path, op, $"storage '{key}' has type {type.Name}, not a float storage ({string.Join(", ", TorchStorage.Types.Keys)}).");
                }


                var entry = zip.Find($"{root}data/{key}") ?? throw new NnSimdFormatException(path, op, $"storage '{key}' has no member {root}data/{key}.");
                storage = new TorchStorage(key, dtype, zip.Read(entry), bigEndian);
                if (storage.Count < count)
                {
                    throw new NnSimdFormatException(path, op, $"storage '{key}' holds {storage.Count} elements but the pickle says {count}.");
                }

                storages[key] = storage;
            }

            return storage;
        }

        byte[] pickle = zip.Read(pickles[0]);
        object? top = new PickleMachine(pickle, $"{path}:{pickles[0].FullName}", AllowedGlobals, PersistentLoad).Run();
        if (top is not Dictionary<object, object?> dict)
        {
            throw new NnSimdFormatException(path, null, $"the file holds {PickleReader.Describe(top)}, not a state_dict (a dict of tensors).");
        }

        var tensors = new List<TensorData>(dict.Count);
        foreach ((object key, object? value) in dict)
        {
            if (key is not string name || value is not TorchTensor tensor)
            {
                throw new NnSimdFormatException(path, null, $"entry {key} is {PickleReader.Describe(value)}, not a tensor: only a state_dict of tensors is read.");
            }

            tensors.Add(TensorData.FromFloats(name, tensor.Shape, tensor.Values, tensor.DType));
        }

        return tensors;
    }

    private static bool ByteOrder(string text, string path) => text.Trim() switch
    {
        "little" => false,
        "big" => true,
        _ => throw new NnSimdFormatException(path, null, $"byteorder '{text}' is neither little nor big."),
    };
}
