namespace Containers.Cli;

internal static class VersionText
{
    public const string Version = "0.1.0";
    public const string Full = $"containers-runtime version {Version}\nspec: 1.2.0";
}
