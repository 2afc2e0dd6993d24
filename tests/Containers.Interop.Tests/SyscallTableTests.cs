namespace Containers.Interop.Tests;

public class SyscallTableTests
{
    [Theory]
    [InlineData("open_tree", SyscallArchitecture.X86_64, 428)]
    [InlineData("mount", SyscallArchitecture.X86_64, 165)]
    [InlineData("mount", SyscallArchitecture.Aarch64, 40)]
    [InlineData("pivot_root", SyscallArchitecture.Aarch64, 41)]
    [InlineData("mount", SyscallArchitecture.X86, 21)]
    [InlineData("chown32", SyscallArchitecture.X86, 212)]
    [InlineData("mount", SyscallArchitecture.Arm, 21)]
    [InlineData("set_tls", SyscallArchitecture.Arm, 0xf0005)]
    [InlineData("mount", SyscallArchitecture.X32, 0x40000000 | 165)]
    [InlineData("execve", SyscallArchitecture.X32, 0x40000000 | 520)]
    public void TryGetNumberKnowsEveryArchitecture(string name, SyscallArchitecture architecture, int expected)
    {
        Assert.True(SyscallTable.TryGetNumber(name, architecture, out int number));
        Assert.Equal(expected, number);
    }

    [Fact]
    public void AbsentAndUnknownCallsHaveNoNumber()
    {
        Assert.False(SyscallTable.TryGetNumber("fork", SyscallArchitecture.Aarch64, out _));
        Assert.True(SyscallTable.TryGetNumber("fork", SyscallArchitecture.X86_64, out _));
        Assert.False(SyscallTable.TryGetNumber("no_such_call", SyscallArchitecture.X86_64, out _));
    }

    [Fact]
    public void GetNameReversesTheLookup()
    {
        Assert.Equal("mount", SyscallTable.GetName(165, SyscallArchitecture.X86_64));
        Assert.Equal("mount", SyscallTable.GetName(40, SyscallArchitecture.Aarch64));
        Assert.Null(SyscallTable.GetName(100000, SyscallArchitecture.X86_64));
        Assert.Contains("seccomp", SyscallTable.Names);
        Assert.Equal(SyscallTable.Names.Count, SyscallTable.Names.Distinct().Count());
    }

    [Fact]
    public void CurrentArchitectureAndAuditArch()
    {
        Assert.Equal(SyscallArchitecture.X86_64, SyscallTable.Current);
        Assert.Equal(0xC000003Eu, SyscallTable.AuditArch(SyscallArchitecture.X86_64));
        Assert.Equal(0xC00000B7u, SyscallTable.AuditArch(SyscallArchitecture.Aarch64));
        Assert.True(SyscallTable.TryGetNumber("getpid", out int getpid));
        Assert.Equal(39, getpid);
    }
}
