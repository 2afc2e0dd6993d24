using System.Text.Json;
using Containers.Interop;
using Containers.Runtime.Cgroups;
using Containers.Runtime.Process;
using Containers.Runtime.Spec;

namespace Containers.Runtime.Lifecycle;

public sealed record CreateOptions
{
    public required string Id { get; init; }
    public required string Bundle { get; init; }
    public string? PidFile { get; init; }
    public string? ConsoleSocket { get; init; }
    public bool NoPivot { get; init; }
    public int PreserveFds { get; init; }
    public CgroupDriver CgroupDriver { get; init; } = CgroupDriver.Cgroupfs;
    /// <summary>The executable to run as init; this process's own by default.</summary>
    public string? RuntimeExecutable { get; init; }
    /// <summary>Init's (then the process's) descriptors 0, 1 and 2 when given (three, in that order); else this process's.</summary>
    public IReadOnlyList<SafeFd>? Stdio { get; init; }
}

/// <summary>
/// OCI create: validates the bundle, spawns init in its namespaces, places it in its cgroups, runs
/// the create-time hooks and leaves init waiting for start. On any failure nothing is left behind:
/// no state directory, cgroup, mount or process.
/// </summary>
public sealed class ContainerCreator
{
    private static readonly TimeSpan InitTimeout = TimeSpan.FromSeconds(60);
    private readonly StateStore _store;

    public ContainerCreator(StateStore store) => _store = store;

    public ContainerRecord Create(CreateOptions options)
    {
        StateStore.ValidateId(options.Id);
        CgroupDriverCheck.EnsureAvailable(options.CgroupDriver);
        // Overlaps the kernel's first-migration grace period with the spec load, copy and spawn below.
        CgroupMigrationPrimer.Start();
        string bundle = Path.GetFullPath(options.Bundle);
        // The copy of our executable that init runs from is made while the spec loads.
        using SelfExecutable.PendingCopy pendingExecutable = SelfExecutable.StartSealedCopy(options.RuntimeExecutable);
        RuntimeSpec spec = SpecLoader.Load(bundle);
        string rootfs = Path.GetFullPath(spec.Root!.Path!, bundle);

        string stateDir = _store.CreateDirectory(options.Id);
        ICgroupManager? cgroups = null;
        int pid = 0;
        try
        {
            using IDisposable lease = _store.Lock(options.Id);
            string creatorCgroups = File.ReadAllText("/proc/self/cgroup");
            string cgroupsPath = spec.Linux?.CgroupsPath is { Length: > 0 } p ? p : options.Id;
            cgroups = CgroupManagerFactory.Create(cgroupsPath);

            pid = SpawnInit(options, spec, bundle, rootfs, stateDir, cgroups, out ContainerRecord record, creatorCgroups, cgroupsPath, pendingExecutable);
            _store.Save(record);
            if (options.PidFile is not null)
            {
                WriteAtomically(Path.GetFullPath(options.PidFile), pid.ToString());
            }
            return record;
        }
        catch
        {
            if (pid > 0)
            {
                Syscalls.TryKill(pid, Signal.SIGKILL);
                ChildProcess.WaitWithTimeout(pid, TimeSpan.FromSeconds(10));
            }
            try
            {
                if (cgroups is not null)
                {
                    cgroups.Destroy();
                    CgroupPaths.PruneEmptyParents(spec.Linux?.CgroupsPath is { Length: > 0 } path ? path : options.Id, cgroups.Paths.Values, CgroupFileSystem.Instance);
                }
            }
            finally
            {
                _store.Remove(options.Id);
            }
            throw;
        }
    }

