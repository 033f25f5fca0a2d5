using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace NnSimd.Internal;

/// <summary>Argument checks, always on. Throws live in non-inlined helpers so hot callers stay small.</summary>
internal static class Guard
{
    public static void SameLength(ReadOnlySpan<float> x, ReadOnlySpan<float> y, string xName, string yName)
    {
        if (x.Length != y.Length)
        {
            ThrowArgument($"{xName} has {x.Length} elements but {yName} has {y.Length}; they must be equal.", yName);
        }
    }

    /// <summary>In place (the very same span) is allowed; a shifted overlap would read values already written.</summary>
    public static void NoPartialOverlap(ReadOnlySpan<float> x, ReadOnlySpan<float> y, string xName, string yName)
    {
        if (x.Overlaps(y, out int offset) && offset != 0)
        {
            ThrowArgument($"{xName} and {yName} overlap at an offset of {offset}; use the same span or disjoint spans.", yName);
        }
    }

    /// <summary>A [rows x cols] buffer must have rows * cols elements. The message is built only on failure.</summary>
    public static void Shape(ReadOnlySpan<float> span, int rows, int cols, string name)
    {
        if (span.Length != (long)rows * cols)
        {
            ThrowArgument($"{name} has {span.Length} elements but its shape {rows}x{cols} needs {(long)rows * cols}.", name);
        }
    }

    /// <summary>A vector must have exactly <paramref name="expected"/> elements.</summary>
    public static void Length(ReadOnlySpan<float> span, int expected, string name)
    {
        if (span.Length != expected)
        {
            ThrowArgument($"{name} has {span.Length} elements but needs {expected}.", name);
        }
    }

    public static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            ThrowOutOfRange(name, value, $"{name} must be positive.");
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgument(string message, string paramName) => throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowOutOfRange(string paramName, object value, string message) =>
        throw new ArgumentOutOfRangeException(paramName, value, message);
}
