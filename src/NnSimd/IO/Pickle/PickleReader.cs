namespace NnSimd.IO;

/// <summary>
/// Reads NumPy arrays saved with Python's <c>pickle.dump</c> (protocols 2 to 5) without Python and without
/// executing anything: the pickle opcodes are interpreted by a small stack machine whose only callables are an
/// allow-list of NumPy's array-rebuilding functions, modelled here. Any other global (<c>os.system</c>,
/// <c>builtins.eval</c>, <c>numpy.load</c>, ...) is refused with its name and offset, before anything happens.
/// Sizes are checked against the bytes actually present, so a lying length never allocates.
/// </summary>
public static class PickleReader
{
    /// <summary>Largest pickle accepted.</summary>
    public const long MaxFileBytes = 1L << 30;

    /// <summary>The globals a NumPy array pickle may name; nothing else is ever resolved.</summary>
    public static readonly IReadOnlySet<string> AllowedGlobals = new HashSet<string>
    {
        "numpy.core.multiarray._reconstruct",
        "numpy._core.multiarray._reconstruct",
        "numpy.ndarray",
        "numpy.dtype",
        "numpy.core.numeric._frombuffer",
        "numpy._core.numeric._frombuffer",
        "_codecs.encode",
    };

    /// <summary>
    /// The arrays of a pickle whose top object is a dict of arrays (keyed by their names) or a list or tuple of
    /// arrays (keyed "0", "1", ...).
    /// </summary>
    public static IReadOnlyDictionary<string, TensorData> ReadArrays(string path)
    {
        long length = new FileInfo(path).Length;
        if (length > MaxFileBytes)
        {
            throw new NnSimdFormatException(path, null, $"{length} bytes is larger than the {MaxFileBytes}-byte limit for a pickle.");
        }

        return ReadArrays(File.ReadAllBytes(path), path);
    }

    /// <summary>As <see cref="ReadArrays(string)"/>, from bytes; <paramref name="source"/> names them in errors.</summary>
    public static IReadOnlyDictionary<string, TensorData> ReadArrays(byte[] pickle, string source)
    {
        object? top = new PickleMachine(pickle, source, AllowedGlobals).Run();
        var result = new Dictionary<string, TensorData>();
        switch (top)
        {
            case Dictionary<object, object?> dict:
                foreach ((object key, object? value) in dict)
                {
                    string name = key as string ?? throw new NnSimdFormatException(source, null, $"a dict key is {Describe(key)}, not a string.");
                    result[name] = ToTensor(value, name, source);
                }

                break;
            case List<object?> list:
                for (int i = 0; i < list.Count; i++)
                {
                    result[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = ToTensor(list[i], $"[{i}]", source);
                }

                break;
            case object?[] tuple:
                for (int i = 0; i < tuple.Length; i++)
                {
                    result[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = ToTensor(tuple[i], $"[{i}]", source);
                }

                break;
            case NdArray single:
                result["0"] = single.ToTensor("0", source);
                break;
            default:
                throw new NnSimdFormatException(source, null, $"the pickle holds {Describe(top)}, not a dict, list or tuple of NumPy arrays.");
        }

        return result;
    }

    private static TensorData ToTensor(object? value, string name, string source) =>
        value is NdArray array ? array.ToTensor(name, source) : throw new NnSimdFormatException(source, null, $"'{name}' is {Describe(value)}, not a NumPy array.");

    internal static string Describe(object? value) => value switch
    {
        null => "None",
        string => "a string",
        byte[] => "bytes",
        NdArray => "an array",
        TorchTensor => "a tensor",
        Dictionary<object, object?> => "a dict",
        List<object?> => "a list",
        object?[] => "a tuple",
        _ => value.GetType().Name,
    };
}
