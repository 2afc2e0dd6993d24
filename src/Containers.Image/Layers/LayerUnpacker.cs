using System.Formats.Tar;
using System.Text;
using Containers.Interop;
using Microsoft.Win32.SafeHandles;

namespace Containers.Image;

/// <summary>
/// Unpacks one layer tar (gzip, zstd or plain) into a directory, safely: every path is resolved inside the
/// directory (see <see cref="RootedTree"/>), so a malicious layer cannot write outside it.
/// </summary>
public static class LayerUnpacker
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private const uint S_IFCHR = 0x2000;
    private const uint S_IFBLK = 0x6000;
    private const uint S_IFIFO = 0x1000;

    /// <summary>
    /// Unpacks a stored layer blob, checking the blob against its digest as it is read, and the uncompressed
    /// tar against <paramref name="diffId"/> when given.
    /// </summary>
    public static UnpackResult Unpack(BlobStore blobs, Descriptor layer, string directory, Digest? diffId = null, UnpackOptions? options = null)
    {
        using Stream blob = blobs.OpenRead(layer.ParsedDigest);
        using Stream tar = LayerDecompression.Open(blob, layer.MediaType);
        UnpackResult result = Unpack(tar, directory, options);
        blob.CopyTo(Stream.Null);   // the verifying stream checks the digest at its end
        if (diffId is { } expected && expected != result.DiffId)
        {
            throw new CorruptBlobException(layer.ParsedDigest, $"uncompressed layer hashes to {result.DiffId}, the image config says {expected}");
        }

        return result;
    }

    /// <summary>Unpacks an uncompressed tar stream (see <see cref="LayerDecompression"/>) into <paramref name="directory"/>.</summary>
    public static UnpackResult Unpack(Stream tar, string directory, UnpackOptions? options = null)
    {
        options ??= new UnpackOptions();
        using var hashing = new HashingReadStream(tar);
        using var tree = new RootedTree(directory);
        var state = new LayerState(tree, options);
        using (var reader = new TarReader(hashing, leaveOpen: true))
        {
            while (NextEntry(reader, state) is { } entry)
            {
                if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
                {
                    continue;
                }

                state.Entries++;
                try
                {
                    Apply(state, entry);
                }
                catch (SyscallException e)
                {
                    throw new LayerFormatException(entry.Name, $"cannot unpack into {directory}: {e.Message}");
                }
            }
        }

        try
        {
            state.Finish();
        }
        catch (SyscallException e)
        {
            throw new LayerFormatException(".", $"cannot finish the layer in {directory}: {e.Message}");
        }

        return new UnpackResult(hashing.Finish(), state.Entries, hashing.BytesRead, state.Skipped);
    }

    /// <summary>
    /// The next entry, or null at the end. A tar that stops right after its last file's data (no padding, no
    /// end blocks; umoci 0.4's <c>insert</c> writes such layers) ends there, as Go's archive/tar allows; the
    /// DiffID check still catches a layer cut anywhere else.
    /// </summary>
    private static TarEntry? NextEntry(TarReader reader, LayerState state)
    {
        try
        {
            return reader.GetNextEntry(copyData: false);
        }
        catch (EndOfStreamException) when (state.Entries > 0)
        {
            state.Options.Warning?.Invoke($"layer tar ends after entry {state.Entries} without padding or end-of-archive blocks");
            return null;
        }
    }

    private static void Apply(LayerState state, TarEntry entry)
    {
        List<string> parts = LayerPath.Split(entry.Name, entry.Name);
        if (parts.Count == 0)
        {
            if (entry.EntryType == TarEntryType.Directory)
            {
                state.Deferred.Add((parts, entry));   // "./": the layer root's own mode, owner and times
            }

            return;
        }

        string leaf = parts[^1];
        if (leaf.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            ApplyWhiteout(state, entry, parts);
            return;
        }

        state.Written.Add(LayerPath.Join(parts));
        using SafeFd parent = state.Tree.OpenParent(parts);
        StatxBuffer? existing = RootedTree.Stat(parent, leaf);
        bool keepDirectory = entry.EntryType == TarEntryType.Directory && existing is { IsDirectory: true };
        if (existing is not null && !keepDirectory)
        {
            RootedTree.RemoveAll(parent, leaf);
        }

        uint permissions = (uint)entry.Mode & 0xfff;
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (!keepDirectory)
                {
                    Syscalls.Mkdirat(parent, leaf, 0b111_000_000);
                }

                state.Deferred.Add((parts, entry));   // mode and times after the children are in
                return;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                WriteFile(state, parent, leaf, entry);
                break;
            case TarEntryType.SymbolicLink:
                Syscalls.Symlinkat(entry.LinkName, parent, leaf);
                break;
            case TarEntryType.HardLink:
                Link(state, parent, leaf, entry);
                return;   // shares the target's inode and metadata
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                var device = (PosixTarEntry)entry;
                if (!state.Options.AllowDevices)
                {
                    state.Skipped.Add($"{entry.Name}: device {device.DeviceMajor}:{device.DeviceMinor} not allowed");
                    state.Written.Remove(LayerPath.Join(parts));
                    return;
                }

                uint type = entry.EntryType == TarEntryType.CharacterDevice ? S_IFCHR : S_IFBLK;
                Syscalls.Mknodat(parent, leaf, type | permissions, Syscalls.MakeDevice((uint)device.DeviceMajor, (uint)device.DeviceMinor));
                break;
            case TarEntryType.Fifo:
                Syscalls.Mknodat(parent, leaf, S_IFIFO | permissions, 0);
                break;
            default:
                throw new LayerFormatException(entry.Name, $"entry type {entry.EntryType} is not supported");
        }

        SetMetadata(state, parts, entry);
    }

    private static void WriteFile(LayerState state, SafeFd parent, string leaf, TarEntry entry)
    {
        var how = OpenHow.Create(OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow | OpenFlags.CloseOnExec,
            ResolveFlags.Beneath | ResolveFlags.NoSymlinks, 0b110_000_000);
        using SafeFd fd = Syscalls.Openat2(parent, leaf, in how);
        if (entry.DataStream is not { } data)
        {
            return;
        }

        using var handle = new SafeFileHandle(fd.DangerousGetHandle(), ownsHandle: false);
        byte[] buffer = state.Buffer;
        long offset = 0;
        int read;
        while ((read = data.Read(buffer)) > 0)
        {
            RandomAccess.Write(handle, buffer.AsSpan(0, read), offset);
            offset += read;
        }

        if (offset != entry.Length)
        {
            throw new LayerFormatException(entry.Name, $"the layer ends inside this file: {offset} of {entry.Length} bytes");
        }
    }

    private static void Link(LayerState state, SafeFd parent, string leaf, TarEntry entry)
    {
        List<string> target = LayerPath.Split(entry.LinkName, entry.Name);
        if (target.Count == 0)
        {
            throw new LayerFormatException(entry.Name, $"hard link to the layer root (\"{entry.LinkName}\")");
        }

        SafeFd source;
        try
        {
            source = state.Tree.OpenNoFollow(target);
        }
        catch (SyscallException e)
        {
            throw new LayerFormatException(entry.Name, $"hard link target \"{entry.LinkName}\" is not in the layer: {e.Errno.Name}");
        }

        using (source)
        {
            Syscalls.Statx(source, "", AtFlags.EmptyPath | AtFlags.SymlinkNoFollow, StatxMask.Type, out StatxBuffer stat);
            if (stat.IsDirectory)
            {
                throw new LayerFormatException(entry.Name, $"hard link to a directory (\"{entry.LinkName}\")");
            }

            Syscalls.Linkat(source, "", parent, leaf, AtFlags.EmptyPath);
        }
    }

    private static void ApplyWhiteout(LayerState state, TarEntry entry, List<string> parts)
    {
        string leaf = parts[^1];
        List<string> directory = parts.Take(parts.Count - 1).ToList();
        if (leaf == OpaqueMarker)
        {
            if (state.Options.Whiteouts == WhiteoutMode.Overlay)
            {
                using SafeFd dir = state.Tree.OpenDirectory(directory, create: true);
                Syscalls.Setxattr(RootedTree.ProcPath(dir), "trusted.overlay.opaque", "y"u8, 1, XattrFlags.None);
            }
            else
            {
                state.Opaque.Add(directory);
            }

            return;
        }

        if (leaf.StartsWith(WhiteoutPrefix + WhiteoutPrefix, StringComparison.Ordinal))
        {
            return;   // AUFS metadata (.wh..wh.plnk and the like): nothing to create
        }

        string hidden = leaf[WhiteoutPrefix.Length..];
        if (hidden.Length == 0 || hidden == "." || hidden == "..")
        {
            throw new LayerFormatException(entry.Name, $"whiteout of \"{hidden}\"");
        }

        if (state.Options.Whiteouts == WhiteoutMode.Overlay)
        {
            var target = directory.Append(hidden).ToList();
            state.Written.Add(LayerPath.Join(target));
            using SafeFd parent = state.Tree.OpenParent(target);
            RootedTree.RemoveAll(parent, hidden);
            Syscalls.Mknodat(parent, hidden, S_IFCHR, 0);
        }
        else
        {
            SafeFd parent;
            try
            {
                parent = state.Tree.OpenDirectory(directory, create: false);
            }
            catch (SyscallException e) when (e.Errno == Errno.ENOENT || e.Errno == Errno.ENOTDIR)
            {
                return;   // nothing there to hide
            }

            using (parent)
            {
                RootedTree.RemoveAll(parent, hidden);
            }
        }
    }

    private static void SetMetadata(LayerState state, List<string> parts, TarEntry entry)
    {
        using SafeFd fd = state.Tree.OpenNoFollow(parts);
        bool symlink = entry.EntryType == TarEntryType.SymbolicLink;
        string proc = RootedTree.ProcPath(fd);
        if (state.Options.PreserveOwnership)
        {
            Syscalls.Fchownat(fd, "", (uint)entry.Uid, (uint)entry.Gid, AtFlags.EmptyPath | AtFlags.SymlinkNoFollow);
        }

        if (!symlink)
        {
            // After chown, which clears set-id bits.
            Syscalls.Fchmodat(SafeFd.CurrentDirectory, proc, (uint)entry.Mode & 0xfff, AtFlags.None);
        }

        if (entry is PaxTarEntry pax)
        {
            foreach (var (name, value) in Xattrs(pax, state))
            {
                try
                {
                    Syscalls.Setxattr(proc, name, value, (nuint)value.Length, XattrFlags.None);
                }
                catch (SyscallException e)
                {
                    state.Options.Warning?.Invoke($"layer entry \"{entry.Name}\": xattr {name} not set: {e.Errno.Name}");
                }
            }
        }

        DateTimeOffset mtime = entry.ModificationTime;
        DateTimeOffset atime = entry is GnuTarEntry { AccessTime: var a } && a != default ? a : mtime;
        Span<TimeSpec> times = [TimeSpec.From(atime), TimeSpec.From(mtime)];
        Syscalls.Utimensat(fd, "", times, AtFlags.EmptyPath | AtFlags.SymlinkNoFollow);
    }

    /// <summary>
    /// Extended attributes from PAX records: GNU tar's <c>SCHILY.xattr.NAME</c> and bsdtar's base64
    /// <c>LIBARCHIVE.xattr.NAME</c>. System.Formats.Tar decodes PAX values as UTF-8, so a binary SCHILY value
    /// (security.capability) arrives damaged: it is skipped with a warning rather than written wrong.
    /// </summary>
    private static IEnumerable<(string Name, byte[] Value)> Xattrs(PaxTarEntry pax, LayerState state)
    {
        foreach (var (key, value) in pax.ExtendedAttributes)
        {
            if (key.StartsWith("SCHILY.xattr.", StringComparison.Ordinal))
            {
                string name = key["SCHILY.xattr.".Length..];
                if (value.Contains('\uFFFD'))
                {
                    state.Options.Warning?.Invoke($"layer entry \"{pax.Name}\": xattr {name} has a binary value the tar reader cannot carry; not set");
                    continue;
                }

                yield return (name, Encoding.UTF8.GetBytes(value));
            }
            else if (key.StartsWith("LIBARCHIVE.xattr.", StringComparison.Ordinal))
            {
                byte[] decoded;
                try
                {
                    decoded = Convert.FromBase64String(value.PadRight(value.Length + (4 - value.Length % 4) % 4, '='));
                }
                catch (FormatException)
                {
                    state.Options.Warning?.Invoke($"layer entry \"{pax.Name}\": {key} is not base64; not set");
                    continue;
                }

                yield return (Uri.UnescapeDataString(key["LIBARCHIVE.xattr.".Length..]), decoded);
            }
        }
    }

    private sealed class LayerState(RootedTree tree, UnpackOptions options)
    {
        public RootedTree Tree { get; } = tree;
        public UnpackOptions Options { get; } = options;
        public int Entries { get; set; }
        public List<string> Skipped { get; } = [];
        public byte[] Buffer { get; } = new byte[1 << 16];

        /// <summary>Paths this layer wrote: an opaque directory keeps these and loses the rest.</summary>
        public HashSet<string> Written { get; } = new(StringComparer.Ordinal);

        public List<List<string>> Opaque { get; } = [];

        public List<(List<string> Parts, TarEntry Entry)> Deferred { get; } = [];

        public void Finish()
        {
            foreach (List<string> directory in Opaque)
            {
                SafeFd dir;
                try
                {
                    dir = Tree.OpenDirectory(directory, create: false);
                }
                catch (SyscallException e) when (e.Errno == Errno.ENOENT || e.Errno == Errno.ENOTDIR)
                {
                    continue;   // nothing below it to hide
                }

                using var _ = dir;
                string prefix = directory.Count == 0 ? "" : LayerPath.Join(directory) + "/";
                foreach (string name in RootedTree.ListNames(dir))
                {
                    if (!Written.Contains(prefix + name))
                    {
                        RootedTree.RemoveAll(dir, name);
                    }
                }
            }

            // Deepest first, so setting a parent's time is not undone by touching a child.
            foreach (var (parts, entry) in Deferred.OrderByDescending(d => d.Parts.Count))
            {
                SetMetadata(this, parts, entry);
            }
        }
    }
}
