namespace Containers.Interop.Tests;

public class SpawnTests
{
    [Fact]
    public void SpawnsShellWithDup2AndSetsid()
    {
        var (read, write) = Syscalls.Pipe2(OpenFlags.CloseOnExec);
        using (read)
        {
            int pid;
            using (write)
            using (var request = new SpawnRequest("/bin/sh", new[] { "sh", "-c", "echo $$ $(cut -d' ' -f6 /proc/$$/stat)" }, new[] { "PATH=/usr/bin:/bin" }))
            {
                request.Dup2(write, 1);
                request.NewSession = true;
                pid = request.Spawn();
            }

            string[] output = TestSupport.ReadAll(read).Trim().Split(' ');
            Syscalls.Waitpid(pid, out int status, WaitOptions.None);

            Assert.Equal(pid.ToString(), output[0]);
            Assert.Equal(pid.ToString(), output[1]); // session id == pid: setsid took effect
            var decoded = new WaitStatus(status);
            Assert.True(decoded.Exited);
            Assert.Equal(0, decoded.ExitCode);
        }
    }

    [Fact]
    public void ChildStartsWithDefaultSignalsAndEmptyMaskAndChdir()
    {
        var (read, write) = Syscalls.Pipe2(OpenFlags.CloseOnExec);
        using (read)
        {
            int pid;
            using (write)
            using (var request = new SpawnRequest("/bin/sh", new[] { "sh", "-c", "pwd; grep -E '^Sig(Blk|Ign)' /proc/self/status" }, new[] { "PATH=/usr/bin:/bin" }))
            {
                request.Dup2(write, 1).Chdir("/proc").CloseFrom(3);
                pid = request.Spawn();
            }

            string output = TestSupport.ReadAll(read);
            Syscalls.Waitpid(pid, out _, WaitOptions.None);

            Assert.StartsWith("/proc\n", output);
            string Field(string name) => output.Split('\n').First(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Split('\t')[1];
            Assert.Equal("0000000000000000", Field("SigBlk"));
            Assert.Equal("0000000000000000", Field("SigIgn")); // .NET ignores SIGPIPE; the child must not
        }
    }

    [Fact]
    public void MissingExecutableFailsWithEnoentFromPosixSpawn()
    {
        using var request = new SpawnRequest("/nonexistent-ctr-test/bin", new[] { "x" }, Array.Empty<string>());
        var error = Assert.Throws<SyscallException>(() => request.Spawn());
        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Equal("posix_spawn", error.Call);
        Assert.Contains("/nonexistent-ctr-test/bin", error.Message);
    }

    [Fact]
    public void WaitidOnPidfdReportsExitCode()
    {
        using var request = new SpawnRequest("/bin/sh", new[] { "sh", "-c", "exit 7" }, Array.Empty<string>());
        int pid = request.Spawn();
        using SafeFd pidfd = Syscalls.PidfdOpen(pid, PidfdFlags.None);

        Syscalls.Waitid(IdType.PidFd, pidfd.Value, out SigInfo info, WaitOptions.Exited);

        Assert.Equal(pid, info.Pid);
        Assert.Equal(SigInfo.CldExited, info.Code);
        Assert.Equal(7, info.Status);
        Assert.Equal((int)Signal.SIGCHLD, info.Signal);
    }

    [Fact]
    public void PidfdSendSignalKillsTheChild()
    {
        using var request = new SpawnRequest("/bin/sleep", new[] { "sleep", "60" }, Array.Empty<string>());
        int pid = request.Spawn();
        using SafeFd pidfd = Syscalls.PidfdOpen(pid, PidfdFlags.None);

        Syscalls.PidfdSendSignal(pidfd, Signal.SIGKILL);
        Syscalls.Waitid(IdType.PidFd, pidfd.Value, out SigInfo info, WaitOptions.Exited);

        Assert.Equal(SigInfo.CldKilled, info.Code);
        Assert.Equal((int)Signal.SIGKILL, info.Status);
        var error = Assert.Throws<SyscallException>(() => Syscalls.PidfdSendSignal(pidfd, Signal.SIGKILL));
        Assert.Equal(Errno.ESRCH, error.Errno);
    }

    [Fact]
    public void KillAndWaitpidReportTheSignal()
    {
        using var request = new SpawnRequest("/bin/sleep", new[] { "sleep", "60" }, Array.Empty<string>());
        int pid = request.Spawn();
        Syscalls.Kill(pid, Signal.SIGTERM);
        Assert.Equal(pid, Syscalls.Waitpid(pid, out int status, WaitOptions.None));
        var decoded = new WaitStatus(status);
        Assert.True(decoded.Signaled);
        Assert.Equal((int)Signal.SIGTERM, decoded.TermSignal);
    }
}
