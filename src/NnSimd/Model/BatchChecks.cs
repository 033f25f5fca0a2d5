using NnSimd.Internal;

namespace NnSimd.Model;

/// <summary>The argument checks of a network call, float or int8, with the same messages.</summary>
internal static class BatchChecks
{
    /// <summary>The rows in an input of <paramref name="length"/> elements, checked to be whole rows of <paramref name="inputs"/>, for a workspace of this network.</summary>
    public static int Rows(int length, int inputs, object workspace, bool workspaceIsThisNetworks, string name)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!workspaceIsThisNetworks)
        {
            Guard.ThrowArgument("The workspace was made by another network.", nameof(workspace));
        }

        if (length == 0 || length % inputs != 0)
        {
            Guard.ThrowArgument($"{name} has {length} elements, not a whole positive number of rows of {inputs}.", name);
        }

        return length / inputs;
    }

    public static void Classes(Span<int> classes, int rows)
    {
        if (classes.Length != rows)
        {
            Guard.ThrowArgument($"input has {rows} rows but classes has {classes.Length} entries.", nameof(classes));
        }
    }

    public static void Divisor(float divisor)
    {
        if (!float.IsFinite(divisor) || divisor == 0)
        {
            Guard.ThrowArgument($"divisor must be finite and non-zero, not {divisor}.", nameof(divisor));
        }
    }
}
