namespace Containers.Image;

/// <summary>What an image's config says a container runs with, each overridable by New-Container's parameters.</summary>
public sealed record ImageDefaults(
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Cmd,
    IReadOnlyList<string> Env,
    string WorkingDir,
    string User,
    IReadOnlyList<string> ExposedPorts,
    IReadOnlyList<string> Volumes,
    string? StopSignal,
    IReadOnlyDictionary<string, string> Labels)
{
    public static ImageDefaults From(ImageConfig config)
    {
        ContainerConfig c = config.Config ?? new ContainerConfig();
        return new ImageDefaults(
            c.Entrypoint ?? [],
            c.Cmd ?? [],
            c.Env ?? [],
            string.IsNullOrEmpty(c.WorkingDir) ? "/" : c.WorkingDir,
            c.User ?? "",
            c.ExposedPorts?.Keys.Order(StringComparer.Ordinal).ToList() ?? [],
            c.Volumes?.Keys.Order(StringComparer.Ordinal).ToList() ?? [],
            string.IsNullOrEmpty(c.StopSignal) ? null : c.StopSignal,
            c.Labels ?? new Dictionary<string, string>());
    }

    /// <summary>The process args as Docker builds them: Entrypoint then Cmd; a given command replaces Cmd only.</summary>
    public IReadOnlyList<string> Args(IReadOnlyList<string>? command = null, IReadOnlyList<string>? entrypoint = null) =>
        [.. entrypoint ?? Entrypoint, .. command ?? (entrypoint is null ? Cmd : [])];
}
