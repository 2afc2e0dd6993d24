using System.Text;
using System.Text.Json.Serialization;
using Containers.Interop;

namespace Containers.Cli.Shim;

// The files and messages the shim shares with Containers.Engine (which keeps its own copy of
// these shapes: src/Containers.Engine/ShimProtocol.cs). Change both together.

/// <summary>DATA/exit.json: written once, atomically, when the container's process has exited.</summary>
public sealed record ShimExit
{
    /// <summary>The shell's convention: exit status, or 128 + the signal that ended it; null when unknown.</summary>
    public int? ExitCode { get; init; }
    public DateTimeOffset FinishedAt { get; init; }
    /// <summary>"exited", "signaled", or "shim-lost" (written by the engine when the shim died first).</summary>
    public string Reason { get; init; } = "exited";
}

/// <summary>The one line the shim writes to the engine's start pipe (fd 3).</summary>
public sealed record ShimStartResult
{
    public bool Ok { get; init; }
    public string? Error { get; init; }
    public int ShimPid { get; init; }
    public int Pid { get; init; }
    public DateTimeOffset StartedAt { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ShimExit))]
[JsonSerializable(typeof(ShimStartResult))]
internal sealed partial class ShimJsonContext : JsonSerializerContext;

/// <summary>
/// Unix socket paths are limited to 107 bytes; a longer one is reached through /proc/self/fd/N/NAME
/// with N an O_PATH descriptor of its directory, kept open while the path is in use.
/// </summary>
public sealed class UnixSocketPath : IDisposable
{
    private readonly SafeFd? _directory;

    public UnixSocketPath(string path)
    {
        if (Encoding.UTF8.GetByteCount(path) < 108)
        {
            Usable = path;
            return;
        }
        _directory = Syscalls.Openat2(SafeFd.CurrentDirectory, Path.GetDirectoryName(path)!,
            OpenHow.Create(OpenFlags.Path | OpenFlags.Directory | OpenFlags.CloseOnExec, ResolveFlags.None));
        Usable = $"/proc/self/fd/{_directory.DangerousGetHandle()}/{Path.GetFileName(path)}";
    }

    public string Usable { get; }

    public void Dispose() => _directory?.Dispose();
}
