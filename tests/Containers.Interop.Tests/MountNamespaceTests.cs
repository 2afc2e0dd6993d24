namespace Containers.Interop.Tests;

public class MountNamespaceTests
{
    [Fact]
    public void TmpfsMountedInThreadNamespaceIsInvisibleToOtherThreads()
    {
        string target = TestSupport.TempDirectory();
        try
        {
            string hostNamespace = new FileInfo("/proc/thread-self/ns/mnt").LinkTarget!;
            string? threadNamespace = null;
            bool seenInside = false;
            TestSupport.OnDedicatedThread(() =>
            {
                TestSupport.EnterPrivateMountNamespace();
                threadNamespace = new FileInfo("/proc/thread-self/ns/mnt").LinkTarget;
                Syscalls.Mount("tmpfs", target, "tmpfs", MountFlags.NoSuid | MountFlags.NoDev, "size=1m,mode=0700");
                seenInside = TestSupport.MountinfoHas("/proc/thread-self/mountinfo", target, "tmpfs");
                File.WriteAllText(Path.Combine(target, "inside"), "x");
            });

            Assert.True(seenInside);
            Assert.StartsWith("mnt:[", threadNamespace);
            Assert.NotEqual(hostNamespace, threadNamespace);
            Assert.False(TestSupport.MountinfoHas("/proc/self/mountinfo", target, "tmpfs"));
            Assert.False(TestSupport.MountinfoHas("/proc/thread-self/mountinfo", target, "tmpfs"));
            Assert.False(File.Exists(Path.Combine(target, "inside")));
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public void NewMountApiMountsTmpfsWithFsopenFsmountMoveMount()
    {
        string target = TestSupport.TempDirectory();
        try
        {
            bool seenInside = false;
            bool readOnlyRefusedWrite = false;
            TestSupport.OnDedicatedThread(() =>
            {
                TestSupport.EnterPrivateMountNamespace();
                using SafeFd fs = Syscalls.Fsopen("tmpfs", FsopenFlags.CloseOnExec);
                Syscalls.FsconfigSetString(fs, "size", "1m");
                Syscalls.FsconfigCreate(fs);
                using SafeFd mount = Syscalls.Fsmount(fs, FsmountFlags.CloseOnExec, MountAttr.NoDev | MountAttr.NoSuid);
                Syscalls.MoveMount(mount, string.Empty, SafeFd.CurrentDirectory, target, MoveMountFlags.FromEmptyPath);
                seenInside = TestSupport.MountinfoHas("/proc/thread-self/mountinfo", target, "tmpfs");
                File.WriteAllText(Path.Combine(target, "file"), "x");

                // mount_setattr flips the new mount read-only: writes then fail with EROFS.
                var attributes = new MountAttributes { Set = MountAttr.ReadOnly };
                Syscalls.MountSetattr(SafeFd.CurrentDirectory, target, AtFlags.None, in attributes);
                try
                {
                    File.WriteAllText(Path.Combine(target, "second"), "x");
                }
                catch (IOException)
                {
                    readOnlyRefusedWrite = true;
                }
                catch (UnauthorizedAccessException)
                {
                    readOnlyRefusedWrite = true;
                }
            });

            Assert.True(seenInside);
            Assert.True(readOnlyRefusedWrite);
            Assert.False(File.Exists(Path.Combine(target, "file")));
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public void OpenTreeClonesABindMountIntoThePrivateNamespace()
    {
        string source = TestSupport.TempDirectory();
        string target = TestSupport.TempDirectory();
        try
        {
            File.WriteAllText(Path.Combine(source, "marker"), "bound");
            string? seen = null;
            TestSupport.OnDedicatedThread(() =>
            {
                TestSupport.EnterPrivateMountNamespace();
                using SafeFd tree = Syscalls.OpenTree(SafeFd.CurrentDirectory, source, OpenTreeFlags.Clone | OpenTreeFlags.CloseOnExec);
                Syscalls.MoveMount(tree, string.Empty, SafeFd.CurrentDirectory, target, MoveMountFlags.FromEmptyPath);
                seen = File.ReadAllText(Path.Combine(target, "marker"));
            });

            Assert.Equal("bound", seen);
            Assert.False(File.Exists(Path.Combine(target, "marker")));
        }
        finally
        {
            Directory.Delete(source, recursive: true);
            Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public void SethostnameChangesOnlyTheThreadsUtsNamespace()
    {
        string host = File.ReadAllText("/proc/sys/kernel/hostname").Trim();
        string? inside = null;
        TestSupport.OnDedicatedThread(() =>
        {
            Syscalls.Unshare(CloneFlags.NewUts);
            Syscalls.Sethostname("ctr-interop-test");
            inside = File.ReadAllText("/proc/sys/kernel/hostname").Trim();
        });

        Assert.Equal("ctr-interop-test", inside);
        Assert.Equal(host, File.ReadAllText("/proc/sys/kernel/hostname").Trim());
    }
}
