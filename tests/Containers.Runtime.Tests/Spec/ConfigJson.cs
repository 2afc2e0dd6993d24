using System.Text;
using System.Text.Json.Nodes;
using Containers.Runtime.Seccomp;
using Containers.Runtime.Spec;

namespace Containers.Runtime.Tests.Spec;

/// <summary>Valid configs as JSON, and edits of them by dotted path (<c>linux.namespaces[2].type</c>).</summary>
internal static class ConfigJson
{
    public static string Default() => SpecLoader.Serialize(DefaultSpec.Create(architecture: SeccompArchitecture.X86_64));

    public const string Minimal = """
        {
          "ociVersion": "1.2.0",
          "process": { "args": ["sh"], "cwd": "/", "env": ["PATH=/bin", "A=b", "C=d"], "user": { "uid": 0, "gid": 0 } },
          "root": { "path": "rootfs" },
          "linux": { "namespaces": [ { "type": "pid" }, { "type": "mount" }, { "type": "ipc" }, { "type": "uts" } ] }
        }
        """;

    /// <summary>The default config with <paramref name="path"/> set to <paramref name="value"/> (JSON text), creating objects on the way.</summary>
    public static string With(string path, string? value, string? baseJson = null)
    {
        var root = JsonNode.Parse(baseJson ?? Default())!;
        var parts = Split(path);
        JsonNode node = root;
        for (var i = 0; i < parts.Count - 1; i++)
        {
            node = Child(node, parts[i], parts[i + 1]);
        }

        var last = parts[^1];
        var newValue = value is null ? null : JsonNode.Parse(value);
        if (last is int index)
        {
            var array = node.AsArray();
            while (array.Count <= index)
            {
                array.Add(null);
            }

            array[index] = newValue;
        }
        else if (value is null && node.AsObject().ContainsKey((string)last))
        {
            node.AsObject().Remove((string)last);
        }
        else
        {
            node.AsObject()[(string)last] = newValue;
        }

        return root.ToJsonString();
    }

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    private static JsonNode Child(JsonNode node, object key, object next)
    {
        JsonNode? child;
        if (key is int index)
        {
            child = node.AsArray()[index];
            if (child is null)
            {
                node.AsArray()[index] = child = next is int ? new JsonArray() : new JsonObject();
            }
        }
        else
        {
            child = node.AsObject()[(string)key];
            if (child is null)
            {
                node.AsObject()[(string)key] = child = next is int ? new JsonArray() : new JsonObject();
            }
        }

        return child;
    }

    private static List<object> Split(string path)
    {
        var parts = new List<object>();
        foreach (var segment in path.Split('.'))
        {
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            parts.Add(bracket < 0 ? segment : segment[..bracket]);
            while (bracket >= 0)
            {
                var close = segment.IndexOf(']', bracket);
                parts.Add(int.Parse(segment[(bracket + 1)..close]));
                bracket = segment.IndexOf('[', close);
            }
        }

        return parts;
    }
}
