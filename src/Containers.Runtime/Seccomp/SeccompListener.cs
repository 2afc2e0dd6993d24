using System.Text;
using System.Text.Json;
using Containers.Interop;
using Containers.Runtime.Spec;

namespace Containers.Runtime.Seccomp;

/// <summary>
/// The seccomp agent's socket (linux.seccomp.listenerPath): the runtime hands it the filter's notification
/// descriptor with SCM_RIGHTS, together with the container process state (runtime-spec runtime.md):
/// <c>{"ociVersion", "fds": ["seccompFd"], "pid", "metadata", "state": {…}}</c>; one message per connection,
/// closed after sending.
/// </summary>
/// <remarks>
/// listenerPath is a host path, but the filter is loaded by init just before execve, inside the container's
/// root: so init connects while it still sees the host's filesystem (before pivot_root, or before joining the
/// container's mount namespace for exec) and keeps the connection (CLOEXEC) until the filter exists.
/// </remarks>
public sealed class SeccompListener : IDisposable
{
    /// <summary>The name of the descriptor the message carries (runtime-spec: <c>seccompFd</c>).</summary>
    public const string SeccompFdName = "seccompFd";

    private readonly SafeFd socket;

    private SeccompListener(SafeFd socket, string path, int pid, string? metadata)
    {
        this.socket = socket;
        Path = path;
        Pid = pid;
        Metadata = metadata;
    }

    public string Path { get; }

    /// <summary>The container process's pid as the runtime (the host) sees it.</summary>
    public int Pid { get; }

    public string? Metadata { get; }

    /// <summary>Whether a rule of <paramref name="seccomp"/> notifies: only then is there a listener to feed.</summary>
    public static bool IsNeeded(SeccompSpec? seccomp) =>
        seccomp?.Syscalls?.Any(s => s?.Action == "SCMP_ACT_NOTIFY") == true;

    /// <summary>
    /// Connects to listenerPath when a rule notifies (null otherwise). Call while the host's filesystem and
    /// /proc are still visible: the pid is read from /proc/self, which names us in the host's pid namespace there.
    /// </summary>
    public static SeccompListener? Connect(SeccompSpec? seccomp)
    {
        if (!IsNeeded(seccomp))
        {
            return null;
        }

        if (string.IsNullOrEmpty(seccomp!.ListenerPath))
        {
            throw new InitStepException("seccomp listener", "linux.seccomp.listenerPath: required when a rule uses SCMP_ACT_NOTIFY");
        }

        try
        {
            int pid = HostPid();
            SafeFd socket = Syscalls.ConnectUnix(seccomp.ListenerPath, Interop.SocketType.Stream);
            return new SeccompListener(socket, seccomp.ListenerPath, pid, seccomp.ListenerMetadata);
        }
        catch (Exception e) when (e is SyscallException or IOException)
        {
            throw new InitStepException($"seccomp listener: connect {seccomp.ListenerPath}", e);
        }
    }

    /// <summary>Sends <paramref name="seccompFd"/> and the process state; <paramref name="stateJson"/> is the container's OCI state.</summary>
    public void Send(SafeFd seccompFd, string stateJson)
    {
        try
        {
            Syscalls.SendFd(socket, seccompFd, ProcessState(Pid, Metadata, stateJson));
        }
        catch (SyscallException e)
        {
            throw new InitStepException($"seccomp listener: send to {Path}", e);
        }
    }

    /// <summary>The runtime-spec's containerProcessState, with <paramref name="stateJson"/> embedded as the state object.</summary>
    public static byte[] ProcessState(int pid, string? metadata, string stateJson)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("ociVersion", DefaultSpec.OciVersion);
            json.WriteStartArray("fds");
            json.WriteStringValue(SeccompFdName);
            json.WriteEndArray();
            json.WriteNumber("pid", pid);
            json.WriteString("metadata", metadata ?? "");
            json.WritePropertyName("state");
            json.WriteRawValue(stateJson); // validated: WriteRawValue checks the JSON
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public void Dispose() => socket.Dispose();

    private static int HostPid()
    {
        // /proc here is still the host's mount: its "self" is our pid in the host's pid namespace.
        string? self = new FileInfo("/proc/self").LinkTarget;
        return int.TryParse(self, out int pid) ? pid : Environment.ProcessId;
    }
}
