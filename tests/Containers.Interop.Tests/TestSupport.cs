using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Containers.Interop.Tests;

/// <summary>Helpers: dedicated threads (namespaces are per thread), fd I/O, temp dirs.</summary>
internal static unsafe class TestSupport
{
    /// <summary>Runs <paramref name="action"/> on a fresh thread that exits afterwards, taking its namespaces and credentials with it.</summary>
    public static void OnDedicatedThread(Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new Xunit.Sdk.XunitException("On the dedicated thread: " + failure);
        }
    }

    /// <summary>Unshares a mount namespace on the calling thread and makes it rprivate, so nothing propagates to the host.</summary>
    public static void EnterPrivateMountNamespace()
    {
        Syscalls.Unshare(CloneFlags.NewNs);
        Syscalls.Mount(null, "/", null, MountFlags.Recursive | MountFlags.Private, null);
    }

    public static bool MountinfoHas(string mountinfoPath, string mountPoint, string fsType)
    {
        foreach (string line in File.ReadAllLines(mountinfoPath))
        {
            string[] halves = line.Split(" - ");
            string[] fields = halves[0].Split(' ');
            if (fields[4] == mountPoint && halves[1].Split(' ')[0] == fsType)
            {
                return true;
            }
        }

        return false;
    }

    public static string ReadAll(SafeFd fd)
    {
        using var stream = new FileStream(new SafeFileHandle(fd.DangerousGetHandle(), ownsHandle: false), FileAccess.Read, 1);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static string ReadAt(SafeFd fd, int count)
    {
        byte[] buffer = new byte[count];
        fixed (byte* p = buffer)
        {
            nint n = pread(fd.Value, p, (nuint)count, 0);
            Assert.True(n >= 0, "pread failed: " + Errno.Last);
            return Encoding.UTF8.GetString(buffer, 0, (int)n);
        }
    }

    public static Errno Write(SafeFd fd, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* p = bytes)
        {
            nint n = write(fd.Value, p, (nuint)bytes.Length);
            return n < 0 ? Errno.Last : Errno.OK;
        }
    }

    public static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "ctr-interop-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }

    public static string StatusField(string statusPath, string field) =>
        File.ReadAllLines(statusPath).First(l => l.StartsWith(field + ":", StringComparison.Ordinal)).Split(':', 2)[1].Trim();

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern nint write(int fd, byte* buffer, nuint count);

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern nint pread(int fd, byte* buffer, nuint count, long offset);
}
