using System.Text.Json.Serialization;
using Containers.Runtime.Cgroups;
using Containers.Cli.Commands;
using Containers.Runtime.Lifecycle;

namespace Containers.Cli;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<ContainerSummary>))]
[JsonSerializable(typeof(List<int>))]
[JsonSerializable(typeof(RuntimeFeatures))]
[JsonSerializable(typeof(RuntimeEvent))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
