namespace NnSimd.Tests;

/// <summary>
/// The reference data (MNIST test set, the book's weights): <c>NNSIMD_DATA</c>, else <c>../shared/data</c>
/// beside the repository. Missing data fails the test with a message; it never passes silently.
/// </summary>
internal static class TestData
{
    public static string Directory
    {
        get
        {
            string? env = Environment.GetEnvironmentVariable("NNSIMD_DATA");
            string dir = env ?? Path.Combine(RepositoryRoot, "..", "shared", "data");
            if (!File.Exists(Path.Combine(dir, "sample_weight.pkl")))
            {
                throw new InvalidOperationException($"Reference data not found in {Path.GetFullPath(dir)}: set NNSIMD_DATA to the folder holding sample_weight.pkl and mnist/.");
            }

            return dir;
        }
    }

    public static string SampleWeights => Path.Combine(Directory, "sample_weight.pkl");

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
