using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using NnSimd.Cli.Checks;

namespace NnSimd.Cli.Commands;

/// <summary>
/// Options several commands share, defined once with their checks. Every check runs at parse time, before any
/// work starts, and says in one line which option is wrong and what it accepts.
/// </summary>
internal static class CommonOptions
{
    public static Option<string?> Data() => new("--data")
    {
        Description = "Data directory (default: $NNSIMD_DATA, else the per-user cache ~/.local/share/nnsimd); missing files are downloaded and checked against their SHA-256.",
    };

    public static Option<bool> Offline() => new("--offline") { Description = "Never download: use only the files already in the data directory, and name any that is missing." };

    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object instead of text." };

    /// <summary>A file to read; <see cref="FileChecks.Add"/> checks it.</summary>
    public static Option<string> InputFile(string name, string description, bool required = true) =>
        new(name) { Description = description, Required = required };

    /// <summary>A file argument to read; <see cref="FileChecks.Add"/> checks it.</summary>
    public static Argument<string> InputArgument(string name, string description) => new(name) { Description = description };

    /// <summary>A file to write, holding <paramref name="what"/>; <see cref="FileChecks.Add"/> checks it.</summary>
    public static OutputFile OutputFile(string name, string extension, string what, string description, bool required = true, string? alias = null)
    {
        Option<string> option = alias is null ? new(name) : new(name, alias);
        option.Description = description;
        option.Required = required;
        return new OutputFile(option, extension, what);
    }

    /// <summary>Threads: at least 1, at most the machine's processor count (more only contend for the same cores).</summary>
    public static Option<int> Threads(string description)
    {
        int max = Environment.ProcessorCount;
        return Int("--threads", 1, 1, max, $"{description} 1 to {max} (this machine's processors).");
    }

    /// <summary>A whole number in <c>[min, max]</c>.</summary>
    public static Option<int> Int(string name, int defaultValue, int min, int max, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => Parse(r, defaultValue, string.Create(CultureInfo.InvariantCulture, $"a whole number from {min} to {max}"),
            (string text, out int value) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max),
    };

    /// <summary>A finite number in <c>[min, max)</c>, or <c>(min, max)</c> when <paramref name="minExcluded"/>.</summary>
    public static Option<float> Real(string name, float defaultValue, float min, bool minExcluded, float max, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => Parse(r, defaultValue, string.Create(CultureInfo.InvariantCulture, $"a number {(minExcluded ? "greater than" : "from")} {min} {(minExcluded ? "and " : "")}below {max}"),
            (string text, out float value) => float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
                && float.IsFinite(value) && value >= min && !(minExcluded && value == min) && value < max),
    };

    private delegate bool TryParse<T>(string text, out T value);

    /// <summary>One message for a value that is malformed or out of range: what was given, and what is accepted.</summary>
    private static T Parse<T>(ArgumentResult result, T defaultValue, string accepted, TryParse<T> tryParse)
    {
        if (result.Tokens.Count == 0)
        {
            return defaultValue;
        }

        string text = result.Tokens[^1].Value;
        if (tryParse(text, out T value))
        {
            return value;
        }

        string name = result.Parent is OptionResult { Option: var option } ? option.Name : result.Argument.Name;
        result.AddError($"{name} {text} is not {accepted}.");
        return defaultValue;
    }
}
