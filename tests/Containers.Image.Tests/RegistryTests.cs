using System.Diagnostics;
using System.Text.Json;

namespace Containers.Image.Tests;

/// <summary>Pull and push against a real docker-registry on 127.0.0.1, cross-checked with skopeo and umoci.</summary>
public sealed class RegistryTests : IDisposable
{
    private readonly RegistryServer _registry = RegistryServer.Anonymous();
    private readonly TempDir _dir = new();
    private readonly ImageStore _local;

    public RegistryTests() => _local = new ImageStore(_dir.Combine("local"));

    public void Dispose()
    {
        _registry.Dispose();
        _dir.Dispose();
    }

    private static byte[] BigLayer(int seed, int size = 1_000_000)
    {
        byte[] random = new byte[size];
        new Random(seed).NextBytes(random);
        return TestImages.Tar(w =>
        {
            w.Dir("data/");
            w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "data/blob.bin") { DataStream = new MemoryStream(random) });
        });
    }

    private ImageRecord AddLocal(string reference)
    {
        TestImages.AddImage(_local, reference, BigLayer(1), TestImages.Tar(w => w.File("etc/hello", "world")));
        return _local.Get(reference);
    }

    [Fact]
    public async Task Push_then_skopeo_inspects_and_a_fresh_store_pulls_the_same_image()
    {
        ImageRecord local = AddLocal("example.com/app:v1");
        using var client = new RegistryClient();
        ImageReference remote = _registry.Ref("app/one:v1");
        var progress = new List<LayerProgress>();
        Digest pushed = await new ImagePusher(client, _local).PushAsync("example.com/app:v1", remote, p => { lock (progress) { progress.Add(p); } });
        Assert.Equal(local.ManifestDigest, pushed);
        Assert.Contains(progress, p => p.Status == LayerStatus.Done);

        string inspect = Run("skopeo", "inspect", "--tls-verify=false", "docker://" + remote);
        using var doc = JsonDocument.Parse(inspect);
        Assert.Equal(pushed.ToString(), doc.RootElement.GetProperty("Digest").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("Layers").GetArrayLength());

        var fresh = new ImageStore(_dir.Combine("fresh"));
        var pulls = new List<LayerProgress>();
        ImageRecord pulled = await new ImagePuller(client, fresh).PullAsync(remote, new PullOptions { Progress = p => { lock (pulls) { pulls.Add(p); } } });
        Assert.Equal(local.Id, pulled.Id);
        Assert.Equal(local.ManifestDigest, pulled.ManifestDigest);
        Assert.Equal(remote.ToString(), pulled.Reference.ToString());
        foreach (Digest blob in _local.Blobs.List())
        {
            fresh.Blobs.Verify(blob);
        }

        long big = fresh.ReadManifest(pulled.ManifestDigest).Layers.Max(l => l.Size);
        Assert.Contains(pulls, p => p.Status == LayerStatus.Done && p.Done == big && p.Total == big);
        Assert.Contains(pulls, p => p.Status == LayerStatus.Downloading && p.Done < p.Total);

        // Pulling again downloads nothing.
        pulls.Clear();
        await new ImagePuller(client, fresh).PullAsync(remote, new PullOptions { Progress = p => { lock (pulls) { pulls.Add(p); } } });
        Assert.DoesNotContain(pulls, p => p.Status == LayerStatus.Downloading);
    }

    [Fact]
    public async Task Chunked_upload_and_cross_repository_mount()
    {
        AddLocal("example.com/app:v1");
        using var client = new RegistryClient(new RegistryClientOptions { UploadChunkSize = 100_000 });
        var handler = new FaultInjectingHandler();
        using var logged = new RegistryClient(new RegistryClientOptions { UploadChunkSize = 100_000 }, handler);
        await new ImagePusher(logged, _local).PushAsync("example.com/app:v1", _registry.Ref("chunked/a:v1"));
        Assert.True(handler.Log.Count(l => l.Method == HttpMethod.Patch) >= 10);

        // Same registry, other repository: the pusher of a locally tagged 127.0.0.1 image mounts instead of uploading.
        var pulledStore = new ImageStore(_dir.Combine("p"));
        await new ImagePuller(client, pulledStore).PullAsync(_registry.Ref("chunked/a:v1"));
        handler.Log.Clear();
        await new ImagePusher(logged, pulledStore).PushAsync(_registry.Ref("chunked/a:v1").ToString(), _registry.Ref("chunked/b:v1"));
        Assert.DoesNotContain(handler.Log, l => l.Method == HttpMethod.Patch || l.Method == HttpMethod.Put && l.Path.Contains("/blobs/"));
        Assert.Contains(handler.Log, l => l.Method == HttpMethod.Post && l.Status == System.Net.HttpStatusCode.Created);
        Run("skopeo", "inspect", "--tls-verify=false", "docker://" + _registry.Ref("chunked/b:v1"));
    }

    [Fact]
    public async Task Pulls_what_umoci_built_and_skopeo_pushed()
    {
        string layout = _dir.Combine("layout");
        string bundle = _dir.Combine("bundle");
        Run("umoci", "init", "--layout", layout);
        Run("umoci", "new", "--image", layout + ":v1");
        Run("umoci", "unpack", "--rootless", "--image", layout + ":v1", bundle);
        File.WriteAllText(Path.Combine(bundle, "rootfs", "hello.txt"), "from umoci");
        Run("umoci", "repack", "--image", layout + ":v1", bundle);
        Run("umoci", "config", "--image", layout + ":v1", "--config.workingdir", "/srv", "--config.env", "A=1", "--config.entrypoint", "/bin/true");
        ImageReference remote = _registry.Ref("umoci/img:v1");
        Run("skopeo", "copy", "--dest-tls-verify=false", "oci:" + layout + ":v1", "docker://" + remote);

        using var client = new RegistryClient();
        ImageRecord pulled = await new ImagePuller(client, _local).PullAsync(remote);
        ImageConfig config = _local.ReadConfig(pulled.Id);
        Assert.Equal("/srv", config.Config?.WorkingDir);
        Assert.Contains("A=1", config.Config?.Env ?? []);
        Assert.Equal(["/bin/true"], config.Config?.Entrypoint);
        Manifest manifest = _local.ReadManifest(pulled.ManifestDigest);
        Assert.Single(manifest.Layers);
        Assert.Equal(config.RootFs.DiffIds.Count, manifest.Layers.Count);
    }

    [Fact]
    public async Task Multi_arch_index_selects_the_platform()
    {
        using var client = new RegistryClient();
        ImageReference repo = _registry.Ref("multi/arch:v1");
        var platforms = new[] { ("amd64", (string?)null), ("arm64", "v8"), ("arm", "v7") };
        var entries = new List<Descriptor>();
        foreach (var (arch, variant) in platforms)
        {
            var staging = new ImageStore(_dir.Combine("stage-" + arch));
            TestImages.AddImage(staging, "x.io/" + arch + ":v1", new ContainerConfig { Cmd = [arch] }, TestImages.Tar(w => w.File("arch", arch)));
            Digest pushed = await new ImagePusher(client, staging).PushAsync("x.io/" + arch + ":v1", repo.WithTag("only-" + arch));
            entries.Add(new Descriptor
            {
                MediaType = MediaTypes.OciManifest,
                Digest = pushed.ToString(),
                Size = staging.Blobs.SizeOf(pushed),
                Platform = new Platform { OS = "linux", Architecture = arch, Variant = variant },
            });
        }

        byte[] index = JsonSerializer.SerializeToUtf8Bytes(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = entries }, ImageJsonContext.Default.ImageIndex);
        await client.PutManifestAsync(repo, "v1", index, MediaTypes.OciIndex);
        Assert.Contains("\"manifests\"", Run("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + repo));

        ImageRecord amd = await new ImagePuller(client, _local).PullAsync(repo);
        Assert.Equal(["amd64"], _local.ReadConfig(amd.Id).Config?.Cmd);
        Assert.Equal(Digest.Sha256(index), amd.IndexDigest);

        var armStore = new ImageStore(_dir.Combine("arm"));
        ImageRecord arm = await new ImagePuller(client, armStore).PullAsync(repo, new PullOptions { Platform = PlatformSelector.Parse("linux/arm64") });
        Assert.Equal(["arm64"], armStore.ReadConfig(arm.Id).Config?.Cmd);
        ImageRecord armv6 = await new ImagePuller(client, armStore).PullAsync(repo.WithTag("v1"), new PullOptions { Platform = PlatformSelector.Parse("linux/arm/v8") });
        Assert.Equal(["arm"], armStore.ReadConfig(armv6.Id).Config?.Cmd);

        var error = await Assert.ThrowsAsync<PlatformNotFoundException>(() => new ImagePuller(client, armStore).PullAsync(repo, new PullOptions { Platform = PlatformSelector.Parse("linux/s390x") }));
        Assert.Contains("linux/amd64", error.Message);
        Assert.Contains("linux/s390x", error.Message);

        // By digest: the index digest pins it.
        ImageRecord pinned = await new ImagePuller(client, new ImageStore(_dir.Combine("pinned"))).PullAsync(repo.WithDigest(Digest.Sha256(index)));
        Assert.Equal(amd.Id, pinned.Id);
    }

    [Fact]
    public async Task Interrupted_download_resumes_with_a_range_request()
    {
        AddLocal("example.com/app:v1");
        using (var plain = new RegistryClient())
        {
            await new ImagePusher(plain, _local).PushAsync("example.com/app:v1", _registry.Ref("resume/a:v1"));
        }

        int cuts = 0;
        var handler = new FaultInjectingHandler
        {
            Faults = r => r.Method == HttpMethod.Get && r.RequestUri!.AbsolutePath.Contains("/blobs/") && r.Headers.Range is null && Interlocked.Increment(ref cuts) <= 3
                ? FaultInjectingHandler.Fault.CutAfter64K
                : null,
        };
        using var client = new RegistryClient(new RegistryClientOptions { InitialBackoff = TimeSpan.FromMilliseconds(10) }, handler);
        var fresh = new ImageStore(_dir.Combine("fresh"));
        ImageRecord pulled = await new ImagePuller(client, fresh).PullAsync(_registry.Ref("resume/a:v1"));
        Assert.Contains(handler.Log, l => l.Range == "bytes=65536-" && l.Status == System.Net.HttpStatusCode.PartialContent);
        foreach (Descriptor layer in fresh.ReadManifest(pulled.ManifestDigest).Layers)
        {
            fresh.Blobs.Verify(layer.ParsedDigest);
        }

        Assert.Empty(Directory.GetFiles(fresh.Blobs.IngestDirectory));
    }

    [Fact]
    public async Task Pull_cancelled_midway_leaves_a_partial_that_the_next_pull_resumes()
    {
        AddLocal("example.com/app:v1");
        using (var plain = new RegistryClient())
        {
            await new ImagePusher(plain, _local).PushAsync("example.com/app:v1", _registry.Ref("resume/b:v1"));
        }

        var fresh = new ImageStore(_dir.Combine("fresh"));
        using var cancel = new CancellationTokenSource();
        using (var first = new RegistryClient(new RegistryClientOptions { MaxParallelDownloads = 1 }))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ImagePuller(first, fresh).PullAsync(_registry.Ref("resume/b:v1"), new PullOptions
            {
                Progress = p =>
                {
                    if (p.Status == LayerStatus.Downloading && p.Done > 200_000)
                    {
                        cancel.Cancel();
                    }
                },
            }, cancel.Token));
        }

        Assert.Empty(fresh.List());
        string[] partials = Directory.GetFiles(fresh.Blobs.IngestDirectory);
        string partial = Assert.Single(partials);
        Assert.True(new FileInfo(partial).Length > 200_000);

        var handler = new FaultInjectingHandler();
        using var second = new RegistryClient(null, handler);
        await new ImagePuller(second, fresh).PullAsync(_registry.Ref("resume/b:v1"));
        Assert.Contains(handler.Log, l => l.Range is not null && l.Status == System.Net.HttpStatusCode.PartialContent);
        Assert.Empty(Directory.GetFiles(fresh.Blobs.IngestDirectory));
    }

    [Fact]
    public async Task Corrupt_blob_from_the_registry_is_refused_and_not_stored()
    {
        AddLocal("example.com/app:v1");
        using (var plain = new RegistryClient())
        {
            await new ImagePusher(plain, _local).PushAsync("example.com/app:v1", _registry.Ref("corrupt/a:v1"));
        }

        var handler = new FaultInjectingHandler
        {
            Faults = r => r.Method == HttpMethod.Get && r.RequestUri!.AbsolutePath.Contains("/blobs/") ? FaultInjectingHandler.Fault.FlipByte : null,
        };
        using var client = new RegistryClient(null, handler);
        var fresh = new ImageStore(_dir.Combine("fresh"));
        var error = await Assert.ThrowsAsync<CorruptBlobException>(() => new ImagePuller(client, fresh).PullAsync(_registry.Ref("corrupt/a:v1")));
        Assert.Contains("hashes to", error.Message);
        Assert.DoesNotContain(fresh.Blobs.List(), d => fresh.Blobs.SizeOf(d) > 1000);
        Assert.Empty(fresh.List());
    }

    [Fact]
    public async Task Retries_transient_server_errors_with_backoff()
    {
        AddLocal("example.com/app:v1");
        int failures = 0;
        var handler = new FaultInjectingHandler
        {
            Faults = r => Interlocked.Increment(ref failures) <= 2 ? FaultInjectingHandler.Fault.ServiceUnavailable : null,
        };
        using var client = new RegistryClient(new RegistryClientOptions { InitialBackoff = TimeSpan.FromMilliseconds(10) }, handler);
        await new ImagePusher(client, _local).PushAsync("example.com/app:v1", _registry.Ref("retry/a:v1"));
        Assert.Equal(2, handler.Log.Count(l => l.Status == System.Net.HttpStatusCode.ServiceUnavailable));

        using var failing = new RegistryClient(new RegistryClientOptions { MaxAttempts = 2, InitialBackoff = TimeSpan.FromMilliseconds(1) },
            new FaultInjectingHandler { Faults = _ => FaultInjectingHandler.Fault.ServiceUnavailable });
        var error = await Assert.ThrowsAsync<RegistryException>(() => failing.GetManifestAsync(_registry.Ref("retry/a:v1"), "v1"));
        Assert.Contains("503", error.Message);
        Assert.Contains("/v2/retry/a/manifests/v1", error.Message);
    }

    [Fact]
    public async Task Unknown_image_names_the_url_and_the_registry_answer()
    {
        using var client = new RegistryClient();
        var error = await Assert.ThrowsAsync<RegistryException>(() => new ImagePuller(client, _local).PullAsync(_registry.Ref("no/such:tag")));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("MANIFEST_UNKNOWN", error.Message);
        Assert.Contains(_registry.Host, error.Message);
    }

    internal static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {stderr}");
        }

        return stdout.Result;
    }
}
