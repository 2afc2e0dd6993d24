using System.Net;
using System.Net.Http.Headers;

namespace Containers.Image;

public sealed partial class RegistryClient
{
    /// <summary>
    /// Downloads a blob into <paramref name="blobs"/>: resumes a partial download with a Range request,
    /// checks size and digest, and retries transient failures (resuming) with backoff.
    /// </summary>
    public async Task DownloadBlobAsync(ImageReference repository, Descriptor descriptor, BlobStore blobs, Action<LayerProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Digest digest = descriptor.ParsedDigest;
        long size = descriptor.Size;
        void Report(long done, LayerStatus status) => progress?.Invoke(new LayerProgress(digest, descriptor.MediaType, done, size, status));

        bool restartedAfterCorruption = false;
        for (int attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (blobs.Contains(digest))
            {
                Report(size, LayerStatus.AlreadyExists);
                return;
            }

            try
            {
                using BlobIngest ingest = blobs.BeginWrite(digest, size);
                if (ingest.Offset < size || size == 0)
                {
                    await FetchIntoAsync(repository, digest, ingest, done => Report(done, LayerStatus.Downloading), cancellationToken).ConfigureAwait(false);
                }

                ingest.Commit();
                Report(size, LayerStatus.Done);
                return;
            }
            catch (CorruptBlobException) when (!restartedAfterCorruption)
            {
                // The partial was deleted; one fresh download before giving up.
                restartedAfterCorruption = true;
                Report(0, LayerStatus.Retrying);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken) && attempt < Options.MaxAttempts)
            {
                Report(0, LayerStatus.Retrying);
                await BackoffAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                throw new RegistryException("get blob " + digest, RepositoryUri(repository, "blobs/" + digest), null,
                    $"failed after {attempt} attempt(s): {e.Message}", e);
            }
        }
    }

    private async Task FetchIntoAsync(ImageReference repository, Digest digest, BlobIngest ingest, Action<long> progress, CancellationToken cancellationToken)
    {
        long offset = ingest.Offset;
        using HttpResponseMessage response = await GetBlobAsync(repository, digest, offset, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            ingest.Restart();
            throw new IOException($"blob {digest}: the registry refused to resume at byte {offset}; starting over");
        }

        if (offset > 0 && response.StatusCode != HttpStatusCode.PartialContent)
        {
            ingest.Restart();   // the server ignored Range and sends everything
        }

        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await ingest.CopyFromAsync(body, progress, cancellationToken).ConfigureAwait(false);
        if (ingest.ExpectedSize is { } size && ingest.Offset < size)
        {
            throw new IOException($"blob {digest}: the connection ended after {ingest.Offset} of {size} bytes");
        }
    }

    /// <summary>
    /// Uploads a blob unless the repository has it: tries a cross-repository mount from <paramref name="mountFrom"/>,
    /// then a monolithic PUT or (with <see cref="RegistryClientOptions.UploadChunkSize"/>) PATCH chunks and a closing PUT.
    /// </summary>
    public async Task<LayerStatus> PushBlobAsync(ImageReference repository, Digest digest, long size, Func<Stream> open, string? mountFrom = null,
        Action<LayerProgress>? progress = null, string mediaType = "", CancellationToken cancellationToken = default)
    {
        void Report(long done, LayerStatus status) => progress?.Invoke(new LayerProgress(digest, mediaType, done, size, status));
        if (await BlobExistsAsync(repository, digest, cancellationToken).ConfigureAwait(false))
        {
            Report(size, LayerStatus.AlreadyExists);
            return LayerStatus.AlreadyExists;
        }

        string query = mountFrom is null ? "" : $"?mount={Uri.EscapeDataString(digest.ToString())}&from={Uri.EscapeDataString(mountFrom)}";
        Uri start = RepositoryUri(repository, "blobs/uploads/" + query);
        Uri location;
        using (HttpResponseMessage started = await SendAsync("start upload", repository, Push(repository),
                   () => new HttpRequestMessage(HttpMethod.Post, start) { Content = new ByteArrayContent([]) }, retry: true, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false))
        {
            await EnsureSuccessAsync("start upload of " + digest, start, started, cancellationToken).ConfigureAwait(false);
            if (started.StatusCode == HttpStatusCode.Created && mountFrom is not null)
            {
                Report(size, LayerStatus.Mounted);
                return LayerStatus.Mounted;
            }

            location = UploadLocation(start, started);
        }

        if (Options.UploadChunkSize > 0 && size > Options.UploadChunkSize)
        {
            location = await UploadChunksAsync(repository, digest, size, open, location, Report, cancellationToken).ConfigureAwait(false);
            await FinishUploadAsync(repository, digest, location, () => new ByteArrayContent([]), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Report(0, LayerStatus.Uploading);
            await FinishUploadAsync(repository, digest, location, () => new StreamContent(open()) { Headers = { ContentLength = size } }, cancellationToken).ConfigureAwait(false);
        }

        Report(size, LayerStatus.Done);
        return LayerStatus.Done;
    }

    private async Task<Uri> UploadChunksAsync(ImageReference repository, Digest digest, long size, Func<Stream> open, Uri location,
        Action<long, LayerStatus> report, CancellationToken cancellationToken)
    {
        byte[] chunk = new byte[Options.UploadChunkSize];
        await using Stream source = open();
        long sent = 0;
        while (sent < size)
        {
            int length = await source.ReadAtLeastAsync(chunk, chunk.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (length == 0)
            {
                throw new IOException($"blob {digest}: the local content ended after {sent} of {size} bytes");
            }

            long first = sent;
            Uri target = location;
            // A chunk is not retried: the registry's upload offset would no longer match ours.
            using HttpResponseMessage response = await SendAsync("upload chunk", repository, Push(repository), () =>
            {
                var content = new ByteArrayContent(chunk, 0, length);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                content.Headers.TryAddWithoutValidation("Content-Range", $"{first}-{first + length - 1}");
                return new HttpRequestMessage(HttpMethod.Patch, target) { Content = content };
            }, retry: false, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync($"upload chunk {first}-{first + length - 1} of {digest}", target, response, cancellationToken).ConfigureAwait(false);
            location = UploadLocation(target, response);
            sent += length;
            report(sent, LayerStatus.Uploading);
        }

        return location;
    }

    private async Task FinishUploadAsync(ImageReference repository, Digest digest, Uri location, Func<HttpContent> content, CancellationToken cancellationToken)
    {
        var builder = new UriBuilder(location);
        string digestParam = "digest=" + Uri.EscapeDataString(digest.ToString());
        builder.Query = string.IsNullOrEmpty(builder.Query) ? digestParam : builder.Query.TrimStart('?') + "&" + digestParam;
        Uri uri = builder.Uri;
        using HttpResponseMessage response = await SendAsync("finish upload", repository, Push(repository), () =>
        {
            HttpContent body = content();
            body.Headers.ContentType ??= new MediaTypeHeaderValue("application/octet-stream");
            return new HttpRequestMessage(HttpMethod.Put, uri) { Content = body };
        }, retry: false, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync("finish upload of " + digest, uri, response, cancellationToken).ConfigureAwait(false);
    }

    private static Uri UploadLocation(Uri request, HttpResponseMessage response) =>
        response.Headers.Location is { } location
            ? (location.IsAbsoluteUri ? location : new Uri(request, location))
            : throw new RegistryException("upload", request, response.StatusCode, "the registry gave no Location for the upload");
}
