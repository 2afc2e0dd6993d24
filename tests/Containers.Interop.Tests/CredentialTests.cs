using System.Globalization;

namespace Containers.Interop.Tests;

public class CredentialTests
{
    [Fact]
    public void SetresuidChangesOnlyTheCallingThread()
    {
        string? threadUids = null;
        string? threadGids = null;
        string? threadGroups = null;
        string? mainUidsWhileChanged = null;
        using var changed = new ManualResetEventSlim();
        using var observed = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            Syscalls.Setgroups(new uint[] { 65534 });
            Syscalls.Setresgid(65534, 65534, 65534);
            Syscalls.Setresuid(65534, 65534, 65534);
            threadUids = TestSupport.StatusField("/proc/thread-self/status", "Uid");
            threadGids = TestSupport.StatusField("/proc/thread-self/status", "Gid");
            threadGroups = TestSupport.StatusField("/proc/thread-self/status", "Groups");
            changed.Set();
            observed.Wait(); // stay alive (and unprivileged) while the main thread looks
        });
        thread.Start();
        changed.Wait();
        mainUidsWhileChanged = TestSupport.StatusField("/proc/thread-self/status", "Uid");
        observed.Set();
        thread.Join();

        Assert.Equal("65534\t65534\t65534\t65534", threadUids);
        Assert.Equal("65534\t65534\t65534\t65534", threadGids);
        Assert.Equal("65534", threadGroups);
        Assert.Equal("0\t0\t0\t0", mainUidsWhileChanged);
    }

    [Fact]
    public void CapgetReadsTheRealCapabilities()
    {
        CapabilitySets sets = Syscalls.GetCapabilities();
        ulong fromProc = ulong.Parse(TestSupport.StatusField("/proc/thread-self/status", "CapEff"), NumberStyles.HexNumber);
        ulong permitted = ulong.Parse(TestSupport.StatusField("/proc/thread-self/status", "CapPrm"), NumberStyles.HexNumber);

        Assert.Equal(fromProc, sets.Effective);
        Assert.Equal(permitted, sets.Permitted);
        Assert.NotEqual(0UL, sets.Effective & (1UL << 21)); // CAP_SYS_ADMIN: these tests run as root
    }

    [Fact]
    public void CapsetDropsOnlyTheCallingThreadsCapability()
    {
        ulong threadEffective = 0;
        TestSupport.OnDedicatedThread(() =>
        {
            CapabilitySets sets = Syscalls.GetCapabilities();
            Syscalls.SetCapabilities(sets with { Effective = sets.Effective & ~(1UL << 21) });
            threadEffective = ulong.Parse(TestSupport.StatusField("/proc/thread-self/status", "CapEff"), NumberStyles.HexNumber);
        });

        Assert.Equal(0UL, threadEffective & (1UL << 21));
        Assert.NotEqual(0UL, Syscalls.GetCapabilities().Effective & (1UL << 21));
    }

    [Fact]
    public void PrctlNoNewPrivsIsPerThreadAndRaw()
    {
        bool before = true, after = false;
        TestSupport.OnDedicatedThread(() =>
        {
            before = Syscalls.GetNoNewPrivileges();
            Syscalls.SetNoNewPrivileges();
            after = Syscalls.GetNoNewPrivileges();
        });

        Assert.False(before);
        Assert.True(after);
        Assert.False(Syscalls.GetNoNewPrivileges());
    }

    [Fact]
    public void PrlimitReadsNofileAsProcLimitsShowsIt()
    {
        ResourceLimit limit = Syscalls.GetResourceLimit(Resource.NoFile);
        string line = File.ReadAllLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        string[] fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(ulong.Parse(fields[0], CultureInfo.InvariantCulture), limit.Soft);
        Assert.Equal(ulong.Parse(fields[1], CultureInfo.InvariantCulture), limit.Hard);
    }

    [Fact]
    public void PersonalityQueryReturnsLinux()
    {
        Assert.Equal(0, Syscalls.Personality(0xffffffff) & 0xff); // PER_LINUX
    }
}
