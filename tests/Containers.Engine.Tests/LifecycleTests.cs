namespace Containers.Engine.Tests;

public sealed class LifecycleTests(EngineSandbox sandbox) : IClassFixture<EngineSandbox>
{
    private readonly ContainerEngine _engine = sandbox.Engine;
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public void Create_start_wait_reports_the_exit_code()
    {
        ContainerInfo created = _engine.Create(sandbox.Request("sh", "-c", "exit 7"));
        Assert.Equal(ContainerState.Created, created.State);
        Assert.Equal(64, created.Id.Length);
        Assert.Matches("^[a-z]+_[a-z]+[0-9]*$", created.Name);
        _engine.Start(created.Name);
        ContainerInfo? exited = _engine.Wait(created.Id[..12], Long, CancellationToken.None);
        Assert.NotNull(exited);
        Assert.Equal(ContainerState.Exited, exited.State);
        Assert.Equal(7, exited.ExitCode);
        Assert.NotNull(exited.FinishedAt);
        Assert.Equal(ContainerState.Exited, _engine.Get(created.Id).State);
        _engine.Remove(created.Id, force: false);
        Assert.False(Directory.Exists(Path.Join(sandbox.Options.DataRoot, "containers", created.Id)));
    }

    [Fact]
    public void Hostname_defaults_to_the_short_id_and_the_user_directory_is_not_modified()
    {
        ContainerInfo c = sandbox.Run("sh", "-c", "hostname; touch /tmp/written");
        _engine.Wait(c.Id, Long, CancellationToken.None);
        Assert.Equal([c.Id[..12]], _engine.Logs(c.Id, false, null, null, CancellationToken.None).Select(e => e.Line));
        Assert.False(File.Exists(Path.Join(sandbox.Rootfs, "tmp", "written")));
        _engine.Remove(c.Id, false);
    }

    [Fact]
    public void Logs_keep_stdout_and_stderr_in_order_with_tail_and_since()
    {
        ContainerInfo c = sandbox.Run("sh", "-c", "echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three; sleep 0.3; echo four >&2");
        _engine.Wait(c.Id, Long, CancellationToken.None);
        var all = _engine.Logs(c.Id, false, null, null, CancellationToken.None).ToList();
        Assert.Equal(["one", "two", "three", "four"], all.Select(e => e.Line));
        Assert.Equal(["stdout", "stderr", "stdout", "stderr"], all.Select(e => e.Stream));
        Assert.Equal(["three", "four"], _engine.Logs(c.Id, false, 2, null, CancellationToken.None).Select(e => e.Line));
        Assert.Equal(["four"], _engine.Logs(c.Id, false, null, all[3].Time.AddMilliseconds(-100), CancellationToken.None).Select(e => e.Line));
        _engine.Remove(c.Id, false);
    }

    [Fact]
    public void Follow_streams_until_the_container_exits()
    {
        ContainerInfo c = sandbox.Run("sh", "-c", "for i in 1 2 3; do echo line$i; sleep 0.3; done");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var lines = _engine.Logs(c.Id, true, null, null, new CancellationTokenSource(Long).Token).Select(e => e.Line).ToList();
        Assert.Equal(["line1", "line2", "line3"], lines);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        _engine.Remove(c.Id, false);
    }

    [Fact]
    public void Follow_ends_on_cancellation()
    {
        ContainerInfo c = sandbox.Run("sh", "-c", "echo start; sleep 60");
        using var cts = new CancellationTokenSource();
        var lines = new List<string>();
        foreach (ContainerLogEntry e in _engine.Logs(c.Id, true, null, null, cts.Token))
        {
            lines.Add(e.Line);
            cts.CancelAfter(200);
        }
        Assert.Equal(["start"], lines);
        _engine.Remove(c.Id, force: true);
    }

    [Fact]
    public void Attach_streams_the_run_from_its_start_until_exit()
    {
        ContainerInfo c = sandbox.Run("sh", "-c", "echo a; sleep 0.2; echo b >&2");
        var lines = _engine.Attach(c.Id, null, new CancellationTokenSource(Long).Token).Select(e => e.Line).ToList();
        Assert.Equal(["a", "b"], lines);
        _engine.Remove(c.Id, false);
    }

