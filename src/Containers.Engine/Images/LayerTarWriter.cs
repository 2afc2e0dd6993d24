using System.Formats.Tar;
using Containers.Interop;

namespace Containers.Engine;

/// <summary>
/// Writes a directory tree as a tar, never following symlinks: a whole root filesystem (`docker export`),
/// or an overlay upper directory as an OCI layer (`docker commit`), where overlayfs's whiteouts (0/0
/// character devices) become <c>.wh.NAME</c> files and opaque directories get <c>.wh..wh..opq</c>.
/// </summary>
internal static class LayerTarWriter
{
    private const uint CharDevice = 0x2000;
    private const string OpaqueXattr = "trusted.overlay.opaque";

    public static void WriteTree(string root, Stream output) => Write(root, output, overlayDiff: false);

    public static void WriteOverlayDiff(string upper, Stream output) => Write(upper, output, overlayDiff: true);

    private static void Write(string root, Stream output, bool overlayDiff)
    {
        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        Walk(writer, root.TrimEnd('/'), "", overlayDiff);
    }

    private static void Walk(TarWriter writer, string root, string relative, bool overlayDiff)
    {
        string directory = relative.Length == 0 ? root : Path.Join(root, relative);
        foreach (string path in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            string name = relative.Length == 0 ? Path.GetFileName(path) : relative + "/" + Path.GetFileName(path);
            Syscalls.Statx(SafeFd.CurrentDirectory, path, AtFlags.SymlinkNoFollow, StatxMask.Basic, out StatxBuffer stat);
            if (overlayDiff && stat.FileType == CharDevice && stat.RdevMajor == 0 && stat.RdevMinor == 0)
            {
                string parent = Path.GetDirectoryName(name) is { Length: > 0 } p ? p + "/" : "";
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, parent + ".wh." + Path.GetFileName(path)) { ModificationTime = DateTimeOffset.UtcNow });
                continue;
            }

            writer.WriteEntry(path, stat.IsDirectory ? name + "/" : name);
            if (!stat.IsDirectory)
            {
                continue;
            }

            if (overlayDiff && IsOpaque(path))
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name + "/.wh..wh..opq") { ModificationTime = DateTimeOffset.UtcNow });
            }

            Walk(writer, root, name, overlayDiff);
        }
    }

    private static bool IsOpaque(string path)
    {
        Span<byte> value = stackalloc byte[8];
        try
        {
            long n = Syscalls.Lgetxattr(path, OpaqueXattr, value, (nuint)value.Length);
            return n == 1 && value[0] == (byte)'y';
        }
        catch (SyscallException)
        {
            return false; // ENODATA: not opaque
        }
    }
}
