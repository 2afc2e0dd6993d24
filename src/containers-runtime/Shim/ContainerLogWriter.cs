using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Containers.Interop;

namespace Containers.Cli.Shim;

/// <summary>
/// container.log as JSON lines {"stream","time","line"}; when it passes <c>maxBytes</c> it becomes
/// container.log.1 (older ones shift up, the oldest beyond <c>maxFiles</c> is deleted). Thread-safe.
/// </summary>
/// <remarks>
/// A record allocates nothing on the GC heap: one <see cref="Utf8JsonWriter"/> and one buffer are reused,
/// the time is formatted into UTF-8 on the stack and the line goes in as the bytes read. A shim that logs
/// for days then keeps no garbage; after a burst <see cref="TrimIfQuiet"/> gives back what it touched.
/// </remarks>
public sealed class ContainerLogWriter : IDisposable
{
    /// <summary>How long the output stays quiet after a burst before the shim trims its memory again.</summary>
    public const int QuietMilliseconds = 1000;

    private static readonly JsonEncodedText StreamName = JsonEncodedText.Encode("stream");
    private static readonly JsonEncodedText TimeName = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText LineName = JsonEncodedText.Encode("line");

    private readonly string _path;
    private readonly long _maxBytes;
    private readonly int _maxFiles;
    private readonly Lock _lock = new();
    private readonly ArrayBufferWriter _buffer = new();
    private readonly Utf8JsonWriter _json;
    private FileStream _file;
    private bool _wroteSinceTrim;
    private long _lastWrite;

    public ContainerLogWriter(string path, long maxBytes, int maxFiles)
    {
        _path = path;
        _maxBytes = maxBytes;
        _maxFiles = Math.Max(1, maxFiles);
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        _file = Open();
    }

    /// <summary>The encoded form of a stream name, for <see cref="Write(JsonEncodedText, ReadOnlySpan{byte})"/>.</summary>
    public static JsonEncodedText EncodeStream(string stream) => JsonEncodedText.Encode(stream, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);

    public void Write(string stream, string line)
    {
        lock (_lock)
        {
            Begin(EncodeStream(stream));
            _json.WriteString(LineName, line);
            End();
        }
    }

    /// <summary>One record for a line given as the bytes read (no newline); invalid UTF-8 becomes U+FFFD as <see cref="Encoding.UTF8"/> decodes it.</summary>
    public void Write(JsonEncodedText stream, ReadOnlySpan<byte> line)
    {
        if (!Utf8.IsValid(line))
        {
            Write(stream.ToString(), Encoding.UTF8.GetString(line)); // rare: the old, allocating way keeps the output the same
            return;
        }
        lock (_lock)
        {
            Begin(stream);
            _json.WriteString(LineName, line);
            End();
        }
    }

    private void Begin(JsonEncodedText stream)
    {
        _buffer.Clear();
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString(StreamName, stream);
        // DateTime.UtcNow.ToString("O") without the string: "2006-01-02T15:04:05.1234567Z".
        Span<byte> time = stackalloc byte[40];
        DateTime.UtcNow.TryFormat(time, out int length, "O", System.Globalization.CultureInfo.InvariantCulture);
        _json.WriteString(TimeName, time[..length]);
    }