    [Fact]
    public void Interactive_attach_forwards_stdin()
    {
        ContainerInfo created = _engine.Create(sandbox.Request("sh", "-c", "read x; echo got:$x") with { Interactive = true });
        _engine.Start(created.Id);
        var lines = _engine.Attach(created.Id, new StringReader("hello\n"), new CancellationTokenSource(Long).Token).Select(e => e.Line).ToList();
        Assert.Equal(["got:hello"], lines);
        _engine.Remove(created.Id, false);
    }

    [Fact]
    public void Stop_kills_a_process_that_ignores_SIGTERM_after_the_timeout()
    {
        ContainerInfo c = sandbox.Run("sh", "-c", "trap '' TERM; while true; do sleep 0.1; done");
        Thread.Sleep(200);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ContainerInfo stopped = _engine.Stop(c.Id, TimeSpan.FromSeconds(1));
        Assert.Equal(ContainerState.Exited, stopped.State);
        Assert.Equal(137, stopped.ExitCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(8));
        _engine.Remove(c.Id, false);
    }

    [Fact]
    public void Stop_ends_a_process_that_exits_on_SIGTERM_at_once()
    {
        ContainerInfo c = sandbox.Run("sh", "-c", "trap 'exit 42' TERM; while true; do sleep 0.1; done");
        Thread.Sleep(200);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ContainerInfo stopped = _engine.Stop(c.Id, TimeSpan.FromSeconds(10));
        Assert.Equal(42, stopped.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), clock.Elapsed.ToString());
        _engine.Remove(c.Id, false);
    }

    [Fact]
    public void Pause_and_resume()
    {
        ContainerInfo c = sandbox.Run("sleep", "60");
        Assert.Equal(ContainerState.Paused, _engine.Pause(c.Id).State);
        Assert.Equal("FROZEN", File.ReadAllText(Path.Join(EngineSandbox.CgroupDir("freezer", c.Id), "freezer.state")).Trim());
        EngineException e = Assert.Throws<EngineException>(() => _engine.Pause(c.Id));
        Assert.Equal(EngineErrorKind.InvalidState, e.Kind);
        Assert.Equal(ContainerState.Running, _engine.Resume(c.Id).State);
        _engine.Remove(c.Id, force: true);
    }

    [Fact]
    public void Restart_runs_the_command_again()
    {
        ContainerInfo c = sandbox.Run("sh", "-c", "echo run; sleep 60");
        Assert.True(EngineSandbox.WaitUntil(() => _engine.Logs(c.Id, false, null, null, default).Any(), Long));
        ContainerInfo restarted = _engine.Restart(c.Id, TimeSpan.FromSeconds(1));
        Assert.Equal(ContainerState.Running, restarted.State);
        Assert.NotEqual(c.Pid, restarted.Pid);
        Assert.True(EngineSandbox.WaitUntil(() => _engine.Logs(c.Id, false, null, null, default).Count() == 2, Long));
        _engine.Remove(c.Id, force: true);
    }

    [Fact]
    public void Remove_force_of_a_running_container_leaves_nothing()
    {
        ContainerInfo c = sandbox.Run("sleep", "60");
        int pid = c.Pid!.Value;
        EngineException refused = Assert.Throws<EngineException>(() => _engine.Remove(c.Id, force: false));
        Assert.Equal(EngineErrorKind.InvalidState, refused.Kind);
        _engine.Remove(c.Name, force: true);
        Assert.False(Directory.Exists(Path.Join(sandbox.Options.DataRoot, "containers", c.Id)));
        Assert.False(File.Exists(Path.Join(sandbox.Options.DataRoot, "names", c.Name)));
        Assert.False(Directory.Exists(Path.Join(sandbox.Options.RunRoot, c.Id)));
        Assert.DoesNotContain(sandbox.Mounts(), m => m.Contains(c.Id));
        Assert.False(Directory.Exists(EngineSandbox.CgroupDir("memory", c.Id)));
        Assert.False(Directory.Exists($"/proc/{pid}"));
        Assert.Equal(EngineErrorKind.NotFound, Assert.Throws<EngineException>(() => _engine.Get(c.Id)).Kind);
    }

    [Fact]
    public void Exec_streams_output_and_reports_the_exit_code()
    {
        ContainerInfo c = sandbox.Run("sleep", "60");
        int code = -1;
        var lines = _engine.Exec(c.Id, new ExecRequest { Command = ["sh", "-c", "echo out; echo err >&2; id -u; exit 5"], User = "alice" }, null, x => code = x, CancellationToken.None).ToList();
        Assert.Equal(5, code);
        Assert.Contains(lines, e => e is { Stream: "stdout", Line: "out" });
        Assert.Contains(lines, e => e is { Stream: "stderr", Line: "err" });
        Assert.Contains(lines, e => e.Line == "1234");
        _engine.Remove(c.Id, force: true);
    }

    [Fact]
    public void Exec_with_a_terminal()
    {
        ContainerInfo c = sandbox.Run("sleep", "60");
        int code = -1;
        var lines = _engine.Exec(c.Id, new ExecRequest { Command = ["sh", "-c", "tty; exit 3"], Tty = true }, null, x => code = x, CancellationToken.None).ToList();
        Assert.Equal(3, code);
        Assert.Contains(lines, e => e.Line.StartsWith("/dev/pts/", StringComparison.Ordinal));
        _engine.Remove(c.Id, force: true);
    }

    [Fact]
    public void Update_changes_the_memory_limit_live()
    {
        ContainerInfo created = _engine.Create(sandbox.Request("sleep", "60") with { Memory = 64 * 1024 * 1024 });
        _engine.Start(created.Id);
        string limit = Path.Join(EngineSandbox.CgroupDir("memory", created.Id), "memory.limit_in_bytes");
        Assert.Equal((64 * 1024 * 1024).ToString(), File.ReadAllText(limit).Trim());
        ContainerInfo updated = _engine.Update(created.Id, new ResourceUpdate { Memory = 128 * 1024 * 1024, PidsLimit = 50 });
        Assert.Equal((128 * 1024 * 1024).ToString(), File.ReadAllText(limit).Trim());
        Assert.Equal("50", File.ReadAllText(Path.Join(EngineSandbox.CgroupDir("pids", created.Id), "pids.max")).Trim());
        Assert.Equal(128 * 1024 * 1024, updated.MemoryLimit);
        Assert.Equal(EngineErrorKind.InvalidArgument, Assert.Throws<EngineException>(() => _engine.Update(created.Id, new ResourceUpdate { Memory = 1024 })).Kind);
        _engine.Remove(created.Id, force: true);
    }

    [Fact]
    public void User_by_name_from_the_rootfs_passwd_and_group()
    {
        ContainerInfo created = _engine.Create(sandbox.Request("id") with { User = "alice" });
        _engine.Start(created.Id);
        _engine.Wait(created.Id, Long, CancellationToken.None);
        string line = _engine.Logs(created.Id, false, null, null, default).Single().Line;
        Assert.StartsWith("uid=1234(alice) gid=2345(staff)", line);
        Assert.Contains("3456", line);
        _engine.Remove(created.Id, false);
        Assert.Equal(EngineErrorKind.InvalidArgument, Assert.Throws<EngineException>(() => _engine.Create(sandbox.Request("id") with { User = "bob" })).Kind);
    }

    [Fact]
    public void Read_only_rootfs_refuses_writes()
    {
        ContainerInfo created = _engine.Create(sandbox.Request("sh", "-c", "touch /x 2>/dev/null && echo wrote || echo refused") with { ReadOnlyRootfs = true });
        _engine.Start(created.Id);
        ContainerInfo? exited = _engine.Wait(created.Id, Long, CancellationToken.None);
        Assert.Equal(["refused"], _engine.Logs(created.Id, false, null, null, default).Select(e => e.Line));
        _engine.Remove(created.Id, false);
    }

    [Fact]
    public void Tty_mode_logs_the_terminal_output()
    {
        ContainerInfo created = _engine.Create(sandbox.Request("sh", "-c", "tty; echo done") with { Tty = true });
        Assert.True(created.Tty);
        _engine.Start(created.Id);
        Assert.Equal(0, _engine.Wait(created.Id, Long, CancellationToken.None)!.ExitCode);
        var lines = _engine.Logs(created.Id, false, null, null, default).Select(e => e.Line).ToList();
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("/dev/pts/", lines[0]);
        Assert.Equal("done", lines[1]);
        _engine.Remove(created.Id, false);
    }

    [Fact]
    public void Rootfs_tarball_is_extracted_once_and_used()
    {
        string tar = Path.Join(sandbox.Root, "busybox.tar.gz");
        System.Diagnostics.Process.Start("tar", ["-czf", tar, "-C", sandbox.Rootfs, "."])!.WaitForExit();
        ContainerInfo a = _engine.Create(new ContainerCreateRequest { Rootfs = tar, Command = ["sh", "-c", "echo from-tar"] });
        ContainerInfo b = _engine.Create(new ContainerCreateRequest { Rootfs = tar, Command = ["true"] });
        Assert.Single(Directory.GetDirectories(Path.Join(sandbox.Options.DataRoot, "rootfs")));
        _engine.Start(a.Id);
        _engine.Wait(a.Id, Long, CancellationToken.None);
        Assert.Equal(["from-tar"], _engine.Logs(a.Id, false, null, null, default).Select(e => e.Line));
        _engine.Remove(a.Id, false);
        _engine.Remove(b.Id, false);
    }

    /// <summary>
    /// Regression: Remove(force) deleted the runtime state while the shim was deleting it too (after the
    /// container's exit); one of them re-created the state's lock file in the half-deleted directory, the
    /// other's recursive delete failed with "Directory not empty", and Remove threw before releasing the
    /// rootfs mount. Holding the runtime lock here keeps the shim in its delete, as a loaded machine does.
    /// </summary>
    [Fact]
    public void Remove_force_waits_for_the_shim_to_delete_the_runtime_state_and_leaves_nothing()
    {
        var runtimeStore = new Containers.Runtime.Lifecycle.StateStore(sandbox.Options.RunRoot);
        for (int i = 0; i < 4; i++)
        {
            ContainerInfo c = sandbox.Run("sleep", "60");
            Background removing;
            using (runtimeStore.Lock(c.Id))
            {
                removing = new Background(() => _engine.Remove(c.Id, force: true));
                Thread.Sleep(400 + 50 * i); // the container is killed; the shim waits for this lock to delete its state
            }
            Assert.Null(removing.Join(Long));
            Assert.False(Directory.Exists(Path.Join(sandbox.Options.DataRoot, "containers", c.Id)));
            Assert.DoesNotContain(Directory.GetFileSystemEntries(Path.Join(sandbox.Options.DataRoot, "containers")), e => e.Contains(c.Id));
            Assert.False(Directory.Exists(Path.Join(sandbox.Options.RunRoot, c.Id)));
            Assert.DoesNotContain(sandbox.Mounts(), m => m.Contains(c.Id));
            Assert.False(Directory.Exists(EngineSandbox.CgroupDir("memory", c.Id)));
        }
    }

    /// <summary>Regression: a second session waiting for the lock of a container being removed must find it gone.</summary>
    [Fact]
    public void Start_waiting_for_a_remove_finds_no_container_and_mounts_nothing()
    {
        var other = new ContainerEngine(sandbox.Options);
        var runtimeStore = new Containers.Runtime.Lifecycle.StateStore(sandbox.Options.RunRoot);
        for (int i = 0; i < 3; i++)
        {
            ContainerInfo c = sandbox.Run("sleep", "60");
            Background removing, starting;
            using (runtimeStore.Lock(c.Id))
            {
                removing = new Background(() => _engine.Remove(c.Id, force: true));
                Thread.Sleep(300);
                starting = new Background(() => other.Start(c.Id)); // waits for the container's lock
                Thread.Sleep(100);
            }
            Assert.Null(removing.Join(Long));
            Assert.Equal(EngineErrorKind.NotFound, Assert.IsType<EngineException>(starting.Join(Long)).Kind);
            Assert.DoesNotContain(Directory.GetFileSystemEntries(Path.Join(sandbox.Options.DataRoot, "containers")), e => e.Contains(c.Id));
            Assert.DoesNotContain(sandbox.Mounts(), m => m.Contains(c.Id));
        }
    }

    [Fact]
    public void Auto_remove_removes_the_container_after_exit()
    {
        ContainerInfo created = _engine.Create(sandbox.Request("sh", "-c", "exit 3") with { AutoRemove = true, Name = "autoremoved" });
        _engine.Start(created.Id);
        ContainerInfo? exited = _engine.Wait(created.Id, Long, CancellationToken.None);
        Assert.Equal(3, exited!.ExitCode);
        Assert.True(EngineSandbox.WaitUntil(() => !Directory.Exists(Path.Join(sandbox.Options.DataRoot, "containers", created.Id))
            && !File.Exists(Path.Join(sandbox.Options.DataRoot, "names", "autoremoved")), Long));
        Assert.DoesNotContain(sandbox.Mounts(), m => m.Contains(created.Id));
    }

    [Fact]
    public void Failed_start_reports_the_runtime_message_and_leaves_no_runtime_state()
    {
        ContainerInfo created = _engine.Create(sandbox.Request("nosuch"));
        EngineException e = Assert.Throws<EngineException>(() => _engine.Start(created.Id));
        Assert.Contains("executable file not found", e.Message);
        Assert.Equal(ContainerState.Created, _engine.Get(created.Id).State);
        Assert.False(Directory.Exists(Path.Join(sandbox.Options.RunRoot, created.Id)));
        Assert.False(Directory.Exists(EngineSandbox.CgroupDir("memory", created.Id)));
        Assert.False(File.Exists(Path.Join(sandbox.Options.DataRoot, "containers", created.Id, "shim.sock")));
        _engine.Remove(created.Id, false);
    }

    [Fact]
    public void Processes_lists_the_container_processes()
    {
        ContainerInfo c = sandbox.Run("sh", "-c", "sleep 60 & sleep 61; echo never");
        Assert.True(EngineSandbox.WaitUntil(() => _engine.Processes(c.Id).Count == 3, TimeSpan.FromSeconds(5)), string.Join(", ", _engine.Processes(c.Id)));
        var processes = _engine.Processes(c.Id);
        Assert.Equal(1, processes[0].ContainerPid);
        Assert.Contains(processes, p => p.Command == "sleep 61");
        Assert.All(processes, p => Assert.Equal("root", p.User));
        _engine.Remove(c.Id, force: true);
    }

    [Fact]
    public void Mounts_privileged_and_host_network()
    {
        string data = Path.Join(sandbox.Root, "data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Join(data, "hello.txt"), "from-host\n");
        ContainerCreateRequest request = sandbox.Request("sh", "-c",
            "cat /data/hello.txt; touch /data/x 2>/dev/null && echo rw || echo ro; touch /scratch/y && echo tmpfs-ok; grep CapEff /proc/self/status; wc -l < /proc/net/dev") with
        {
            Mounts = [new MountRequest("bind", "/data", data, ReadOnly: true), new MountRequest("tmpfs", "/scratch")],
            Privileged = true,
            Network = "host",
        };
        ContainerInfo c = _engine.Start(_engine.Create(request).Id);
        Assert.Equal(0, _engine.Wait(c.Id, Long, CancellationToken.None)!.ExitCode);
        var lines = _engine.Logs(c.Id, false, null, null, default).Select(e => e.Line).ToList();
        Assert.Equal("from-host", lines[0]);
        Assert.Equal("ro", lines[1]);
        Assert.Equal("tmpfs-ok", lines[2]);
        string ours = File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("CapBnd:")).Split('\t')[1];
        Assert.Equal($"CapEff:\t{ours}", lines[3]);
        int hostInterfaces = File.ReadAllLines("/proc/net/dev").Length;
        Assert.Equal(hostInterfaces.ToString(), lines[4].Trim());
        _engine.Remove(c.Id, false);
    }
}

/// <summary>An action on a thread of its own; Join returns what it threw (null: nothing).</summary>
internal sealed class Background
{
    private readonly Thread _thread;
    private Exception? _error;

    public Background(Action action)
    {
        _thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                _error = e;
            }
        }) { IsBackground = true };
        _thread.Start();
    }

    public Exception? Join(TimeSpan timeout) =>
        _thread.Join(timeout) ? _error : new TimeoutException("the background action did not finish");
}
