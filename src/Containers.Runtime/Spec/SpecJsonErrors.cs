using System.Text.Json;
using System.Text.RegularExpressions;

namespace Containers.Runtime.Spec;

/// <summary>Turns System.Text.Json's exceptions into a path and a reason a user can act on.</summary>
internal static partial class SpecJsonErrors
{
    public static SpecError FromJsonException(JsonException e)
    {
        var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
        var where = e.LineNumber is long line
            ? $" (line {line + 1}, byte {(e.BytePositionInLine ?? 0) + 1})"
            : "";
        return new SpecError(path, Reason(e) + where);
    }

    private static string Reason(JsonException e)
    {
        // The outer message names the type being filled; the inner one says what was wrong with the value.
        switch (e.InnerException)
        {
            case FormatException format when OutOfBounds().Match(format.Message) is { Success: true } m:
                return "expected " + Describe("System." + m.Groups[1].Value);
            case InvalidOperationException op when WrongToken().Match(op.Message) is { Success: true } m:
                return $"expected {Article(m.Groups[2].Value)}, not {Token(m.Groups[1].Value)}";
            case InvalidOperationException op when op.Message.Contains("UTF-8", StringComparison.Ordinal):
                return "invalid UTF-8 in a string";
        }

        if (e.InnerException is null && ConvertedTo().Match(e.Message) is { Success: true } converted)
        {
            return "expected " + Describe(converted.Groups[1].Value);
        }

        // The reader's own message ends with " Path: … | LineNumber: …": we print those ourselves.
        var message = e.InnerException is JsonException inner ? inner.Message : e.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        var text = (cut >= 0 ? message[..cut] : message).Trim();
        cut = text.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        text = (cut >= 0 ? text[..cut] : text).Trim();
        return "malformed JSON: " + text;
    }

    private static string Article(string kind) => kind switch
    {
        "boolean" => "true or false",
        "string" => "a string",
        "number" => "a number",
        _ => kind.Length > 0 && "aeiou".Contains(kind[0], StringComparison.Ordinal) ? "an " + kind : "a " + kind,
    };

    private static string Token(string tokenType) => tokenType switch
    {
        "String" => "a string",
        "Number" => "a number",
        "True" or "False" => tokenType.ToLowerInvariant(),
        "StartArray" => "an array",
        "StartObject" => "an object",
        "Null" => "null",
        _ => tokenType,
    };

    private static string Describe(string typeName)
    {
        var inner = Nullable().Match(typeName);
        if (inner.Success)
        {
            typeName = inner.Groups[1].Value;
        }

        return typeName switch
        {
            "System.String" => "a string",
            "System.Boolean" => "true or false",
            "System.Int32" => "an integer from -2147483648 to 2147483647",
            "System.UInt32" => "an integer from 0 to 4294967295",
            "System.Int64" => "an integer from -9223372036854775808 to 9223372036854775807",
            "System.UInt64" => "an integer from 0 to 18446744073709551615",
            "System.UInt16" => "an integer from 0 to 65535",
            _ when typeName.Contains("IReadOnlyList", StringComparison.Ordinal) => "an array",
            _ when typeName.Contains("IReadOnlyDictionary", StringComparison.Ordinal) => "an object",
            _ when typeName.StartsWith("Containers.Runtime.Spec.", StringComparison.Ordinal) => "an object",
            _ => typeName,
        };
    }

    [GeneratedRegex(@"could not be converted to (\S+?)\.(?: Path:|$)")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"^System\.Nullable`1\[\[?([^,\]]+)")]
    private static partial Regex Nullable();

    [GeneratedRegex(@"out of bounds for an? (\w+)\.")]
    private static partial Regex OutOfBounds();

    [GeneratedRegex(@"token type '(\w+)' as an? (\w+)\.")]
    private static partial Regex WrongToken();
}
