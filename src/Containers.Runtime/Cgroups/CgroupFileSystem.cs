using System.Runtime.InteropServices;
using System.Text;
using Containers.Interop;

namespace Containers.Runtime.Cgroups;

/// <summary>
/// cgroupfs through open/read/write/mkdir/rmdir, so that each failure carries the errno the
/// kernel gave (EINVAL for a value out of range, EBUSY for rmdir of a busy cgroup, ...).
/// </summary>
public sealed partial class CgroupFileSystem : ICgroupFileSystem
{
    public static CgroupFileSystem Instance { get; } = new();

    private const int O_RDONLY = 0;
    private const int O_WRONLY = 1;
    private const int O_TRUNC = 0x200;
    private const int O_CLOEXEC = 0x80000;

    public string ReadFile(string path)
    {
        int fd = Retry(() => Open(path, O_RDONLY | O_CLOEXEC, 0));
        if (fd < 0)
        {
            throw new SyscallException("open", Errno.Last, $"\"{path}\", O_RDONLY");
        }

        try
        {
            var content = new List<byte>(256);
            byte[] buffer = new byte[4096];
            while (true)
            {
                long n;
                unsafe
                {
                    fixed (byte* p = buffer)
                    {
                        do
                        {
                            n = Read(fd, p, (nuint)buffer.Length);
                        }
                        while (n < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR.Value);
                    }
                }

                if (n < 0)
                {
                    throw new SyscallException("read", Errno.Last, $"\"{path}\"");
                }

                if (n == 0)
                {
                    break;
                }

                content.AddRange(buffer.AsSpan(0, (int)n));
            }

            return Encoding.UTF8.GetString(content.ToArray());
        }
        finally
        {
            Close(fd);
        }
    }

    public void WriteFile(string path, string value)
    {
        // O_TRUNC as runc does: harmless on cgroupfs, and right for plain fixture files.
        int fd = Retry(() => Open(path, O_WRONLY | O_TRUNC | O_CLOEXEC, 0));
        if (fd < 0)
        {
            throw new SyscallException("open", Errno.Last, $"\"{path}\", O_WRONLY");
        }

        try
        {
            byte[] bytes = Encoding.UTF8.GetBytes(value);
            long n;
            unsafe
            {
                fixed (byte* p = bytes)
                {
                    do
                    {
                        n = Write(fd, p, (nuint)bytes.Length);
                    }
                    while (n < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR.Value);
                }
            }

            if (n < 0)
            {
                throw new SyscallException("write", Errno.Last, $"\"{path}\", \"{value}\"");
            }
        }
        finally
        {
            Close(fd);
        }
    }

    public bool FileExists(string path) => File.Exists(path);

    public bool DirectoryExists(string path) => Directory.Exists(path);

    public void CreateDirectory(string path)
    {
        string? parent = Path.GetDirectoryName(path);
        if (parent is not null && parent != path && !Directory.Exists(parent))
        {
            CreateDirectory(parent);
        }

        for (int attempt = 0; ; attempt++)
        {
            if (MakeDirectory(path, 0b111_101_101) == 0)
            {
                return;
            }
            Errno errno = Errno.Last;
            if (errno.Value == Errno.EEXIST.Value)
            {
                return;
            }
            // Another runtime pruned an empty parent between our two mkdirs: make it again.
            if (errno.Value == Errno.ENOENT.Value && attempt < 5 && parent is not null && parent != path)
            {
                CreateDirectory(parent);
                continue;
            }
            throw new SyscallException("mkdir", errno, $"\"{path}\", 0755");
        }
    }

    public void RemoveDirectory(string path)
    {
        if (RemoveDirectoryNative(path) != 0)
        {
            throw new SyscallException("rmdir", Errno.Last, $"\"{path}\"");
        }
    }

    public IEnumerable<string> EnumerateDirectories(string path) => Directory.EnumerateDirectories(path);

    private static int Retry(Func<int> call)
    {
        int result;
        do
        {
            result = call();
        }
        while (result < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR.Value);
        return result;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MakeDirectory(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "rmdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RemoveDirectoryNative(string path);
}
