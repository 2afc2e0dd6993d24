using System.Net;

namespace Containers.Image.Tests;

/// <summary>Sits in front of the real registry: records requests and breaks chosen responses (cut body, flipped byte, 503).</summary>
internal sealed class FaultInjectingHandler : DelegatingHandler
{
    public FaultInjectingHandler() : base(new SocketsHttpHandler()) { }

    /// <summary>Decides per blob GET: null passes it through.</summary>
    public Func<HttpRequestMessage, Fault?>? Faults { get; set; }

    public List<(HttpMethod Method, string Path, string? Range, HttpStatusCode Status)> Log { get; } = [];

    public enum Fault
    {
        CutAfter64K,
        FlipByte,
        ServiceUnavailable,
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Fault? fault = Faults?.Invoke(request);
        HttpResponseMessage response = fault == Fault.ServiceUnavailable
            ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request, Content = new StringContent("injected") }
            : await base.SendAsync(request, cancellationToken);
        lock (Log)
        {
            Log.Add((request.Method, request.RequestUri!.AbsolutePath, request.Headers.Range?.ToString(), response.StatusCode));
        }

        if (fault is Fault.CutAfter64K or Fault.FlipByte && response.IsSuccessStatusCode)
        {
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var headers = response.Content.Headers.ToList();
            response.Content = fault == Fault.CutAfter64K
                ? new StreamContent(new CuttingStream(body, 64 * 1024))
                : new ByteArrayContent(Flip(body));
            foreach (var h in headers.Where(h => h.Key != "Content-Length"))
            {
                response.Content.Headers.TryAddWithoutValidation(h.Key, h.Value);
            }
        }

        return response;
    }

    private static byte[] Flip(byte[] body)
    {
        body[body.Length / 2] ^= 0xff;
        return body;
    }

    /// <summary>Gives <c>limit</c> bytes, then fails as a dropped connection does.</summary>
    private sealed class CuttingStream(byte[] data, int limit) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= limit)
            {
                throw new IOException("injected: connection reset");
            }

            int n = Math.Min(buffer.Length, Math.Min(limit, data.Length) - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
