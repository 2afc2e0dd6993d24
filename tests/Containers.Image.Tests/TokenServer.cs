using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Containers.Image.Tests;

/// <summary>
/// A Docker token endpoint on 127.0.0.1 (HttpListener): checks basic credentials, answers with an RS256 JWT
/// whose x5c is a self-signed certificate that docker-registry trusts through its rootcertbundle.
/// </summary>
internal sealed class TokenServer : IDisposable
{
    public const string Service = "containers-test-registry";
    public const string Issuer = "containers-test-issuer";

    private readonly HttpListener _listener = new();
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;
    private readonly TempDir _dir = new("token-");
    private readonly Task _loop;

    public TokenServer()
    {
        var request = new CertificateRequest("CN=containers test token issuer", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        CertificatePath = _dir.Combine("root.pem");
        File.WriteAllText(CertificatePath, _certificate.ExportCertificatePem());
        Port = RegistryServer.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Realm => $"http://127.0.0.1:{Port}/token";

    public string CertificatePath { get; }

    /// <summary>Scopes asked for, in order, with the user ("" when anonymous).</summary>
    public List<(string User, string Scope)> Requests { get; } = [];

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(2000);
        }
        catch (AggregateException)
        {
        }

        _certificate.Dispose();
        _key.Dispose();
        _dir.Dispose();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            string user = "";
            string? auth = context.Request.Headers["Authorization"];
            if (auth is not null && auth.StartsWith("Basic ", StringComparison.Ordinal))
            {
                string[] pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth[6..])).Split(':', 2);
                if (pair[0] != RegistryServer.User || pair[1] != RegistryServer.Password)
                {
                    context.Response.StatusCode = 401;
                    context.Response.Close();
                    continue;
                }

                user = pair[0];
            }

            string scope = context.Request.QueryString["scope"] ?? "";
            lock (Requests)
            {
                Requests.Add((user, scope));
            }

            // Anonymous users may pull; the known user may push too.
            var access = new JsonArray();
            string[] parts = scope.Split(':');
            if (parts.Length == 3)
            {
                var actions = parts[2].Split(',').Where(a => a == "pull" || (a == "push" && user.Length > 0)).Select(a => (JsonNode)a).ToArray();
                access.Add(new JsonObject { ["type"] = parts[0], ["name"] = parts[1], ["actions"] = new JsonArray(actions) });
            }

            byte[] body = Encoding.UTF8.GetBytes(new JsonObject { ["token"] = Jwt(user, access), ["expires_in"] = 300 }.ToJsonString());
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private string Jwt(string user, JsonArray access)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject
        {
            ["typ"] = "JWT",
            ["alg"] = "RS256",
            ["x5c"] = new JsonArray(Convert.ToBase64String(_certificate.RawData)),
        };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = user,
            ["aud"] = Service,
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        string signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        byte[] signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
