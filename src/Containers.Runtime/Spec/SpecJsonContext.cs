using System.Text.Json;
using System.Text.Json.Serialization;

namespace Containers.Runtime.Spec;

/// <summary>Source-generated (NativeAOT-safe) JSON for config.json and state.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false,
    MaxDepth = SpecJsonContext.MaxDepth)]
[JsonSerializable(typeof(RuntimeSpec))]
[JsonSerializable(typeof(ContainerState))]
public sealed partial class SpecJsonContext : JsonSerializerContext
{
    /// <summary>config.json nests 6 levels at most; anything deeper is hostile or broken.</summary>
    public const int MaxDepth = 32;

    /// <summary>Writes indented JSON, as <c>runc spec</c> does.</summary>
    public static SpecJsonContext Indented { get; } =
        new(new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            AllowDuplicateProperties = false,
            MaxDepth = MaxDepth,
            WriteIndented = true,
            IndentSize = 2,
        });
}
