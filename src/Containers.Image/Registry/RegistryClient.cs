using System.Net;
using System.Net.Http.Headers;

namespace Containers.Image;

/// <summary>A manifest or index as the registry served it: the exact bytes (their digest is the identity), type and digest.</summary>
public sealed record ManifestResponse(byte[] Content, string MediaType, Digest Digest);

/// <summary>
/// The OCI distribution API over HttpClient: manifests, blobs (with Range resume) and uploads, with
/// auth challenges answered and transient failures retried with exponential backoff.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly RegistryAuthenticator _auth;

    public RegistryClient(RegistryClientOptions? options = null, HttpMessageHandler? handler = null)
    {
        Options = options ?? new RegistryClientOptions();
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: true);
        _http.Timeout = Options.Timeout;
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(Options.UserAgent);
        _auth = new RegistryAuthenticator(_http, Options);
    }

    public RegistryClientOptions Options { get; }

    public void Dispose() => _http.Dispose();

    public Uri RepositoryUri(ImageReference repository, string suffix) =>
        new(RegistryEndpoint.BaseUri(repository.Domain, Options.InsecureRegistries), $"v2/{repository.Path}/{suffix}");

    /// <summary>GET a manifest or index by tag or digest; checks the bytes against the digest when one was asked for.</summary>
    public async Task<ManifestResponse> GetManifestAsync(ImageReference repository, string reference, CancellationToken cancellationToken = default)
    {
        Uri uri = RepositoryUri(repository, "manifests/" + reference);
        const string operation = "get manifest";
        using HttpResponseMessage response = await SendAsync(operation, repository, Pull(repository), () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            foreach (string type in MediaTypes.ManifestAccept)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }

            return request;
        }, retry: true, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(operation, uri, response, cancellationToken).ConfigureAwait(false);
        byte[] content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        Digest actual = Digest.Sha256(content);
        if (Digest.TryParse(reference, out Digest wanted) && wanted != actual)
        {
            throw new CorruptBlobException(wanted, $"registry {repository.Domain} served a manifest that hashes to {actual}");
        }

        string mediaType = response.Content.Headers.ContentType?.MediaType ?? ManifestMediaType.Sniff(content);
        if (mediaType is "application/json" or "text/plain")
        {
            mediaType = ManifestMediaType.Sniff(content);
        }

        return new ManifestResponse(content, mediaType, actual);
    }

    /// <summary>HEAD a blob: true when the repository has it.</summary>
    public async Task<bool> BlobExistsAsync(ImageReference repository, Digest digest, CancellationToken cancellationToken = default)
    {
        Uri uri = RepositoryUri(repository, "blobs/" + digest);
        using HttpResponseMessage response = await SendAsync("check blob", repository, Pull(repository),
            () => new HttpRequestMessage(HttpMethod.Head, uri), retry: true, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync("check blob", uri, response, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>GET a blob from <paramref name="offset"/> on (a Range request when not 0). The caller reads and disposes the response.</summary>
    public async Task<HttpResponseMessage> GetBlobAsync(ImageReference repository, Digest digest, long offset, CancellationToken cancellationToken = default)
    {
        Uri uri = RepositoryUri(repository, "blobs/" + digest);
        HttpResponseMessage response = await SendAsync("get blob", repository, Pull(repository), () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (offset > 0)
            {
                request.Headers.Range = new RangeHeaderValue(offset, null);
            }

            return request;
        }, retry: true, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            await EnsureSuccessAsync("get blob " + digest, uri, response, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    /// <summary>PUT a manifest under a tag or digest; returns the digest the registry reports (else the bytes' own).</summary>
    public async Task<Digest> PutManifestAsync(ImageReference repository, string reference, byte[] content, string mediaType, CancellationToken cancellationToken = default)
    {
        Uri uri = RepositoryUri(repository, "manifests/" + reference);
        using HttpResponseMessage response = await SendAsync("put manifest", repository, Push(repository), () => new HttpRequestMessage(HttpMethod.Put, uri)
        {
            Content = new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } },
        }, retry: true, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync("put manifest", uri, response, cancellationToken).ConfigureAwait(false);
        return response.Headers.TryGetValues("Docker-Content-Digest", out var values) && Digest.TryParse(values.FirstOrDefault(), out Digest d) ? d : Digest.Sha256(content);
    }

    internal static string Pull(ImageReference repository) => $"repository:{repository.Path}:pull";

    internal static string Push(ImageReference repository) => $"repository:{repository.Path}:pull,push";

    /// <summary>Sends with auth (one re-send after a 401 challenge) and, when <paramref name="retry"/>, backoff retries on transient failures.</summary>
    internal async Task<HttpResponseMessage> SendAsync(string operation, ImageReference repository, string scope, Func<HttpRequestMessage> create,
        bool retry, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        bool authenticated = false;
        int attempt = 0;
        while (true)
        {
            attempt++;
            HttpRequestMessage request = create();
            _auth.Authorize(request, repository.Domain, scope);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken) && retry && attempt < Options.MaxAttempts)
            {
                request.Dispose();
                await BackoffAsync(attempt, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                throw new RegistryException(operation, request.RequestUri, null, $"failed after {attempt} attempt(s): {e.Message}", e);
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized && !authenticated)
            {
                authenticated = true;
                attempt--;
                await _auth.AuthenticateAsync(operation, request.RequestUri!, repository.Domain, scope, response, cancellationToken).ConfigureAwait(false);
                response.Dispose();
                request.Dispose();
                continue;
            }

            if (retry && attempt < Options.MaxAttempts && IsTransient(response.StatusCode))
            {
                response.Dispose();
                request.Dispose();
                await BackoffAsync(attempt, cancellationToken).ConfigureAwait(false);
                continue;
            }

            return response;
        }
    }

    internal Task BackoffAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(Options.InitialBackoff * Math.Pow(2, attempt - 1), cancellationToken);

    internal static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException || (e is IOException && e is not CorruptBlobException) || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    internal static async Task EnsureSuccessAsync(string operation, Uri uri, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string body = "";
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
        }

        string detail = string.IsNullOrWhiteSpace(body) ? response.ReasonPhrase ?? "" : RegistryAuthenticator.Truncate(body.Trim());
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new RegistryAuthenticationException(operation, uri, response.StatusCode, detail);
        }

        throw new RegistryException(operation, uri, response.StatusCode, detail);
    }
}
