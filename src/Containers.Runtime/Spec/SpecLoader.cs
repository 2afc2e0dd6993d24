using System.Text;
using System.Text.Json;

namespace Containers.Runtime.Spec;

/// <summary>Reads a bundle's config.json into a validated <see cref="RuntimeSpec"/>.</summary>
public static class SpecLoader
{
    public const string ConfigFileName = "config.json";

    /// <summary>Larger than any sane config (runc has no limit; Docker's are a few KiB).</summary>
    public const int MaxConfigBytes = 16 * 1024 * 1024;

    /// <summary>Reads, parses and validates <c>bundleDir/config.json</c>, including that root.path exists.</summary>
    public static RuntimeSpec Load(string bundleDir, SpecValidatorOptions? options = null)
    {
        var file = Path.Combine(bundleDir, ConfigFileName);
        byte[] bytes;
        try
        {
            var info = new FileInfo(file);
            if (info.Exists && info.Length > MaxConfigBytes)
            {
                throw new SpecException(new SpecError("", $"{file}: larger than {MaxConfigBytes} bytes"));
            }

            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpecException(new SpecError("", $"cannot read {file}: {e.Message}"), e);
        }

        var spec = ParseJson(bytes);
        SpecValidator.ThrowIfInvalid(spec, (options ?? SpecValidatorOptions.Default) with { BundleDir = bundleDir });
        return spec;
    }

    /// <summary>Parses and validates config.json text; the bundle is not looked at.</summary>
    public static RuntimeSpec Parse(ReadOnlySpan<byte> json, SpecValidatorOptions? options = null)
    {
        var spec = ParseJson(json);
        SpecValidator.ThrowIfInvalid(spec, options ?? SpecValidatorOptions.Default);
        return spec;
    }

    public static RuntimeSpec Parse(string json, SpecValidatorOptions? options = null) =>
        Parse(Encoding.UTF8.GetBytes(json), options);

    /// <summary>JSON to model only: every malformed input becomes a <see cref="SpecException"/>.</summary>
    public static RuntimeSpec ParseJson(ReadOnlySpan<byte> json)
    {
        RuntimeSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize(json, SpecJsonContext.Default.RuntimeSpec);
        }
        catch (JsonException e)
        {
            throw new SpecException(SpecJsonErrors.FromJsonException(e), e);
        }

        return spec ?? throw new SpecException(new SpecError("$", "config must be a JSON object, not null"));
    }

    /// <summary>Indented JSON as runc writes it (two spaces), nulls omitted.</summary>
    public static string Serialize(RuntimeSpec spec) =>
        JsonSerializer.Serialize(spec, SpecJsonContext.Indented.RuntimeSpec);

    /// <summary>Compact JSON for the runtime's own records (state, init's orders): the options config.json was
    /// parsed with, so the serializer metadata built for that parse is reused instead of built a second time.</summary>
    public static string SerializeCompact(RuntimeSpec spec) =>
        JsonSerializer.Serialize(spec, SpecJsonContext.Default.RuntimeSpec);

    public static string Serialize(ContainerState state) =>
        JsonSerializer.Serialize(state, SpecJsonContext.Default.ContainerState);

    public static ContainerState ParseState(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, SpecJsonContext.Default.ContainerState)
                ?? throw new SpecException(new SpecError("$", "state must be a JSON object, not null"));
        }
        catch (JsonException e)
        {
            throw new SpecException(SpecJsonErrors.FromJsonException(e), e);
        }
    }
}
