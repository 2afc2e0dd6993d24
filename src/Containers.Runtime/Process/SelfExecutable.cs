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
        (SafeFd memfd, SafeFd source) = Open(path);
        return Finish(memfd, source);
    }

    /// <summary>The empty memfd and the executable to copy into it.</summary>
    private static (SafeFd Memfd, SafeFd Source) Open(string? path)
    {
        path ??= Environment.ProcessPath ?? "/proc/self/exe";
        SafeFd memfd = Syscalls.MemfdCreate("containers-runtime", MemfdFlags.CloseOnExec | MemfdFlags.AllowSealing);
        try
        {
            SafeFd source = Syscalls.Openat2(SafeFd.CurrentDirectory, path,
                OpenHow.Create(OpenFlags.ReadOnly | OpenFlags.CloseOnExec, ResolveFlags.None));
            return (memfd, source);
        }
        catch
        {
            memfd.Dispose();
            throw;
        }
    }

    /// <summary>Copies, seals and moves the memfd above the spawners' targets; takes both descriptors.</summary>
    private static SafeFd Finish(SafeFd memfd, SafeFd source)
    {
        try
        {
            using (source)
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
    /// Starts <see cref="CreateSealedCopy"/>'s copy on a thread of its own, so that it (in-kernel, ~2 ms
    /// for our binary) overlaps the caller's spec loading; <see cref="PendingCopy.Take"/> waits for it.
    /// The descriptors are opened here, on the caller's thread: the copy thread only makes the same
    /// syscalls again (no first-time class constructors there, which could race the caller's).
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
            (SafeFd memfd, SafeFd source) = Open(path);
            _thread = new Thread(() =>
            {
                try
                {
                    _result = Finish(memfd, source);
                }
                catch (Exception e)
                {
                    _failure = e;
                }
            }, maxStackSize: 256 * 1024) { IsBackground = true, Name = "sealed-copy" };
            try
            {
                _thread.UnsafeStart();
            }
            catch
            {
                source.Dispose();
                memfd.Dispose();
                throw;
            }
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