    private void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        _buffer.Append((byte)'\n');
        if (_file.Length > 0 && _file.Length + _buffer.Count > _maxBytes)
        {
            Rotate();
        }
        _file.Write(_buffer.Span);
        _file.Flush();
        _wroteSinceTrim = true;
        _lastWrite = Environment.TickCount64;
    }

    /// <summary>
    /// After a burst: once nothing was written for <see cref="QuietMilliseconds"/>, <see cref="ShimMemory.Trim"/>
    /// (once per burst, whichever pump asks first). Returns how many milliseconds are left before the output
    /// counts as quiet, 0 when there is nothing (more) to wait for.
    /// </summary>
    public int TrimIfQuiet()
    {
        lock (_lock)
        {
            if (!_wroteSinceTrim) return 0;
            long left = _lastWrite + QuietMilliseconds - Environment.TickCount64;
            if (left > 0) return (int)left;
            _wroteSinceTrim = false;
        }
        ShimMemory.Trim();
        return 0;
    }

    private void Rotate()
    {
        _file.Dispose();
        File.Delete($"{_path}.{_maxFiles}");
        for (int i = _maxFiles - 1; i >= 1; i--)
        {
            if (File.Exists($"{_path}.{i}")) File.Move($"{_path}.{i}", $"{_path}.{i + 1}");
        }
        File.Move(_path, $"{_path}.1");
        _file = Open();
    }

    private FileStream Open() => new(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);

    public void Dispose()
    {
        lock (_lock)
        {
            _file.Dispose();
            _json.Dispose();
        }
    }

    private sealed class ArrayBufferWriter : System.Buffers.IBufferWriter<byte>
    {
        private byte[] _array = new byte[4096];

        public int Count { get; private set; }

        public ReadOnlySpan<byte> Span => _array.AsSpan(0, Count);

        public void Clear() => Count = 0;

        public void Append(byte b)
        {
            GetSpan(1)[0] = b;
            Advance(1);
        }

        public void Advance(int count) => Count += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Grow(sizeHint);
            return _array.AsMemory(Count);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Grow(sizeHint);
            return _array.AsSpan(Count);
        }

        private void Grow(int sizeHint)
        {
            if (_array.Length - Count < Math.Max(sizeHint, 1)) Array.Resize(ref _array, Math.Max(_array.Length * 2, Count + sizeHint));
        }
    }
}

/// <summary>Reads one of the container's output descriptors and writes a log record per line (16 KiB at most per record).</summary>
/// <remarks>
/// While a burst is recent, the read waits in poll(2) with a timeout so the shim can trim its memory once the
/// output has been quiet for a second; otherwise (idle, or already trimmed) it blocks without wake-ups.
/// </remarks>
public static class OutputPump
{
    private const int MaxLine = 16 * 1024;

    public static Thread Start(FileStream source, string stream, ContainerLogWriter log)
    {
        var thread = new Thread(() => Run(source, ContainerLogWriter.EncodeStream(stream), log), maxStackSize: 256 * 1024) { Name = "pump-" + stream, IsBackground = true };
        thread.Start();
        return thread;
    }

    private static void Run(FileStream source, JsonEncodedText stream, ContainerLogWriter log)
    {
        // Pinned-object heap: the read below pins its buffer while the thread blocks; in gen0 that pin
        // would keep the whole gen0 region (the ~2 MiB start-up allocated) committed while idle.
        byte[] buffer = GC.AllocateUninitializedArray<byte>(8192, pinned: true);
        byte[] line = GC.AllocateUninitializedArray<byte>(MaxLine, pinned: true);
        int count = 0;
        bool wrote = false; // since this pump last saw the log trimmed (or nothing to trim)
        try
        {
            while (true)
            {
                if (wrote && !WaitReadable(source, log)) wrote = false;
                int n;
                try
                {
                    n = source.Read(buffer);
                }
                catch (IOException)
                {
                    break; // a pty master reads EIO once the last slave closes
                }
                if (n == 0) break;
                for (int i = 0; i < n; i++)
                {
                    byte b = buffer[i];
                    if (b == (byte)'\n' || count >= MaxLine)
                    {
                        Emit(line, count, stream, log);
                        count = 0;
                        wrote = true;
                        if (b == (byte)'\n') continue;
                    }
                    line[count++] = b;
                }
            }
            if (count > 0) Emit(line, count, stream, log);
        }
        finally
        {
            source.Dispose();
        }
    }

    /// <summary>
    /// Waits until <paramref name="source"/> is readable (true) or, the output having been quiet long enough,
    /// the log was trimmed (false: the next read may block for good).
    /// </summary>
    private static bool WaitReadable(FileStream source, ContainerLogWriter log)
    {
        int timeout = ContainerLogWriter.QuietMilliseconds;
        while (true)
        {
            var entry = new PollFd { Fd = (int)source.SafeFileHandle.DangerousGetHandle(), Events = PollEvents.In };
            int ready;
            try
            {
                ready = Syscalls.Poll(ref entry, 1, timeout);
            }
            catch (SyscallException e) when (e.Errno == Errno.EINTR)
            {
                continue;
            }
            if (ready != 0) return true; // data, hang-up or error: the read tells
            timeout = log.TrimIfQuiet();
            if (timeout == 0) return false;
        }
    }

    private static void Emit(byte[] line, int count, JsonEncodedText stream, ContainerLogWriter log)
    {
        if (count > 0 && line[count - 1] == (byte)'\r') count--;
        log.Write(stream, line.AsSpan(0, count));
    }
}
