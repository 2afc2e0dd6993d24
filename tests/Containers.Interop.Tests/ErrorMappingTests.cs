namespace Containers.Interop.Tests;

public class ErrorMappingTests
{
    [Fact]
    public void MissingPathMapsToNotFoundNamingTheCallAndPath()
    {
        const string missing = "/nonexistent-ctr-test/dir";
        var error = Assert.Throws<SyscallException>(() => Syscalls.Chdir(missing));

        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Equal(SyscallErrorKind.NotFound, error.Kind);
        Assert.Equal("chdir", error.Call);
        Assert.Equal("chdir(path=\"/nonexistent-ctr-test/dir\"): ENOENT (No such file or directory)", error.Message);
        Assert.IsType<FileNotFoundException>(error.ToFrameworkException());
    }

    [Fact]
    public void MessageShowsFlagsByNameAndFdsAsNumbers()
    {
        var error = Assert.Throws<SyscallException>(() =>
            Syscalls.OpenTree(SafeFd.CurrentDirectory, "/nonexistent-ctr-test", OpenTreeFlags.Clone | OpenTreeFlags.CloseOnExec));

        Assert.Equal("open_tree(fd=AT_FDCWD, path=\"/nonexistent-ctr-test\", flags=Clone|CloseOnExec): ENOENT (No such file or directory)", error.Message);
    }

    [Fact]
    public void TryVariantReturnsErrnoWithoutThrowing()
    {
        Errno errno = Syscalls.TryChdir("/nonexistent-ctr-test");
        Assert.Equal(Errno.ENOENT, errno);
        Assert.Equal(Errno.OK, Syscalls.TryKill(Environment.ProcessId, 0));
    }

    [Fact]
    public void EmbeddedNulIsRefusedBeforeTheKernelSeesATruncatedPath()
    {
        Assert.Equal(Errno.EINVAL, Syscalls.TryChdir("/tmp\0/evil"));
    }

    [Fact]
    public void LongPathsUsePooledBufferAndStillReachTheKernel()
    {
        string longPath = "/" + new string('a', 300) + "/b";
        var error = Assert.Throws<SyscallException>(() => Syscalls.Chdir(longPath));
        Assert.Equal(Errno.ENAMETOOLONG, error.Errno);
        Assert.Contains(longPath, error.Message);
    }
}
