using System.Text;

namespace Containers.Image.Tests;

public class StoreTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ImageStore _store;

    public StoreTests() => _store = new ImageStore(_dir.Path);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Blob_is_stored_by_its_sha256_and_read_back_verified()
    {
        byte[] data = Encoding.UTF8.GetBytes("hello");
        Digest digest = _store.Blobs.Write(data);
        Assert.Equal(Digest.Sha256(data), digest);
        Assert.Equal(_dir.Combine("blobs", "sha256", digest.Hex), _store.Blobs.PathOf(digest));
        Assert.Equal(data, _store.Blobs.ReadAllBytes(digest));
        _store.Blobs.Verify(digest);
        Assert.Empty(Directory.GetFiles(_store.Blobs.IngestDirectory));
    }

    [Fact]
    public async Task Write_with_wrong_digest_or_size_leaves_nothing()
    {
        Digest wrong = Digest.Sha256("other"u8);
        var error = await Assert.ThrowsAsync<CorruptBlobException>(() => _store.Blobs.WriteAsync(new MemoryStream("hello"u8.ToArray()), wrong));
        Assert.Contains(wrong.ToString(), error.Message);
        Assert.False(_store.Blobs.Contains(wrong));
        Assert.Empty(_store.Blobs.List());
        Assert.Empty(Directory.GetFiles(_store.Blobs.IngestDirectory));

        Digest right = Digest.Sha256("hello"u8);
        var tooLong = await Assert.ThrowsAsync<CorruptBlobException>(() => _store.Blobs.WriteAsync(new MemoryStream("hello"u8.ToArray()), right, 3));
        Assert.Contains("more than the expected 3 bytes", tooLong.Message);
        Assert.Empty(_store.Blobs.List());
    }

    [Fact]
    public void Interrupted_write_leaves_no_blob_and_resumes_from_the_partial()
    {
        byte[] data = new byte[300_000];
        new Random(1).NextBytes(data);
        Digest digest = Digest.Sha256(data);
        using (var first = _store.Blobs.BeginWrite(digest, data.Length))
        {
            first.Write(data.AsSpan(0, 100_000));
            // Killed here: no Commit.
        }

        Assert.False(_store.Blobs.Contains(digest));
        using var second = _store.Blobs.BeginWrite(digest, data.Length);
        Assert.Equal(100_000, second.Offset);
        second.Write(data.AsSpan(100_000));
        Assert.Equal(digest, second.Commit());
        Assert.Equal(data, _store.Blobs.ReadAllBytes(digest));
        Assert.Empty(Directory.GetFiles(_store.Blobs.IngestDirectory));
    }

    [Fact]
    public void Corrupt_blob_is_detected_on_read()
    {
        Digest digest = _store.Blobs.Write(new byte[10_000]);
        using (var f = File.OpenWrite(_store.Blobs.PathOf(digest)))
        {
            f.Position = 5000;
            f.WriteByte(1);
        }

        Assert.Throws<CorruptBlobException>(() => _store.Blobs.Verify(digest));
        Assert.Throws<CorruptBlobException>(() => _store.Blobs.ReadAllBytes(digest));
        using Stream s = _store.Blobs.OpenRead(digest);
        var error = Assert.Throws<CorruptBlobException>(() => s.CopyTo(Stream.Null));
        Assert.Contains(digest.ToString(), error.Message);
    }

    [Fact]
    public void Tags_list_find_and_remove_with_garbage_collection()
    {
        byte[] shared = TestImages.Tar(w => w.File("shared.txt", "base"));
        byte[] onlyA = TestImages.Tar(w => w.File("a.txt", "a"));
        byte[] onlyB = TestImages.Tar(w => w.File("b.txt", "b"));
        Digest a = TestImages.AddImage(_store, "example.com/a:1", shared, onlyA);
        TestImages.AddImage(_store, "busybox", shared, onlyB);
        _store.Tag(ImageReference.Parse("example.com/a:alias"), a);

        var list = _store.List();
        Assert.Equal(["docker.io/library/busybox:latest", "example.com/a:1", "example.com/a:alias"], list.Select(r => r.Reference.ToString()));
        ImageRecord busybox = _store.Get("busybox");
        Assert.Equal("linux/amd64", busybox.Platform);
        Assert.Equal(busybox, _store.Get(busybox.Id.Hex[..8]));
        Assert.Equal(busybox, _store.Get(busybox.Id.ToString()));
        Assert.Null(_store.Find("nothing:here"));
        Assert.Throws<ImageNotFoundException>(() => _store.Get("nothing:here"));

        int blobsBefore = _store.Blobs.List().Count();
        Assert.Equal(["example.com/a:1"], _store.Remove("example.com/a:1"));
        Assert.Equal(blobsBefore, _store.Blobs.List().Count());   // still tagged as :alias

        Assert.Equal(["example.com/a:alias"], _store.Remove("example.com/a:alias"));
        // manifest, config and onlyA's layer are gone; the shared layer stays for busybox.
        Assert.Equal(blobsBefore - 3, _store.Blobs.List().Count());
        Manifest bb = _store.ReadManifest(busybox.ManifestDigest);
        Assert.All(bb.Layers, l => Assert.True(_store.Blobs.Contains(l.ParsedDigest)));

        _store.Remove(busybox.Id.Hex[..12]);
        Assert.Empty(_store.List());
        Assert.Empty(_store.Blobs.List());
    }

    [Fact]
    public void Removal_refuses_an_image_in_use_unless_forced()
    {
        TestImages.AddImage(_store, "busybox", TestImages.Tar(w => w.File("x", "y")));
        Digest id = _store.Get("busybox").Id;
        _store.InUse = image => image == id;
        var error = Assert.Throws<ImageInUseException>(() => _store.Remove("busybox"));
        Assert.Contains("busybox", error.Message);
        Assert.Single(_store.List());
        Assert.Equal(["docker.io/library/busybox:latest"], _store.Remove("busybox", force: true));
        // Still used: the content stays, reachable by digest (Docker's dangling image) until no container uses it.
        ImageRecord dangling = Assert.Single(_store.List());
        Assert.Null(dangling.Reference.Tag);
        Assert.Equal(id, dangling.Id);
        Assert.True(_store.Blobs.Contains(id));

        _store.InUse = null;
        _store.Remove(dangling.Reference.ToString());
        Assert.Empty(_store.List());
        Assert.Empty(_store.Blobs.List());
    }

    [Fact]
    public void Garbage_collection_spares_leased_blobs_and_recent_partials()
    {
        Digest orphan = _store.Blobs.Write("orphan"u8);
        Digest leased = _store.Blobs.Write("leased"u8);
        using (var partial = _store.Blobs.BeginWrite(Digest.Sha256("partial!"u8), 8))
        {
            partial.Write("part"u8);
        }

        using (_store.Blobs.Lease([leased]))
        {
            Assert.Equal([orphan], _store.CollectGarbage());
            Assert.True(_store.Blobs.Contains(leased));
            Assert.Single(Directory.GetFiles(_store.Blobs.IngestDirectory));
        }

        Assert.Equal([leased], _store.CollectGarbage(keepPartialsFor: TimeSpan.FromSeconds(-1)));
        Assert.Empty(Directory.GetFiles(_store.Blobs.IngestDirectory));
    }

    [Fact]
    public void Root_is_the_argument_else_the_environment_else_the_default()
    {
        Assert.Equal("/var/lib/containers-ps/images", ImageStore.DefaultRoot);
        Assert.Equal(_dir.Path, _store.Root);
        using var other = new TempDir();
        Environment.SetEnvironmentVariable(ImageStore.RootVariable, other.Path);
        try
        {
            Assert.Equal(other.Path, new ImageStore().Root);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ImageStore.RootVariable, null);
        }
    }
}
