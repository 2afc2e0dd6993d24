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
            using (SafeFd source = Syscalls.Openat2(SafeFd.CurrentDirectory, path,
                       OpenHow.Create(OpenFlags.ReadOnly | OpenFlags.CloseOnExec, ResolveFlags.None)))
            {
                CopyAll(source, memfd);
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

    /// <summary>
    /// Starts <see cref="CreateSealedCopy"/> on a thread of its own, so that the copy (in-kernel, ~2 ms
    /// for our binary) overlaps the caller's spec loading; <see cref="PendingCopy.Take"/> waits for it.
    /// </summary>
    public static PendingCopy StartSealedCopy(string? path = null) => new(path);

    public sealed class PendingCopy : IDisposable
    {
        private readonly Thread _thread;
        private SafeFd? _result;
        private Exception? _failure;
        private bool _taken;

        internal PendingCopy(string? path)
        {
            _thread = new Thread(() =>
            {
                try
                {
                    _result = CreateSealedCopy(path);
                }
                catch (Exception e)
                {
                    _failure = e;
                }
            }, maxStackSize: 256 * 1024) { IsBackground = true, Name = "sealed-copy" };
            _thread.UnsafeStart();
        }

        /// <summary>The sealed copy (the caller owns it from now on), or the copy's failure.</summary>
        public SafeFd Take()
        {
            _thread.Join();
            if (_failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
            }
            _taken = true;
            return _result!;
        }

        public void Dispose()
        {
            if (_taken) return;
            _thread.Join();
            _result?.Dispose();
        }
    }

    /// <summary>Copies in the kernel (sendfile: page cache to shmem), no user-space buffer.</summary>
    private static unsafe void CopyAll(SafeFd source, SafeFd target)
    {
        while (Syscalls.Sendfile(target, source, null, 1 << 30) > 0)
        {
        }
    }

    /// <summary>The path a child execs to run the copy (valid while <paramref name="memfd"/> is open).</summary>
    public static string ExecPath(SafeFd memfd) => "/proc/self/fd/" + memfd.Value;
}
