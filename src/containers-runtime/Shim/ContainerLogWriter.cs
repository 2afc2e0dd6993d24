using System.Text;
using System.Text.Json;

namespace Containers.Cli.Shim;

/// <summary>
/// container.log as JSON lines {"stream","time","line"}; when it passes <c>maxBytes</c> it becomes
/// container.log.1 (older ones shift up, the oldest beyond <c>maxFiles</c> is deleted). Thread-safe.
/// </summary>
public sealed class ContainerLogWriter : IDisposable
{
    private readonly string _path;
    private readonly long _maxBytes;
    private readonly int _maxFiles;
    private readonly Lock _lock = new();
    private readonly ArrayBufferWriter _buffer = new();
    private FileStream _file;

    public ContainerLogWriter(string path, long maxBytes, int maxFiles)
    {
        _path = path;
        _maxBytes = maxBytes;
        _maxFiles = Math.Max(1, maxFiles);
        _file = Open();
    }

    public void Write(string stream, string line)
    {
        lock (_lock)
        {
            _buffer.Clear();
            using (var json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                json.WriteStartObject();
                json.WriteString("stream", stream);
                json.WriteString("time", DateTime.UtcNow.ToString("O"));
                json.WriteString("line", line);
                json.WriteEndObject();
            }
            _buffer.Append((byte)'\n');
            if (_file.Length > 0 && _file.Length + _buffer.Count > _maxBytes)
            {
                Rotate();
            }
            _file.Write(_buffer.Span);
            _file.Flush();
        }
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
public static class OutputPump
{
    private const int MaxLine = 16 * 1024;

    public static Thread Start(Stream source, string stream, ContainerLogWriter log)
    {
        var thread = new Thread(() => Run(source, stream, log), maxStackSize: 256 * 1024) { Name = "pump-" + stream, IsBackground = true };
        thread.Start();
        return thread;
    }

    private static void Run(Stream source, string stream, ContainerLogWriter log)
    {
        // Pinned-object heap: the read below pins its buffer while the thread blocks; in gen0 that pin
        // would keep the whole gen0 region (the ~2 MiB start-up allocated) committed while idle.
        byte[] buffer = GC.AllocateUninitializedArray<byte>(8192, pinned: true);
        var line = new List<byte>(256);
        try
        {
            while (true)
            {
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
                    if (b == (byte)'\n' || line.Count >= MaxLine)
                    {
                        Emit(line, stream, log);
                        if (b == (byte)'\n') continue;
                    }
                    line.Add(b);
                }
            }
            if (line.Count > 0) Emit(line, stream, log);
        }
        finally
        {
            source.Dispose();
        }
    }

    private static void Emit(List<byte> line, string stream, ContainerLogWriter log)
    {
        int count = line.Count;
        if (count > 0 && line[count - 1] == (byte)'\r') count--;
        log.Write(stream, Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(line)[..count]));
        line.Clear();
    }
}
