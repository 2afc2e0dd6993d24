using System.Text.Json;
using Containers.Interop;
using Containers.Runtime.Process;
using Containers.Runtime.Spec;

namespace Containers.Runtime.Lifecycle;

public sealed record ExecOptions
{
    public required string Id { get; init; }
    public required ProcessSpec Process { get; init; }
    public string? ConsoleSocket { get; init; }
    public string? PidFile { get; init; }
    public int PreserveFds { get; init; }
    public string? RuntimeExecutable { get; init; }
}

/// <summary>
/// OCI exec: a new process in a running container. The spawner thread joins the container's ipc,
/// uts, net and pid namespaces; init joins the mount and cgroup namespaces itself (a mount namespace
/// needs an fs_struct of its own), after the parent placed it in the container's cgroups.
/// </summary>
public sealed class ContainerExecutor
{
    private static readonly CloneFlags[] SpawnerJoins = [CloneFlags.NewIpc, CloneFlags.NewUts, CloneFlags.NewNet, CloneFlags.NewPid];
    private readonly ContainerOperations _operations;

    public ContainerExecutor(ContainerOperations operations) => _operations = operations;

    /// <summary>Starts the process; returns its host pid (a child of this process).</summary>
    public int Start(ExecOptions options)
    {
        ContainerRecord record = _operations.Store.Load(options.Id);
        string status = _operations.StatusOf(record);
        if (status is not (ContainerStatus.Running or ContainerStatus.Created))
        {
            throw new ContainerException(ContainerErrorKind.InvalidState, $"cannot exec in a {status} container");
        }
        if (options.Process.Args is not { Count: > 0 })
        {
            throw new ContainerException(ContainerErrorKind.InvalidArgument, "process.args: must not be empty");
        }

        var join = new Dictionary<CloneFlags, SafeFd>();
        var ownNamespaces = NamespacePlan.From(SpecLoader.ParseJson(System.Text.Encoding.UTF8.GetBytes(record.SpecJson)));
        SafeFd? mnt = null, cgroupNs = null;
        try
        {
            foreach (CloneFlags flag in SpawnerJoins)
            {
                if ((ownNamespaces.Unshare & flag) != 0 || ownNamespaces.Join.ContainsKey(flag))
                {
                    join[flag] = OpenNamespace(record.Pid, flag);
                }
            }
            mnt = OpenNamespace(record.Pid, CloneFlags.NewNs);
            if ((ownNamespaces.Unshare & CloneFlags.NewCgroup) != 0)
            {
                cgroupNs = OpenNamespace(record.Pid, CloneFlags.NewCgroup);
            }
            return Spawn(options, record, join, mnt, cgroupNs);
        }
        finally
        {
            foreach (SafeFd fd in join.Values) fd.Dispose();
            mnt?.Dispose();
            cgroupNs?.Dispose();
        }
    }

    private static int Spawn(ExecOptions options, ContainerRecord record, Dictionary<CloneFlags, SafeFd> join, SafeFd mnt, SafeFd? cgroupNs)
    {
        using SafeFd executable = SelfExecutable.CreateSealedCopy(options.RuntimeExecutable);
        (SafeFd parentEnd, SafeFd childEnd) = Syscalls.Socketpair(Interop.SocketType.SeqPacket | Interop.SocketType.CloseOnExec);
        using var sync = new SyncSocket(parentEnd);
        using SafeFd? console = options.ConsoleSocket is null ? null : ConsoleSocket.Connect(options.ConsoleSocket);

        int syncFd = 3 + options.PreserveFds, mntFd = syncFd + 1, cgroupFd = syncFd + 2, consoleFd = syncFd + 3;
        int pid;
        using (childEnd)
        using (var request = new SpawnRequest(SelfExecutable.ExecPath(executable), ["containers-runtime", "init"],
                   [$"{InitProcess.SyncFdVariable}={syncFd}"]) { NewSession = true })
        {
            using SafeFd s = Above(childEnd), m = Above(mnt);
            using SafeFd? c = cgroupNs is null ? null : Above(cgroupNs), t = console is null ? null : Above(console);
            request.Dup2(s, syncFd).Dup2(m, mntFd);
            if (c is not null) request.Dup2(c, cgroupFd);
            if (t is not null) request.Dup2(t, consoleFd);
            pid = NamespaceSpawner.Spawn(request, CloneFlags.None, join);
        }

        try
        {
            ContainerOperations.CgroupsOf(record).Apply(pid);
            var config = new InitConfig
            {
                ContainerId = record.Id,
                Bundle = record.Bundle,
                Rootfs = record.Rootfs,
                SpecJson = record.SpecJson,
                JoinMountNamespaceFd = mntFd,
                JoinCgroupNamespaceFd = cgroupNs is null ? -1 : cgroupFd,
                ConsoleSocketFd = console is null ? -1 : consoleFd,
                PreserveFds = options.PreserveFds,
                ExecProcessJson = JsonSerializer.Serialize(options.Process, SpecJsonContext.Default.ProcessSpec),
            };
            sync.Send(new SyncMessage(SyncMessageType.Config, JsonSerializer.Serialize(config, InitJsonContext.Default.InitConfig)));
            SyncMessage? reply = sync.Receive(TimeSpan.FromSeconds(60));
            ThrowIfFailure(reply);
            foreach (string warning in reply?.Payload.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [])
            {
                RuntimeLog.Warn(warning);
            }
            if (reply is { Type: SyncMessageType.Ready })
            {
                // init keeps its end open until execve closes it (close-on-exec): end of stream means
                // the process runs; a message means execve failed, and says why.
                ThrowIfFailure(sync.Receive(TimeSpan.FromSeconds(60)));
            }
            if (reply is null)
            {
                // Closed without a word: it exec'd before we read (the close-on-exec end) or died.
                if (!ProcessInfo.IsAlive(pid, 0) && Syscalls.Waitpid(pid, out int raw, WaitOptions.NoHang) == pid && raw != 0)
                {
                    throw new InitStepException("exec", $"process exited during set-up ({ChildProcess.Describe(new WaitStatus(raw))})");
                }
            }
        }
        catch
        {
            Syscalls.TryKill(pid, Signal.SIGKILL);
            ChildProcess.WaitWithTimeout(pid, TimeSpan.FromSeconds(5));
            throw;
        }
        if (options.PidFile is not null)
        {
            File.WriteAllText(options.PidFile, pid.ToString());
        }
        return pid;
    }

    private static void ThrowIfFailure(SyncMessage? message)
    {
        if (message is { Type: SyncMessageType.Error } error)
        {
            var (step, text) = error.AsFailure();
            throw new InitStepException(step, text.StartsWith(step + ": ", StringComparison.Ordinal) ? text[(step.Length + 2)..] : text);
        }
    }

    private static SafeFd OpenNamespace(int pid, CloneFlags flag) =>
        Syscalls.Openat2(SafeFd.CurrentDirectory, $"/proc/{pid}/ns/{NamespaceSpawner.ProcName(flag)}",
            OpenHow.Create(OpenFlags.ReadOnly | OpenFlags.CloseOnExec, ResolveFlags.None));

    private static SafeFd Above(SafeFd fd) => new(Syscalls.Fcntl(fd, FcntlCommand.DupFdCloseOnExec, 64));
}
