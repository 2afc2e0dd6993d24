using Containers.Interop;

namespace Containers.Runtime.Process;

/// <summary>
/// Starts a process in new or joined namespaces without running managed code after fork: a fresh
/// thread unshares or joins the namespaces (both act on the calling thread only) and then
/// posix_spawns, which is vfork + execve inside libc. The thread ends right after, taking its
/// namespaces with it; the child keeps them. See docs/architecture.md.
/// </summary>
public static class NamespaceSpawner
{
    /// <summary>The order namespaces are joined in (as runc's nsexec: user first, mount last).</summary>
    private static readonly CloneFlags[] JoinOrder =
        [CloneFlags.NewUser, CloneFlags.NewIpc, CloneFlags.NewUts, CloneFlags.NewNet, CloneFlags.NewPid, CloneFlags.NewCgroup, CloneFlags.NewTime, CloneFlags.NewNs];

    /// <param name="unshare">Namespaces to create.</param>
    /// <param name="join">Namespaces to join: type → an open /proc/PID/ns/* (or bind-mounted) descriptor.</param>
    public static int Spawn(SpawnRequest request, CloneFlags unshare, IReadOnlyDictionary<CloneFlags, SafeFd> join)
    {
        int pid = 0;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                // Our own fs_struct: needed to join a mount namespace, and keeps cwd changes to this thread.
                Syscalls.Unshare(CloneFlags.Fs);
                foreach (CloneFlags type in JoinOrder)
                {
                    if (join.TryGetValue(type, out SafeFd? fd))
                    {
                        Syscalls.Setns(fd, type);
                    }
                }
                if (unshare != CloneFlags.None)
                {
                    Syscalls.Unshare(unshare);
                }
                pid = request.Spawn();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, maxStackSize: 256 * 1024)
        {
            Name = "namespace-spawner",
            IsBackground = true,
        };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw failure is SyscallException s
                ? new InitStepException("create namespaces", s)
                : failure;
        }
        return pid;
    }

    /// <summary>Maps a config.json namespace type to its clone flag.</summary>
    public static CloneFlags FlagOf(string type) => type switch
    {
        "pid" => CloneFlags.NewPid,
        "network" => CloneFlags.NewNet,
        "mount" => CloneFlags.NewNs,
        "ipc" => CloneFlags.NewIpc,
        "uts" => CloneFlags.NewUts,
        "user" => CloneFlags.NewUser,
        "cgroup" => CloneFlags.NewCgroup,
        "time" => CloneFlags.NewTime,
        _ => throw new ArgumentException($"linux.namespaces: unknown type \"{type}\""),
    };

    /// <summary>The /proc/PID/ns file name of a namespace type.</summary>
    public static string ProcName(CloneFlags flag) => flag switch
    {
        CloneFlags.NewPid => "pid",
        CloneFlags.NewNet => "net",
        CloneFlags.NewNs => "mnt",
        CloneFlags.NewIpc => "ipc",
        CloneFlags.NewUts => "uts",
        CloneFlags.NewUser => "user",
        CloneFlags.NewCgroup => "cgroup",
        CloneFlags.NewTime => "time",
        _ => throw new ArgumentOutOfRangeException(nameof(flag)),
    };
}
