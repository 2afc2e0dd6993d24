using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Containers.Interop;
using Containers.Runtime.Rootfs;
using Containers.Runtime.Seccomp;
using Containers.Runtime.Security;
using Containers.Runtime.Spec;

namespace Containers.Runtime.Process;

/// <summary>
/// <c>containers-runtime init</c>: PID 1 of a new container (or the first process of an exec).
/// It reads its orders from the sync socket, builds the container's world, reports each failure
/// with the step that failed, waits for <c>start</c>, and execs the user's process.
/// </summary>
public static class InitProcess
{
    public const string SyncFdVariable = "_CONTAINERS_SYNC_FD";

    public static int Run()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable(SyncFdVariable), out int syncFd))
        {
            Console.Error.WriteLine($"init: {SyncFdVariable} is not set: init is started by containers-runtime, not by hand");
            return 2;
        }
        using SyncSocket sync = SyncSocket.FromDescriptor(syncFd);
        try
        {
            SyncMessage? message = sync.Receive();
            if (message is not { Type: SyncMessageType.Config } config)
            {
                return 2; // the parent gave up before sending anything
            }
            InitConfig init = JsonSerializer.Deserialize(config.Payload, InitJsonContext.Default.InitConfig)
                ?? throw new InitStepException("read config", "empty configuration");
            RuntimeSpec spec = SpecLoader.ParseJson(Encoding.UTF8.GetBytes(init.SpecJson));
            if (init.ExecProcessJson is null)
            {
                // create sends the orders before it places us in our cgroups: nothing happens before that
                // but pure computation (compiling the seccomp filter; loaded at start, as ever).
                ProcessSecurity.PreparedSeccomp seccomp = ProcessSecurity.Prepare(spec.Linux?.Seccomp);
                if (sync.Receive() is not { Type: SyncMessageType.CgroupsPlaced })
                {
                    return 2; // the parent failed (and kills us) or went away
                }
                return CreateContainer(init, spec, sync, seccomp);
            }
            return ExecInContainer(init, spec, sync);
        }
        catch (Exception e)
        {
            string step = e is InitStepException s ? s.Step : "init";
            string text = e is InitStepException ? e.Message : $"{step}: {e.Message}";
            try
            {
                sync.Send(SyncMessage.Failure(step, text));
            }
            catch (Exception x) when (x is SocketException or SyscallException)
            {
                Console.Error.WriteLine(text);
            }
            return 1;
        }
    }

    private static int CreateContainer(InitConfig init, RuntimeSpec spec, SyncSocket sync, ProcessSecurity.PreparedSeccomp seccomp)
    {
        ProcessSpec process = spec.Process!;
        Syscalls.Umask(0);
        Step("cgroup namespace", () => { if (init.NewCgroupNamespace) Syscalls.Unshare(CloneFlags.NewCgroup); });
        Step("network", () => { if (HasNewNamespace(spec, "network")) Syscalls.BringInterfaceUp("lo"); });

        var rootfs = new RootfsBuilder(spec, init.Bundle, init.Rootfs);
        Step("prepare rootfs", rootfs.PrepareRoot);
        rootfs.MountAll(init.NewCgroupNamespace);

        string? state = null;
        if (spec.Hooks is { } hooks && (hooks.Prestart?.Count > 0 || hooks.CreateRuntime?.Count > 0 || hooks.CreateContainer?.Count > 0))
        {
            sync.Send(new SyncMessage(SyncMessageType.RunCreateHooks, ""));
            SyncMessage reply = sync.Receive() ?? throw new InitStepException("createRuntime hooks", "the runtime went away");
            if (reply.Type != SyncMessageType.CreateHooksDone)
            {
                return 1; // the parent failed a hook and reports it itself
            }
            state = reply.Payload;
            Hooks.Run("createContainer", hooks.CreateContainer, state);
        }

        Step("sysctl", () => WriteSysctls(spec.Linux?.Sysctl));
        Step("oom_score_adj", () => { if (process.OomScoreAdj is int adj) File.WriteAllText("/proc/self/oom_score_adj", adj.ToString()); });
        Step("hostname", () => SetNames(spec));
        // SCMP_ACT_NOTIFY: listenerPath is a host path, so connect while the host's root is still ours.
        using SeccompListener? seccompListener = SeccompListener.Connect(spec.Linux?.Seccomp);
        Step("pivot_root", () => rootfs.EnterRoot(init.NoPivot));
        Step("masked and read-only paths", rootfs.Finish);
        Step("rlimits", () => SetRlimits(process.Rlimits));
        Step("console", () => SetUpConsole(init, process));
        string executable = Step("executable", () => ExecutableLookup.Find(process));
        Step("cwd", () => EnterWorkingDirectory(process.Cwd ?? "/"));
        Step("personality", () => SetPersonality(spec.Linux?.Personality));
        IReadOnlyList<string> warnings = Step("apparmor/selinux", () => LinuxSecurityModules.ApplyForExec(process.ApparmorProfile, process.SelinuxLabel));

        sync.Send(new SyncMessage(SyncMessageType.Ready, string.Join('\n', warnings)));
        sync.Dispose();

        // `start` connects here: until then the container is "created".
        using var listener = new SafeFd(init.StartSocketFd);
        using SafeFd start = AcceptStart(listener);
        try
        {
            // Always read start's message: closing a unix socket with unread data resets the peer (ECONNRESET in `start`).
            string? startState = ReadState(start);
            state ??= startState;
            Hooks.Run("startContainer", spec.Hooks?.StartContainer, state ?? "{}");
            ProcessSecurity.Apply(process, seccomp, seccompListener, startState ?? state);
            Exec(executable, process, init.PreserveFds);
        }
        catch (Exception e)
        {
            string text = e is InitStepException ? e.Message : "exec: " + e.Message;
            byte[] error = new SyncMessage(SyncMessageType.Error, text).Encode();
            Syscalls.Send(start, error, (nuint)error.Length, MessageFlags.NoSignal);
            return 1;
        }
        return 1; // not reached: Exec either replaces us or throws
    }

    private static int ExecInContainer(InitConfig init, RuntimeSpec spec, SyncSocket sync)
    {
        ProcessSpec process = JsonSerializer.Deserialize(init.ExecProcessJson!, SpecJsonContext.Default.ProcessSpec)
            ?? throw new InitStepException("read config", "no process to exec");
        // SCMP_ACT_NOTIFY: connect to the host's listenerPath before entering the container's mounts.
        using SeccompListener? seccompListener = SeccompListener.Connect(spec.Linux?.Seccomp);
        Step("join mount namespace", () =>
        {
            Syscalls.Unshare(CloneFlags.Fs); // setns(CLONE_NEWNS) wants an fs_struct of our own
            using var mnt = new SafeFd(init.JoinMountNamespaceFd);
            Syscalls.Setns(mnt, CloneFlags.NewNs);
        });
        Step("join cgroup namespace", () =>
        {
            if (init.JoinCgroupNamespaceFd >= 0)
            {
                using var cgroupNs = new SafeFd(init.JoinCgroupNamespaceFd);
                Syscalls.Setns(cgroupNs, CloneFlags.NewCgroup);
            }
        });
        Step("rlimits", () => SetRlimits(process.Rlimits));
        Step("console", () => SetUpConsole(init, process));
        string executable = Step("executable", () => ExecutableLookup.Find(process));
        Step("cwd", () => EnterWorkingDirectory(process.Cwd ?? "/"));
        IReadOnlyList<string> warnings = Step("apparmor/selinux", () => LinuxSecurityModules.ApplyForExec(process.ApparmorProfile, process.SelinuxLabel));
        ProcessSecurity.Apply(process, spec.Linux?.Seccomp, seccompListener, ExecState(init, spec));
        sync.Send(new SyncMessage(SyncMessageType.Ready, string.Join('\n', warnings)));
        Exec(executable, process, init.PreserveFds);
        return 1;
    }

    /// <summary>The container's state for an exec's seccomp listener: init knows no container pid here, so it is left out.</summary>
    private static string ExecState(InitConfig init, RuntimeSpec spec) => SpecLoader.Serialize(new ContainerState
    {
        OciVersion = DefaultSpec.OciVersion,
        Id = init.ContainerId,
        Status = ContainerStatus.Running,
        Bundle = init.Bundle,
        Annotations = spec.Annotations,
    });

    private static void SetPersonality(PersonalitySpec? personality)
    {
        if (personality?.Domain is not { } domain)
        {
            return;
        }
        ulong persona = domain switch
        {
            "LINUX" => 0x0000,
            "LINUX32" => 0x0008,
            _ => throw new InitStepException("personality", $"linux.personality.domain: unknown \"{domain}\""),
        };
        Syscalls.Personality(persona);
    }

    private static unsafe SafeFd AcceptStart(SafeFd listener) => Syscalls.Accept4(listener, null, null, Interop.SocketType.CloseOnExec);

    private static string? ReadState(SafeFd start)
    {
        byte[] buffer = new byte[64 * 1024];
        int n = (int)Syscalls.Recv(start, buffer, (nuint)buffer.Length, MessageFlags.None);
        return n > 0 ? Encoding.UTF8.GetString(buffer, 0, n) : null;
    }

    private static bool HasNewNamespace(RuntimeSpec spec, string type) =>
        spec.Linux?.Namespaces?.Any(n => n.Type == type && string.IsNullOrEmpty(n.Path)) == true;

    private static void WriteSysctls(IReadOnlyDictionary<string, string>? sysctls)
    {
        foreach (var (key, value) in sysctls ?? new Dictionary<string, string>())
        {
            string path = "/proc/sys/" + key.Replace('.', '/');
            try
            {
                File.WriteAllText(path, value);
            }
            catch (IOException e)
            {
                throw new InitStepException($"sysctl {key}={value}", e);
            }
        }
    }

    private static void SetNames(RuntimeSpec spec)
    {
        if (!string.IsNullOrEmpty(spec.Hostname)) Syscalls.Sethostname(spec.Hostname);
        if (!string.IsNullOrEmpty(spec.Domainname)) Syscalls.Setdomainname(spec.Domainname);
    }

    private static void SetRlimits(IReadOnlyList<RlimitSpec>? rlimits)
    {
        foreach (RlimitSpec rlimit in rlimits ?? [])
        {
            if (!KnownNames.Rlimits.TryGetValue(rlimit.Type!, out int resource))
            {
                throw new InitStepException("rlimits", $"unknown rlimit \"{rlimit.Type}\"");
            }
            try
            {
                Syscalls.SetResourceLimit((Resource)resource, new ResourceLimit { Soft = rlimit.Soft, Hard = rlimit.Hard });
            }
            catch (SyscallException e)
            {
                throw new InitStepException($"rlimit {rlimit.Type} soft={rlimit.Soft} hard={rlimit.Hard}", e);
            }
        }
    }

    private static void SetUpConsole(InitConfig init, ProcessSpec process)
    {
        if (process.Terminal != true)
        {
            return;
        }
        if (init.ConsoleSocketFd < 0)
        {
            throw new InitStepException("console", "process.terminal is true but no --console-socket was given");
        }
        using var consoleSocket = new SafeFd(init.ConsoleSocketFd);
        (SafeFd master, string peerPath) = Syscalls.OpenPseudoTerminal();
        using (master)
        {
            using SafeFd peer = Syscalls.Openat2(SafeFd.CurrentDirectory, peerPath,
                OpenHow.Create(OpenFlags.ReadWrite | OpenFlags.NoCtty | OpenFlags.CloseOnExec, ResolveFlags.None));
            if (process.ConsoleSize is { } size)
            {
                Syscalls.SetWindowSize(peer, new WindowSize { Rows = (ushort)size.Height, Columns = (ushort)size.Width });
            }
            Syscalls.SendFd(consoleSocket, master, Encoding.UTF8.GetBytes(peerPath));
            for (int fd = 0; fd < 3; fd++)
            {
                Syscalls.Dup3(peer, fd, OpenFlags.ReadOnly);
            }
            Syscalls.SetControllingTerminal(peer);
        }
    }

    /// <summary>chdir into the container's cwd, and prove it is inside the new root (CVE-2024-21626).</summary>
    private static void EnterWorkingDirectory(string cwd)
    {
        Syscalls.Chdir(cwd);
        string actual = Directory.GetCurrentDirectory();
        if (!actual.StartsWith('/'))
        {
            throw new InitStepException("cwd", $"\"{cwd}\" resolves outside the container root ({actual})");
        }
    }

    private static unsafe void Exec(string executable, ProcessSpec process, int preserveFds)
    {
        // Only 0-2 and the preserved descriptors reach the user's process; close_range marks the rest CLOEXEC.
        Syscalls.CloseRange((uint)(3 + preserveFds), uint.MaxValue, CloseRangeFlags.CloseOnExec);
        using var argv = new NativeStringArray(process.Args!);
        using var envp = new NativeStringArray(process.Env ?? []);
        using var path = new NativeStringArray([executable]);
        Syscalls.ResetSignalsForExec();
        try
        {
            Syscalls.Execve(path.Pointers[0], argv.Pointers, envp.Pointers);
        }
        catch (SyscallException e)
        {
            // The generated message shows execve's pointers; name the program instead (runc: "exec PATH: ...").
            throw new InitStepException("exec", $"{executable}: {e.Errno.Name} ({e.Errno.Message})");
        }
    }

    private static void Step(string step, Action action) => Step<object?>(step, () => { action(); return null; });

    private static T Step<T>(string step, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (InitStepException)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or SocketException)
        {
            throw new InitStepException(step, e);
        }
    }
}
