using NnSimd.Data;

namespace NnSimd.TestSupport;

/// <summary>
/// The reference data (MNIST test set, the book's weights), found the way the CLI finds it: <c>NNSIMD_DATA</c>,
/// else <c>../shared/data</c> beside the repository when it holds the files, else the per-user cache, where
/// what is missing is downloaded and verified. Missing data fails the test with a message naming every place
/// looked in; it never passes silently. The answer, or the failure, is worked out once per test run.
/// </summary>
public static class TestData
{
    /// <summary>The files the tests read.</summary>
    public static readonly KnownFile[] Needed = [KnownFiles.SampleWeights, KnownFiles.TestImages, KnownFiles.TestLabels];

    private static readonly Lazy<string> Resolved = new(() =>
        Resolve(Environment.GetEnvironmentVariable, Path.Combine(RepositoryRoot, "..", "shared", "data"), DataDirectory.DefaultCache()));

    public static string Directory => Resolved.Value;

    public static string SampleWeights => Path.Combine(Directory, "sample_weight.pkl");

    /// <summary>
    /// The folder holding every <see cref="Needed"/> file, with the environment, the <c>../shared/data</c> folder and
    /// the cache passed in so that the order can be tested without touching the process's own.
    /// </summary>
    public static string Resolve(Func<string, string?> environment, string shared, string? cache)
    {
        bool variableSet = !string.IsNullOrEmpty(environment(DataDirectory.Variable));
        var sharedData = new DataDirectory(shared, offline: true);
        if (!variableSet && Needed.All(f => sharedData.Find(f) is not null))
        {
            return shared;
        }

        string looked = variableSet
            ? $"${DataDirectory.Variable}={environment(DataDirectory.Variable)}"
            : $"${DataDirectory.Variable} (not set); ../shared/data beside the repository ({Path.GetFullPath(shared)}: "
              + $"{(System.IO.Directory.Exists(shared) ? "incomplete" : "absent")}); the per-user cache {cache ?? "(none: no home folder)"}";
        try
        {
            DataDirectory data = DataDirectory.Resolve(null, offline: false, environment, cache);
            foreach (KnownFile file in Needed)
            {
                data.Get(file);
            }

            return data.Root;
        }
        catch (IOException e)
        {
            string why = e is MissingDataException m ? $"{m.File.RelativePath} is missing there and {m.Reason}" : e.Message.TrimEnd('.');
            throw new InvalidOperationException(
                $"The tests need sample_weight.pkl and mnist/t10k-*-ubyte.gz. Looked in: {looked}. {why}. "
                + $"Set {DataDirectory.Variable} to a folder holding these files, or run where the download can reach its source.", e);
        }
    }

    public static string RepositoryRoot
    {
        get
        {
            string? dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "NnSimd.sln")))
            {
                dir = Path.GetDirectoryName(dir);
            }

            return dir ?? throw new InvalidOperationException("NnSimd.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>A fresh empty directory under the system temp folder.</summary>
    public static string TempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nnsimd-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }
}
