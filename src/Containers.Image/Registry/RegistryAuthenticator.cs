using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Containers.Image;

/// <summary>
/// Answers registry challenges: Basic with the caller's credentials, Bearer by fetching a token from the
/// challenge's realm (with the credentials, if any, as Basic). Tokens are cached per host and scope.
/// </summary>
internal sealed class RegistryAuthenticator(HttpClient http, RegistryClientOptions options)
{
    private readonly ConcurrentDictionary<string, (string Header, DateTimeOffset Expires)> _cache = new();
    private readonly ConcurrentDictionary<string, bool> _basicHosts = new();

    /// <summary>Adds what we already know works for this host and scope.</summary>
    public void Authorize(HttpRequestMessage request, string domain, string scope)
    {
        if (_cache.TryGetValue(domain + " " + scope, out var cached) && cached.Expires > DateTimeOffset.UtcNow)
        {
            request.Headers.TryAddWithoutValidation("Authorization", cached.Header);
        }
        else if (_basicHosts.ContainsKey(domain) && options.Credentials?.Invoke(domain) is { } credentials)
        {
            request.Headers.Authorization = Basic(credentials);
        }
    }

    /// <summary>Works out the Authorization header a 401 asks for; throws when we cannot satisfy it.</summary>
    public async Task AuthenticateAsync(string operation, Uri uri, string domain, string scope, HttpResponseMessage unauthorized, CancellationToken cancellationToken)
    {
        IReadOnlyList<AuthChallenge> challenges = AuthChallenge.From(unauthorized.Headers.WwwAuthenticate);
        RegistryCredentials? credentials = options.Credentials?.Invoke(domain);
        AuthChallenge? bearer = challenges.FirstOrDefault(c => c.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase));
        if (bearer is not null)
        {
            string token = await FetchTokenAsync(operation, bearer, bearer["scope"] ?? scope, credentials, cancellationToken).ConfigureAwait(false);
            _cache[domain + " " + scope] = ("Bearer " + token, DateTimeOffset.UtcNow.AddSeconds(50));
            return;
        }

        if (challenges.Any(c => c.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)))
        {
            if (credentials is null)
            {
                throw new RegistryAuthenticationException(operation, uri, HttpStatusCode.Unauthorized, $"registry {domain} asks for a username and password (Basic) and none were given");
            }

            _basicHosts[domain] = true;
            _cache[domain + " " + scope] = ("Basic " + Basic(credentials).Parameter, DateTimeOffset.MaxValue);
            return;
        }

        string offered = challenges.Count == 0 ? "no WWW-Authenticate challenge" : "challenges " + string.Join(", ", challenges.Select(c => c.Scheme));
        throw new RegistryAuthenticationException(operation, uri, HttpStatusCode.Unauthorized, $"cannot authenticate: {offered}");
    }

    private async Task<string> FetchTokenAsync(string operation, AuthChallenge bearer, string scope, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        string realm = bearer["realm"] ?? throw new RegistryAuthenticationException(operation, null, HttpStatusCode.Unauthorized, "Bearer challenge without a realm");
        var query = new StringBuilder();
        if (bearer["service"] is { } service)
        {
            query.Append("service=").Append(Uri.EscapeDataString(service));
        }

        foreach (string s in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            query.Append(query.Length > 0 ? "&" : "").Append("scope=").Append(Uri.EscapeDataString(s));
        }

        var uri = new UriBuilder(realm) { Query = query.ToString() }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (credentials is not null)
        {
            request.Headers.Authorization = Basic(credentials);
        }

        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new RegistryAuthenticationException("get token for " + operation, uri, response.StatusCode,
                (credentials is null ? "anonymous token refused" : $"token refused for user {credentials.Username}") + ": " + Truncate(body));
        }

        TokenResponse? token;
        try
        {
            token = JsonSerializer.Deserialize(body, ImageJsonContext.Default.TokenResponse);
        }
        catch (JsonException e)
        {
            throw new RegistryAuthenticationException("get token for " + operation, uri, response.StatusCode, "answer is not JSON: " + e.Message);
        }

        return token?.Token ?? token?.AccessToken
            ?? throw new RegistryAuthenticationException("get token for " + operation, uri, response.StatusCode, "answer has neither token nor access_token");
    }

    internal static AuthenticationHeaderValue Basic(RegistryCredentials credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials.Username + ":" + credentials.Password)));

    internal static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
