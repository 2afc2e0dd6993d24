using System.Net;
using System.Net.Http.Headers;

namespace Containers.Image.Tests;

/// <summary>Basic auth against docker-registry with htpasswd, and the bearer-token flow with a real token endpoint.</summary>
public sealed class AuthTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static RegistryClientOptions With(RegistryCredentials? credentials) => new() { Credentials = _ => credentials };

    [Fact]
    public async Task Htpasswd_registry_needs_the_right_username_and_password()
    {
        using var registry = RegistryServer.WithHtpasswd();
        var local = new ImageStore(_dir.Combine("local"));
        TestImages.AddImage(local, "x.io/app:v1", TestImages.Tar(w => w.File("f", "data")));
        ImageReference remote = registry.Ref("secure/app:v1");

        using (var anonymous = new RegistryClient())
        {
            var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => new ImagePusher(anonymous, local).PushAsync("x.io/app:v1", remote));
            Assert.Contains("asks for a username and password", error.Message);
            Assert.Contains(registry.Host, error.Message);
        }

        using (var wrong = new RegistryClient(With(new RegistryCredentials(RegistryServer.User, "wrong"))))
        {
            var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => new ImagePusher(wrong, local).PushAsync("x.io/app:v1", remote));
            Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        }

        using var right = new RegistryClient(With(new RegistryCredentials(RegistryServer.User, RegistryServer.Password)));
        Digest pushed = await new ImagePusher(right, local).PushAsync("x.io/app:v1", remote);
        ImageRecord pulled = await new ImagePuller(right, new ImageStore(_dir.Combine("fresh"))).PullAsync(remote);
        Assert.Equal(pushed, pulled.ManifestDigest);
        string inspect = RegistryTests.Run("skopeo", "inspect", "--tls-verify=false", "--creds", RegistryServer.User + ":" + RegistryServer.Password, "docker://" + remote);
        Assert.Contains(pushed.ToString(), inspect);
    }

    [Fact]
    public async Task Bearer_token_from_the_challenge_realm()
    {
        using var tokens = new TokenServer();
        using var registry = RegistryServer.WithTokenAuth(tokens.Realm, tokens.CertificatePath);
        var local = new ImageStore(_dir.Combine("local"));
        TestImages.AddImage(local, "x.io/app:v1", TestImages.Tar(w => w.File("f", "data")));
        ImageReference remote = registry.Ref("tokened/app:v1");

        using (var anonymous = new RegistryClient())
        {
            // The token server gives anonymous users pull only: the registry then refuses the push.
            var error = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => new ImagePusher(anonymous, local).PushAsync("x.io/app:v1", remote));
            Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        }

        using var user = new RegistryClient(With(new RegistryCredentials(RegistryServer.User, RegistryServer.Password)));
        Digest pushed = await new ImagePusher(user, local).PushAsync("x.io/app:v1", remote);
        Assert.Contains(tokens.Requests, r => r.User == RegistryServer.User && r.Scope == "repository:tokened/app:pull,push");

        using var anonymousPull = new RegistryClient();
        ImageRecord pulled = await new ImagePuller(anonymousPull, new ImageStore(_dir.Combine("fresh"))).PullAsync(remote);
        Assert.Equal(pushed, pulled.ManifestDigest);
        Assert.Contains(tokens.Requests, r => r.User == "" && r.Scope == "repository:tokened/app:pull");

        using var wrong = new RegistryClient(With(new RegistryCredentials(RegistryServer.User, "nope")));
        var refused = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => new ImagePuller(wrong, new ImageStore(_dir.Combine("w"))).PullAsync(remote));
        Assert.Contains("token refused for user tester", refused.Message);
    }

    [Theory]
    [InlineData("realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"",
        "https://auth.docker.io/token", "registry.docker.io", "repository:library/busybox:pull")]
    [InlineData("realm=\"http://h/t\", service=svc, scope=\"repository:a:pull,push\"", "http://h/t", "svc", "repository:a:pull,push")]
    public void Parses_challenge_parameters(string text, string realm, string service, string scope)
    {
        var parameters = AuthChallenge.ParseParameters(text);
        Assert.Equal(realm, parameters["realm"]);
        Assert.Equal(service, parameters["service"]);
        Assert.Equal(scope, parameters["scope"]);
    }

    [Theory]
    [InlineData("docker.io", "https://registry-1.docker.io/")]
    [InlineData("quay.io", "https://quay.io/")]
    [InlineData("localhost:5000", "http://localhost:5000/")]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("127.1.2.3", "http://127.1.2.3/")]
    [InlineData("[::1]:5000", "http://[::1]:5000/")]
    [InlineData("my.lan:5000", "http://my.lan:5000/")]
    [InlineData("other.lan", "http://other.lan/")]
    [InlineData("10.0.0.1:5000", "https://10.0.0.1:5000/")]
    public void Https_unless_loopback_or_named_insecure(string domain, string expected) =>
        Assert.Equal(expected, RegistryEndpoint.BaseUri(domain, ["my.lan:5000", "other.lan"]).ToString());

    [Theory]
    [InlineData("linux/amd64", "amd64")]
    [InlineData("linux/arm64", "arm64v8")]
    [InlineData("linux/arm64/v8", "arm64v8")]
    [InlineData("linux/arm/v7", "armv7")]
    [InlineData("linux/arm/v6", "armv6")]
    [InlineData("linux/arm", "armv6")]
    [InlineData("linux/arm/v8", "armv7")]
    public void Platform_selection_is_variant_aware(string wanted, string expected)
    {
        Descriptor Entry(string name, string arch, string? variant) =>
            new() { MediaType = MediaTypes.OciManifest, Digest = name, Platform = new Platform { OS = "linux", Architecture = arch, Variant = variant } };
        var entries = new[]
        {
            Entry("unknown", "unknown", null), Entry("amd64", "amd64", null), Entry("armv6", "arm", "v6"),
            Entry("armv7", "arm", "v7"), Entry("arm64v8", "arm64", "v8"),
        };
        Assert.Equal(expected, PlatformSelector.Select(entries, PlatformSelector.Parse(wanted))?.Digest);
    }

    [Fact]
    public async Task Token_is_fetched_once_and_reused_for_the_same_scope()
    {
        int tokenCalls = 0;
        var handler = new StubHandler(request =>
        {
            if (request.RequestUri!.Host == "auth.example")
            {
                tokenCalls++;
                Assert.Equal("?service=reg&scope=repository%3Aa%2Fb%3Apull", request.RequestUri.Query);
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"access_token\":\"T1\"}") };
            }

            if (request.Headers.Authorization?.ToString() != "Bearer T1")
            {
                var unauthorized = new HttpResponseMessage(HttpStatusCode.Unauthorized);
                unauthorized.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer", "realm=\"https://auth.example/token\",service=\"reg\",scope=\"repository:a/b:pull\""));
                return unauthorized;
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var client = new RegistryClient(null, handler);
        var repo = ImageReference.Parse("registry.example/a/b:1");
        Assert.True(await client.BlobExistsAsync(repo, Digest.Sha256([])));
        Assert.True(await client.BlobExistsAsync(repo, Digest.Sha256([1])));
        Assert.Equal(1, tokenCalls);
        Assert.All(handler.Requests.Where(r => r.Host == "registry.example"), r => Assert.Equal("https", r.Scheme));
    }

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(respond(request));
        }
    }
}
