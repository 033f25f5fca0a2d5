using System.CommandLine;
using System.CommandLine.Parsing;

namespace NnSimd.Cli.Checks;

/// <summary>
/// The checks every command makes on the files it is given, at parse time, before any work starts: inputs exist
/// and are files; outputs have the extension of what is written into them, sit in a folder that exists and can
/// be written, and never name an input or another output, however they are spelled (symbolic links, <c>./</c>,
/// <c>..</c>). Writing is atomic anyway, but an output that is an input would still replace the user's file.
/// </summary>
internal static class FileChecks
{
    /// <summary>Why <paramref name="path"/> cannot be read as a file, or null when it can.</summary>
    public static string? InputProblem(string path)
    {
        if (Directory.Exists(path))
        {
            return $"{path} is a directory, not a file.";
        }

        return File.Exists(path) ? null : $"{path} does not exist.";
    }

    /// <summary>Why <paramref name="path"/> cannot be written as a <paramref name="extension"/> file, or null when it can.</summary>
    public static string? OutputProblem(string path, string extension, string what)
    {
        if (!path.EndsWith(extension, StringComparison.OrdinalIgnoreCase) || path.Length == extension.Length)
        {
            return $"{path} does not end in {extension}, but {what} is written there.";
        }

        if (Directory.Exists(path))
        {
            return $"{path} is a directory, not a file.";
        }

        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        if (File.Exists(folder))
        {
            return $"{path}: {folder} is a file, not a folder.";
        }

        if (!Directory.Exists(folder))
        {
            return $"{path}: the folder {folder} does not exist (nothing is created for an output).";
        }

        try
        {
            // The one sure test of "can a file be created here" on every platform: create one. It is removed as
            // it is closed, so a crash between the two leaves nothing behind either.
            using var probe = new FileStream(Path.Combine(folder, $".nnsimd-probe-{Environment.ProcessId}-{Guid.NewGuid():N}"),
                FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{path}: cannot write in {folder} ({e.Message.TrimEnd('.')}).";
        }

        return null;
    }

    /// <summary>
    /// Checks <paramref name="command"/>'s files when it is parsed: every output against the inputs and the
    /// outputs before it, then (when none clash) each input and each output on its own. One validator does it
    /// all, so the order of the messages is fixed. Options that were not given are skipped.
    /// </summary>
    public static void Add(Command command, Symbol[] inputs, params OutputFile[] outputs)
    {
        foreach (OutputFile output in outputs)
        {
            command.Options.Add(output.Option);
        }

        command.Validators.Add(result =>
        {
            // A clash is named first: "that is your model" matters more than "that is the wrong extension".
            var problems = Clashes(result, inputs, outputs.Select(o => (Symbol)o.Option).ToArray()).ToList();
            foreach (Symbol input in problems.Count > 0 ? [] : inputs)
            {
                if (Value(result, input) is { } path && InputProblem(path) is { } problem)
                {
                    problems.Add(Named(input, problem));
                }
            }

            foreach (OutputFile output in problems.Count > 0 ? [] : outputs)
            {
                if (Value(result, output.Option) is { } path && OutputProblem(path, output.Extension, output.What) is { } problem)
                {
                    problems.Add(Named(output.Option, problem));
                }
            }


            foreach (string problem in problems)
            {
                result.AddError(problem);
            }
        });
    }

    /// <summary>"--input x.npy does not exist."; an argument's name adds nothing to its path.</summary>
    private static string Named(Symbol symbol, string problem) => symbol is Option option ? $"{option.Name} {problem}" : problem;

    private static IEnumerable<string> Clashes(CommandResult result, Symbol[] inputs, Symbol[] outputs)
    {
        var seen = new List<(string Name, string Path, string Real, bool IsInput)>();
        foreach ((Symbol symbol, bool isInput) in inputs.Select(s => (s, true)).Concat(outputs.Select(s => (s, false))))
        {
            if (Value(result, symbol) is not { } path)
            {
                continue;
            }

            (string? real, string? loop) = Resolve(path);
            if (real is null)
            {
                yield return loop!;
                yield break;
            }

            if (!isInput && seen.FirstOrDefault(s => string.Equals(s.Real, real, RealPath.Comparison)) is { Name: not null } other)
            {
                string same = other.Path == path ? "" : $" ({other.Path} and {path} are the same file)";
                yield return other.IsInput
                    ? $"{symbol.Name} {path} is the {other.Name} file{same}; refusing to overwrite an input."
                    : $"{symbol.Name} {path} is the {other.Name} file too{same}; each output needs a file of its own.";
                yield break;
            }

            seen.Add((symbol.Name, path, real, isInput));
        }
    }

    private static (string? Real, string? Problem) Resolve(string path)
    {
        try
        {
            return (RealPath.Resolve(path), null);
        }
        catch (IOException e)
        {
            return (null, e.Message);
        }
    }

    private static string? Value(CommandResult result, Symbol symbol) => symbol switch
    {
        Option option => result.GetResult(option)?.GetValueOrDefault<string?>(),
        Argument argument => result.GetResult(argument)?.GetValueOrDefault<string?>(),
        _ => null,
    };
}

/// <summary>An option naming a file to write, with what goes into it and the extension that says so.</summary>
internal sealed record OutputFile(Option<string> Option, string Extension, string What);
