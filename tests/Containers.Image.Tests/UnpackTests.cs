using System.Diagnostics;
using System.Formats.Tar;
using System.Text;
using Containers.Interop;

namespace Containers.Image.Tests;

/// <summary>A normal multi-layer image unpacked and compared (with GNU tar too), every compression, both whiteout modes.</summary>
public sealed class UnpackTests : IDisposable
{
    private static readonly DateTimeOffset Time = new(2021, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static PaxTarEntry Entry(TarEntryType type, string name, int mode, string? content = null, Dictionary<string, string>? pax = null)
    {
        var entry = pax is null ? new PaxTarEntry(type, name) : new PaxTarEntry(type, name, pax);
        entry.Mode = (UnixFileMode)mode;
        entry.ModificationTime = Time;
        entry.Uid = 1000;
        entry.Gid = 1001;
        if (content is not null)
        {
            entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        }

        return entry;
    }

    internal static byte[] BaseLayer() => TestImages.Tar(w =>
    {
        w.WriteEntry(Entry(TarEntryType.Directory, "etc/", 0b111_101_101));
        w.WriteEntry(Entry(TarEntryType.RegularFile, "etc/hostname", 0b110_100_100, "old-name\n", new() { ["SCHILY.xattr.user.comment"] = "hello" }));
        w.WriteEntry(Entry(TarEntryType.Directory, "bin/", 0b111_101_101));
        w.WriteEntry(Entry(TarEntryType.RegularFile, "bin/tool", 0b100_111_101_101, "#!/bin/true\n"));
        w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/sh") { LinkName = "tool", ModificationTime = Time, Uid = 1000, Gid = 1001 });
        w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "bin/tool2") { LinkName = "bin/tool", ModificationTime = Time });
        w.WriteEntry(Entry(TarEntryType.Directory, "run/", 0b111_111_111 | 0b1_000_000_000));
        w.WriteEntry(Entry(TarEntryType.Fifo, "run/fifo", 0b110_100_000));
        w.WriteEntry(Entry(TarEntryType.Directory, "dev/", 0b111_101_101));
        var nullDevice = Entry(TarEntryType.CharacterDevice, "dev/null", 0b110_110_110);
        nullDevice.DeviceMajor = 1;
        nullDevice.DeviceMinor = 3;
        w.WriteEntry(nullDevice);
        w.WriteEntry(Entry(TarEntryType.Directory, "opaque/", 0b111_101_101));
        w.WriteEntry(Entry(TarEntryType.RegularFile, "opaque/old.txt", 0b110_100_100, "old"));
        w.WriteEntry(Entry(TarEntryType.RegularFile, "gone.txt", 0b110_100_100, "gone"));
    });

    internal static byte[] TopLayer() => TestImages.Tar(w =>
    {
        w.WriteEntry(Entry(TarEntryType.RegularFile, ".wh.gone.txt", 0));
        w.WriteEntry(Entry(TarEntryType.Directory, "opaque/", 0b111_101_101));
        w.WriteEntry(Entry(TarEntryType.RegularFile, "opaque/.wh..wh..opq", 0));
        w.WriteEntry(Entry(TarEntryType.RegularFile, "opaque/new.txt", 0b110_100_100, "new"));
        w.WriteEntry(Entry(TarEntryType.RegularFile, "etc/hostname", 0b110_100_100, "new-name\n"));
    });

    private static StatxBuffer Stat(string path)
    {
        Syscalls.Statx(SafeFd.CurrentDirectory, path, AtFlags.SymlinkNoFollow, StatxMask.Basic, out StatxBuffer buffer);
        return buffer;
    }

    private static string? Xattr(string path, string name)
    {
        byte[] value = new byte[256];
        try
        {
            long n = Syscalls.Lgetxattr(path, name, value, (nuint)value.Length);
            return Encoding.UTF8.GetString(value, 0, (int)n);
        }
        catch (SyscallException e) when (e.Errno == Errno.ENODATA)
        {
            return null;
        }
    }

    [Fact]
    public void Two_layers_applied_into_one_directory()
    {
        string root = _dir.Combine("rootfs");
        var options = new UnpackOptions { Whiteouts = WhiteoutMode.Apply };
        UnpackResult first = LayerUnpacker.Unpack(new MemoryStream(BaseLayer()), root, options);
        Assert.Equal(Digest.Sha256(BaseLayer()), first.DiffId);
        Assert.True(File.Exists(Path.Combine(root, "gone.txt")));
        Assert.Equal("hello", Xattr(Path.Combine(root, "etc/hostname"), "user.comment"));
        LayerUnpacker.Unpack(new MemoryStream(TopLayer()), root, options);

        Assert.False(File.Exists(Path.Combine(root, "gone.txt")));
        Assert.Equal(["new.txt"], Directory.GetFileSystemEntries(Path.Combine(root, "opaque")).Select(Path.GetFileName));
        Assert.Equal("new-name\n", File.ReadAllText(Path.Combine(root, "etc/hostname")));

        StatxBuffer tool = Stat(Path.Combine(root, "bin/tool"));
        Assert.Equal(0b100_111_101_101u, tool.Mode & 0xfffu);   // setuid survives the chown
        Assert.Equal((1000u, 1001u), (tool.Uid, tool.Gid));
        Assert.Equal(2u, tool.Nlink);
        Assert.Equal(tool.Inode, Stat(Path.Combine(root, "bin/tool2")).Inode);
        Assert.Equal(Time.ToUnixTimeSeconds(), tool.MtimeSeconds);
        Assert.Equal("tool", new FileInfo(Path.Combine(root, "bin/sh")).LinkTarget);
        Assert.Equal(1000u, Stat(Path.Combine(root, "bin/sh")).Uid);
        Assert.Equal(0x1000u, Stat(Path.Combine(root, "run/fifo")).FileType);
        StatxBuffer devNull = Stat(Path.Combine(root, "dev/null"));
        Assert.Equal((0x2000u, 1u, 3u), (devNull.FileType, devNull.RdevMajor, devNull.RdevMinor));
        StatxBuffer run = Stat(Path.Combine(root, "run"));
        Assert.Equal(0b1_111_111_111u, run.Mode & 0xfffu);
        Assert.Equal(Time.ToUnixTimeSeconds(), run.MtimeSeconds);   // set after its children
        Assert.Null(Xattr(Path.Combine(root, "etc/hostname"), "user.comment"));   // replaced by the top layer's file
    }

    [Fact]
    public void Overlay_mode_writes_overlayfs_whiteouts()
    {
        string lower = _dir.Combine("l1");
        string upper = _dir.Combine("l2");
        LayerUnpacker.Unpack(new MemoryStream(BaseLayer()), lower);
        LayerUnpacker.Unpack(new MemoryStream(TopLayer()), upper);
        StatxBuffer whiteout = Stat(Path.Combine(upper, "gone.txt"));
        Assert.Equal((0x2000u, 0u, 0u), (whiteout.FileType, whiteout.RdevMajor, whiteout.RdevMinor));
        Assert.Equal("y", Xattr(Path.Combine(upper, "opaque"), "trusted.overlay.opaque"));
        Assert.Null(Xattr(Path.Combine(lower, "opaque"), "trusted.overlay.opaque"));
        Assert.False(File.Exists(Path.Combine(upper, ".wh.gone.txt")));
        Assert.False(File.Exists(Path.Combine(upper, "opaque/.wh..wh..opq")));
        Assert.True(File.Exists(Path.Combine(lower, "opaque/old.txt")));
    }

    [Fact]
    public void Same_tree_as_gnu_tar()
    {
        byte[] tar = BaseLayer();
        File.WriteAllBytes(_dir.Combine("base.tar"), tar);
        string ours = _dir.Combine("ours");
        string theirs = _dir.Combine("theirs");
        Directory.CreateDirectory(theirs);
        LayerUnpacker.Unpack(new MemoryStream(tar), ours, new UnpackOptions { Whiteouts = WhiteoutMode.Apply });
        RegistryTests.Run("tar", "--xattrs", "--xattrs-include=*", "--same-owner", "-xpf", _dir.Combine("base.tar"), "-C", theirs);
        Assert.Equal(Listing(theirs), Listing(ours));
    }

    private static string Listing(string directory) =>
        RegistryTests.Run("find", directory, "-mindepth", "1", "-printf", "%P %y %m %U %G %s %T@ %l %n\n")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).Aggregate(new StringBuilder(), (b, l) => b.AppendLine(l)).ToString();

    [Theory]
    [InlineData("gzip")]
    [InlineData("zstd")]
    [InlineData("none")]
    public void Every_compression_gives_the_same_tree_and_diff_id(string compression)
    {
        byte[] tar = BaseLayer();
        byte[] blob = compression switch
        {
            "gzip" => TestImages.Gzip(tar),
            "zstd" => Zstd(tar),
            _ => tar,
        };
        var store = new ImageStore(_dir.Combine("store"));
        Digest digest = store.Blobs.Write(blob);
        string mediaType = compression switch { "gzip" => MediaTypes.OciLayerGzip, "zstd" => MediaTypes.OciLayerZstd, _ => MediaTypes.OciLayer };
        var descriptor = new Descriptor { MediaType = mediaType, Digest = digest.ToString(), Size = blob.Length };
        UnpackResult result = LayerUnpacker.Unpack(store.Blobs, descriptor, _dir.Combine("viaStore"), Digest.Sha256(tar));
        Assert.Equal(Digest.Sha256(tar), result.DiffId);

        using Stream sniffed = LayerDecompression.Open(new MemoryStream(blob));
        Assert.Equal(Digest.Sha256(tar), LayerUnpacker.Unpack(sniffed, _dir.Combine("sniffed")).DiffId);
        Assert.Equal(Listing(_dir.Combine("viaStore")), Listing(_dir.Combine("sniffed")));

        var wrongDiff = Assert.Throws<CorruptBlobException>(() => LayerUnpacker.Unpack(store.Blobs, descriptor, _dir.Combine("wrong"), Digest.Sha256([])));
        Assert.Contains("the image config says", wrongDiff.Message);
    }

    [Fact]
    public void Tar_without_padding_or_end_blocks_ends_after_its_last_entry()
    {
        // As umoci 0.4.7's `insert` writes them: the last file's data, then nothing.
        byte[] whole = TestImages.Tar(w =>
        {
            w.File("a.txt", "first");
            w.File("b.txt", "second file");
        });
        int end = FindEndOfLastData(whole, "second file");
        byte[] cut = whole[..end];
        var warnings = new List<string>();
        UnpackResult result = LayerUnpacker.Unpack(new MemoryStream(cut), _dir.Combine("cut"), new UnpackOptions { Warning = warnings.Add });
        Assert.Equal(Digest.Sha256(cut), result.DiffId);
        Assert.Equal("second file", File.ReadAllText(_dir.Combine("cut", "b.txt")));
        Assert.Contains("without padding", Assert.Single(warnings));

        // Cut inside the data: refused.
        var error = Assert.Throws<LayerFormatException>(() => LayerUnpacker.Unpack(new MemoryStream(whole[..(end - 3)]), _dir.Combine("cut2")));
        Assert.Contains("8 of 11 bytes", error.Message);
    }

    [Fact]
    public void Xattrs_binary_values_from_gnu_and_libarchive_records()
    {
        byte[] capability = [1, 0, 0, 2, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];   // cap_net_raw+p, as on ping
        byte[] tar = TestImages.Tar(w =>
        {
            w.WriteEntry(Entry(TarEntryType.RegularFile, "bsd", 0b110_100_100, "x", new() { ["LIBARCHIVE.xattr.user.b64"] = Convert.ToBase64String("bin\0ary"u8.ToArray()).TrimEnd('=') }));
            w.WriteEntry(Entry(TarEntryType.RegularFile, "cap", 0b111_101_101, "x", new() { ["SCHILY.xattr.user.cap"] = Encoding.Latin1.GetString(capability) }));
            w.WriteEntry(Entry(TarEntryType.RegularFile, "high", 0b111_101_101, "x", new() { ["SCHILY.xattr.user.high"] = "QQ" }));
        });
        // GNU tar writes raw bytes: patch the placeholder into a value that is not UTF-8.
        byte[] placeholder = "user.high=QQ"u8.ToArray();
        int at = tar.AsSpan().IndexOf(placeholder) + placeholder.Length - 2;
        (tar[at], tar[at + 1]) = (0x80, 0x01);

        var warnings = new List<string>();
        string root = _dir.Combine("x");
        LayerUnpacker.Unpack(new MemoryStream(tar), root, new UnpackOptions { Warning = warnings.Add });
        Assert.Equal("bin\0ary", Xattr(Path.Combine(root, "bsd"), "user.b64"));
        Assert.Equal(Encoding.Latin1.GetString(capability), Xattr(Path.Combine(root, "cap"), "user.cap"));
        Assert.Null(Xattr(Path.Combine(root, "high"), "user.high"));
        Assert.Contains("binary value", Assert.Single(warnings));
    }

    private static int FindEndOfLastData(byte[] tar, string content)
    {
        byte[] needle = Encoding.UTF8.GetBytes(content);
        for (int i = tar.Length - needle.Length; i >= 0; i--)
        {
            if (tar.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i + needle.Length;
            }
        }

        throw new InvalidOperationException("content not found");
    }

    internal static byte[] Zstd(byte[] data)
    {
        var buffer = new MemoryStream();
        using (var zstd = new ZstdSharp.CompressionStream(buffer, 3, leaveOpen: true))
        {
            zstd.Write(data);
        }

        return buffer.ToArray();
    }

    [Fact]
    public void Zstd_layer_made_by_the_zstd_tool_unpacks()
    {
        Assert.True(File.Exists("/usr/bin/zstd"), "the zstd tool is missing: run ./build.ps1 Bootstrap (it installs Debian's zstd)");

        File.WriteAllBytes(_dir.Combine("l.tar"), BaseLayer());
        RegistryTests.Run("/usr/bin/zstd", "-q", _dir.Combine("l.tar"), "-o", _dir.Combine("l.tar.zst"));
        using Stream tar = LayerDecompression.Open(File.OpenRead(_dir.Combine("l.tar.zst")));
        Assert.Equal(Digest.Sha256(BaseLayer()), LayerUnpacker.Unpack(tar, _dir.Combine("z")).DiffId);
    }
}