    private int SpawnInit(CreateOptions options, RuntimeSpec spec, string bundle, string rootfs, string stateDir,
        ICgroupManager cgroups, out ContainerRecord record, string creatorCgroups, string cgroupsPath, SelfExecutable.PendingCopy pendingExecutable)
    {
        var namespaces = NamespacePlan.From(spec);
        using var joined = namespaces.OpenJoined();
        using SafeFd executable = pendingExecutable.Take();
        (SafeFd parentEnd, SafeFd childEnd) = Syscalls.Socketpair(Interop.SocketType.SeqPacket | Interop.SocketType.CloseOnExec);
        using var sync = new SyncSocket(parentEnd);
        using SafeFd startListener = StartSocket.Listen(stateDir);
        using SafeFd? console = options.ConsoleSocket is null ? null : ConsoleSocket.Connect(options.ConsoleSocket);

        int syncFd = 3 + options.PreserveFds, startFd = syncFd + 1, consoleFd = console is null ? -1 : syncFd + 2;
        int pid;
        using (childEnd)
                using (var request = new SpawnRequest(SelfExecutable.ExecPath(executable), ["containers-runtime", "init"],
                   [$"{InitProcess.SyncFdVariable}={syncFd}"]) { NewSession = true })
        {
            // Sources are CLOEXEC and may sit on a target number: move them out of the way first.
            using SafeFd high1 = DupAbove(childEnd, 64), high2 = DupAbove(startListener, 64);
            using SafeFd? high3 = console is null ? null : DupAbove(console, 64);
            request.Dup2(high1, syncFd).Dup2(high2, startFd);
            if (high3 is not null) request.Dup2(high3, consoleFd);
            using StdioDescriptors stdio = StdioDescriptors.Raise(options.Stdio);
            stdio.AddTo(request);
            pid = NamespaceSpawner.Spawn(request, namespaces.SpawnerUnshare, joined.Descriptors);
        }

        record = new ContainerRecord
        {
            Id = options.Id,
            Bundle = bundle,
            Rootfs = rootfs,
            Pid = pid,
            PidStartTime = ProcessInfo.StartTime(pid) ?? 0,
            Created = DateTimeOffset.UtcNow,
            SpecJson = SpecLoader.SerializeCompact(spec),
            CgroupsPath = cgroupsPath,
            CreatorCgroups = creatorCgroups,
            Annotations = spec.Annotations,
        };

        var config = new InitConfig
        {
            ContainerId = options.Id,
            Bundle = bundle,
            Rootfs = rootfs,
            SpecJson = record.SpecJson,
            NoPivot = options.NoPivot,
            NewCgroupNamespace = (namespaces.Unshare & CloneFlags.NewCgroup) != 0,
            StartSocketFd = startFd,
            ConsoleSocketFd = consoleFd,
            PreserveFds = options.PreserveFds,
        };
        // The orders first: init parses them while its cgroups are made (the first migration may wait
        // out an RCU grace period); it acts on nothing before CgroupsPlaced.
        sync.Send(new SyncMessage(SyncMessageType.Config, JsonSerializer.Serialize(config, InitJsonContext.Default.InitConfig)));
        try
        {
            cgroups.Apply(pid);
            cgroups.Set(ResourcesConverter.Convert(spec.Linux?.Resources));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InitStepException("cgroups", e);
        }
        try
        {
            sync.Send(new SyncMessage(SyncMessageType.CgroupsPlaced, ""));
        }
        catch (SyscallException)
        {
            // init failed (or died) reading its orders: WaitUntilReady reports what it said.
        }
        WaitUntilReady(sync, pid, spec, record);
        return pid;
    }

    private static void WaitUntilReady(SyncSocket sync, int pid, RuntimeSpec spec, ContainerRecord record)
    {
        while (true)
        {
            SyncMessage? message = sync.Receive(InitTimeout);
            switch (message?.Type)
            {
                case null:
                    WaitStatus? status = ChildProcess.WaitWithTimeout(pid, TimeSpan.FromSeconds(5));
                    throw new InitStepException("init", $"container init exited before it was set up ({(status is { } s ? ChildProcess.Describe(s) : "still running")})");
                case SyncMessageType.Error:
                    var (step, text) = message.Value.AsFailure();
                    throw new InitStepException(step, text.StartsWith(step + ": ", StringComparison.Ordinal) ? text[(step.Length + 2)..] : text);
                case SyncMessageType.RunCreateHooks:
                    string state = LifecycleState.Json(record, ContainerStatus.Creating);
                    try
                    {
                        Hooks.Run("prestart", spec.Hooks?.Prestart, state);
                        Hooks.Run("createRuntime", spec.Hooks?.CreateRuntime, state);
                    }
                    catch (InitStepException e)
                    {
                        sync.Send(SyncMessage.Failure(e.Step, e.Message));
                        throw;
                    }
                    sync.Send(new SyncMessage(SyncMessageType.CreateHooksDone, state));
                    break;
                case SyncMessageType.Ready:
                    foreach (string warning in message.Value.Payload.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    {
                        RuntimeLog.Warn(warning);
                    }
                    return;
                default:
                    throw new InitStepException("init", $"unexpected message '{(char)message.Value.Type}' from init");
            }
        }
    }

    /// <summary>CreateOptions.Stdio raised above the target numbers, so no source sits on a target it must not clobber.</summary>
    private sealed class StdioDescriptors : IDisposable
    {
        private readonly SafeFd[] _raised;

        private StdioDescriptors(SafeFd[] raised) => _raised = raised;

        public static StdioDescriptors Raise(IReadOnlyList<SafeFd>? stdio)
        {
            if (stdio is null) return new StdioDescriptors([]);
            if (stdio.Count != 3) throw new ArgumentException($"CreateOptions.Stdio: give 3 descriptors (stdin, stdout, stderr), not {stdio.Count}");
            return new StdioDescriptors([.. stdio.Select(fd => DupAbove(fd, 64))]);
        }

        public void AddTo(SpawnRequest request)
        {
            for (int i = 0; i < _raised.Length; i++) request.Dup2(_raised[i], i);
        }

        public void Dispose()
        {
            foreach (SafeFd fd in _raised) fd.Dispose();
        }
    }

    private static SafeFd DupAbove(SafeFd fd, int minimum) =>
        new(Syscalls.Fcntl(fd, FcntlCommand.DupFdCloseOnExec, minimum));

    private static void WriteAtomically(string path, string content)
    {
        string temp = path + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, path, overwrite: true);
    }
}
