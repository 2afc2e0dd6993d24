using Containers.Interop;

namespace Containers.Runtime.Process;

/// <summary>
/// ROOT/ID/start.sock: init of a created container listens on it; `start` connects. The connection
/// closes (CLOEXEC) when init execs the container's process, or carries init's error.
/// Paths go through /proc/self/fd so a deep state root never hits sun_path's 108 bytes.
/// </summary>
public static class StartSocket
{
    public const string FileName = "start.sock";

    public static SafeFd Listen(string stateDir)
    {
        using SafeFd? dir = OpenIfLong(stateDir, out string path);
        return Syscalls.ListenUnix(path, Interop.SocketType.SeqPacket, backlog: 1);
    }

    public static SafeFd Connect(string stateDir)
    {
        using SafeFd? dir = OpenIfLong(stateDir, out string path);
        return Syscalls.ConnectUnix(path, Interop.SocketType.SeqPacket);
    }

    public static bool Exists(string stateDir) => File.Exists(Path.Join(stateDir, FileName));

    /// <summary>The socket's path, or for a deep state dir (containerd: /run/containerd/runc/k8s.io/64-hex-id) one through its O_PATH fd.</summary>
    private static SafeFd? OpenIfLong(string stateDir, out string path)
    {
        path = Path.Join(stateDir, FileName);
        if (System.Text.Encoding.UTF8.GetByteCount(path) < 100)
        {
            return null;
        }
        SafeFd dir = Syscalls.Openat2(SafeFd.CurrentDirectory, stateDir,
            OpenHow.Create(OpenFlags.Path | OpenFlags.Directory | OpenFlags.CloseOnExec, ResolveFlags.None));
        path = $"/proc/self/fd/{dir.Value}/{FileName}";
        return dir;
    }
}
