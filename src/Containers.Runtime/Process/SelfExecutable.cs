using Containers.Interop;

namespace Containers.Runtime.Process;

/// <summary>
/// A sealed in-memory copy of this executable, for processes that enter a container's namespaces.
/// A root process in the container sees it as /proc/PID/exe; sealed, it cannot be written, so the
/// host binary cannot be overwritten through it (CVE-2019-5736).
/// </summary>
public static class SelfExecutable
{
    public static SafeFd CreateSealedCopy(string? path = null)
    {
        path ??= Environment.ProcessPath ?? "/proc/self/exe";
        SafeFd memfd = Syscalls.MemfdCreate("containers-runtime", MemfdFlags.CloseOnExec | MemfdFlags.AllowSealing);
        try
        {
            using (var source = File.OpenRead(path))
            using (var target = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(memfd.DangerousGetHandle(), ownsHandle: false), FileAccess.Write))
            {
                source.CopyTo(target);
            }
            Syscalls.AddSeals(memfd, SealFlags.Seal | SealFlags.Shrink | SealFlags.Grow | SealFlags.Write);
            // Spawners dup2 the child's fds onto 3, 4, 5...: a low memfd number would be clobbered before exec.
            var high = new SafeFd(Syscalls.Fcntl(memfd, FcntlCommand.DupFdCloseOnExec, 64));
            memfd.Dispose();
            return high;
        }
        catch
        {
            memfd.Dispose();
            throw;
        }
    }

    /// <summary>The path a child execs to run the copy (valid while <paramref name="memfd"/> is open).</summary>
    public static string ExecPath(SafeFd memfd) => "/proc/self/fd/" + memfd.Value;
}
