using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NnSimd.Cli;

/// <summary>
/// Writes the CLI's --json objects with Utf8JsonWriter: no reflection, so it stays trimming- and AOT-safe.
/// Values may be strings, numbers, booleans, nested pairs or sequences of those.
/// </summary>
internal static class Json
{
    public static string Object(IEnumerable<(string Key, object Value)> pairs)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            WriteObject(writer, pairs);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteObject(Utf8JsonWriter writer, IEnumerable<(string Key, object Value)> pairs)
    {
        writer.WriteStartObject();
        foreach ((string key, object value) in pairs)
        {
            writer.WritePropertyName(key);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case float f: writer.WriteNumberValue(Math.Round(f, 6)); break;
            case double d: writer.WriteNumberValue(double.IsFinite(d) ? Math.Round(d, 6) : 0); break;
            case IEnumerable<(string Key, object Value)> nested: WriteObject(writer, nested); break;
            case System.Collections.IEnumerable items:
                writer.WriteStartArray();
                foreach (object? item in items)
                {
                    WriteValue(writer, item!);
                }

                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }
}
