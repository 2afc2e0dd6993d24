namespace Containers.Interop.Tests;

public class SafeFdTests
{
    [Fact]
    public void ReturnedDescriptorIsClosedExactlyOnce()
    {
        SafeFd fd = Syscalls.MemfdCreate("ctr-close-once", MemfdFlags.CloseOnExec);
        int number = fd.Value;
        Assert.True(File.Exists($"/proc/self/fd/{number}"));
        long before = Interlocked.Read(ref SafeFd.CloseCount);

        fd.Dispose();
        fd.Dispose();

        Assert.Equal(before + 1, Interlocked.Read(ref SafeFd.CloseCount));
        Assert.True(fd.IsClosed);
    }

    [Fact]
    public void DescriptorIsKeptAliveDuringACallAndReleasedAfter()
    {
        using SafeFd fd = Syscalls.MemfdCreate("ctr-addref", MemfdFlags.CloseOnExec | MemfdFlags.AllowSealing);
        Syscalls.AddSeals(fd, SealFlags.Grow);
        long before = Interlocked.Read(ref SafeFd.CloseCount);

        // DangerousAddRef/Release balanced: dispose still closes immediately.
        fd.Dispose();
        Assert.Equal(before + 1, Interlocked.Read(ref SafeFd.CloseCount));
    }
}
