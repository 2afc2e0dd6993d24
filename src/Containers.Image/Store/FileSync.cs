using Containers.Interop;

namespace Containers.Image;

/// <summary>Durability helpers: a rename is only crash-safe once its directory is fsynced.</summary>
internal static class FileSync
{
    public static void Directory(string path)
    {
        using SafeFd fd = Syscalls.Openat2(SafeFd.CurrentDirectory, path, OpenHow.Create(OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.CloseOnExec, ResolveFlags.None));
        Syscalls.Fsync(fd);
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically: temp file, fsync, rename, fsync directory.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        string directory = System.IO.Path.GetDirectoryName(path)!;
        string temp = System.IO.Path.Combine(directory, "." + System.IO.Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(content);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
            Directory(directory);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
