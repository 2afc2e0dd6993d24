namespace Containers.Interop.Tests;

public class FileTests
{
    [Fact]
    public void SealedMemfdRefusesWrites()
    {
        using SafeFd fd = Syscalls.MemfdCreate("ctr-sealed", MemfdFlags.CloseOnExec | MemfdFlags.AllowSealing);
        Assert.Equal(Errno.OK, TestSupport.Write(fd, "payload"));

        Syscalls.AddSeals(fd, SealFlags.Write | SealFlags.Shrink | SealFlags.Grow | SealFlags.Seal);

        Assert.Equal(SealFlags.Write | SealFlags.Shrink | SealFlags.Grow | SealFlags.Seal, Syscalls.GetSeals(fd));
        Assert.Equal(Errno.EPERM, TestSupport.Write(fd, "more"));
        Assert.Equal("payload", TestSupport.ReadAt(fd, 64));
        var error = Assert.Throws<SyscallException>(() => Syscalls.AddSeals(fd, SealFlags.Exec));
        Assert.Equal(Errno.EPERM, error.Errno);
    }

    [Fact]
    public void Openat2InRootKeepsAbsoluteSymlinkInsideTheRoot()
    {
        string root = TestSupport.TempDirectory();
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "etc"));
            File.WriteAllText(Path.Combine(root, "etc", "passwd"), "inside-the-root\n");
            File.CreateSymbolicLink(Path.Combine(root, "link"), "/etc/passwd");

            using SafeFd rootFd = Syscalls.Openat2(SafeFd.CurrentDirectory, root, OpenHow.Create(OpenFlags.Path | OpenFlags.Directory | OpenFlags.CloseOnExec, ResolveFlags.None));
            using SafeFd inRoot = Syscalls.Openat2(rootFd, "link", OpenHow.Create(OpenFlags.ReadOnly | OpenFlags.CloseOnExec, ResolveFlags.InRoot));
            using SafeFd plain = Syscalls.Openat2(rootFd, "link", OpenHow.Create(OpenFlags.ReadOnly | OpenFlags.CloseOnExec, ResolveFlags.None));

            Assert.Equal("inside-the-root\n", TestSupport.ReadAll(inRoot));
            Assert.StartsWith("root:", TestSupport.ReadAll(plain));
            var error = Assert.Throws<SyscallException>(() =>
                Syscalls.Openat2(rootFd, "link", OpenHow.Create(OpenFlags.ReadOnly, ResolveFlags.Beneath)));
            Assert.Equal(Errno.EXDEV, error.Errno);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void CloseRangeMarksDescriptorsCloseOnExec()
    {
        using SafeFd fd = Syscalls.MemfdCreate("ctr-close-range", MemfdFlags.None);
        Assert.Equal(0, Syscalls.Fcntl(fd, FcntlCommand.GetFd, 0) & 1);
        Syscalls.CloseRange((uint)fd.Value, (uint)fd.Value, CloseRangeFlags.CloseOnExec);
        Assert.Equal(1, Syscalls.Fcntl(fd, FcntlCommand.GetFd, 0) & 1);
    }

    [Fact]
    public void Pipe2AndDup3ReturnOwnedDescriptors()
    {
        var (read, write) = Syscalls.Pipe2(OpenFlags.CloseOnExec);
        using (read)
        using (write)
        {
            using SafeFd spare = Syscalls.MemfdCreate("ctr-dup3-target", MemfdFlags.CloseOnExec);
            int target = spare.Value;
            Assert.Equal(target, Syscalls.Dup3(write, target, OpenFlags.CloseOnExec));
            Assert.Equal(Errno.OK, TestSupport.Write(spare, "via-dup3"));
            write.Dispose();
            spare.Dispose();
            Assert.Equal("via-dup3", TestSupport.ReadAll(read));
        }
    }
}
