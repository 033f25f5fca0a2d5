using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NnSimd.Tests;

/// <summary>
/// Compiles a top-level-statements program as <c>dotnet new console</c> would (nullable on, the SDK's implicit
/// usings, the latest language version, every warning wave) against the shared framework and NnSimd only, so
/// a block that compiles here compiles in a user's project.
/// </summary>
internal static class SnippetCompiler
{
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    // NnSimd and its one package, as a reference to the NnSimd package brings them.
    private static readonly string[] Libraries = ["NnSimd.dll", "System.Numerics.Tensors.dll", "NnSimd.Onnx.dll", "Google.Protobuf.dll"];

    /// <summary>Writes <c>snippet.dll</c> (and what it needs to run) to <paramref name="directory"/>; returns its path.</summary>
    public static string Compile(string code, int readmeLine, string directory)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "snippet",
            [CSharpSyntaxTree.ParseText(code, parse, "README.md"), CSharpSyntaxTree.ParseText(ImplicitUsings, parse, "GlobalUsings.g.cs")],
            References(),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999));

        string dll = Path.Combine(directory, "snippet.dll");
        Microsoft.CodeAnalysis.Emit.EmitResult result;
        using (FileStream stream = File.Create(dll))
        {
            result = compilation.Emit(stream);
        }

        Diagnostic[] problems = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        if (problems.Length > 0 || !result.Success)
        {
            throw new InvalidOperationException($"README.md block at line {readmeLine} does not compile as written:\n" +
                string.Join('\n', problems.Select(d => $"README.md({readmeLine + d.Location.GetLineSpan().StartLinePosition.Line}): {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")));
        }

        foreach (string library in Libraries)
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, library), Path.Combine(directory, library), overwrite: true);
        }

        string runtimeConfig = JsonSerializer.Serialize(new
        {
            runtimeOptions = new { tfm = "net10.0", framework = new { name = "Microsoft.NETCore.App", version = Environment.Version.ToString() } },
        });
        File.WriteAllText(Path.Combine(directory, "snippet.runtimeconfig.json"), runtimeConfig);
        return dll;
    }

    private static List<MetadataReference> References()
    {
        string framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == framework)
            .Concat(Libraries.Select(l => Path.Combine(AppContext.BaseDirectory, l)));
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
    }
}
