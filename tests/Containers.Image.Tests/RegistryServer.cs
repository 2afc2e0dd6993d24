using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Containers.Image.Tests;

/// <summary>
/// A real Debian docker-registry on 127.0.0.1 with its own port, storage and config, ended by pid and
/// removed on dispose. Optionally with htpasswd basic auth or token auth.
/// </summary>
internal sealed class RegistryServer : IDisposable
{
    public const string User = "tester";
    public const string Password = "s3cret-pass";

    private readonly TempDir _dir = new("registry-");
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private RegistryServer(string authYaml)
    {
        Port = FreePort();
        string config = $"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {_dir.Combine("data")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{Port}
            {authYaml}
            """;
        File.WriteAllText(_dir.Combine("config.yml"), config);
        var start = new ProcessStartInfo("/usr/bin/docker-registry", ["serve", _dir.Combine("config.yml")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("docker-registry did not start");
        _process.OutputDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilListening();
    }

    public int Port { get; }

    public string Host => "127.0.0.1:" + Port;

    public string Directory => _dir.Path;

    public string Log { get { lock (_log) { return _log.ToString(); } } }

    public static RegistryServer Anonymous() => new("");

    public static RegistryServer WithHtpasswd()
    {
        var dir = new TempDir("htpasswd-");
        // docker-registry accepts bcrypt only; libcrypt (libxcrypt, in every Debian) makes it, so no apache2-utils is needed.
        string path = dir.Combine("htpasswd");
        File.WriteAllText(path, $"{User}:{Bcrypt(Password)}\n");
        var server = new RegistryServer($"""
            auth:
              htpasswd:
                realm: containers-test
                path: {path}
            """);
        server._extra = dir;
        return server;
    }

    public static RegistryServer WithTokenAuth(string realm, string certificatePemPath) => new($"""
        auth:
          token:
            realm: {realm}
            service: {TokenServer.Service}
            issuer: {TokenServer.Issuer}
            rootcertbundle: {certificatePemPath}
        """);

    private TempDir? _extra;

    public ImageReference Ref(string pathAndTag) => ImageReference.Parse(Host + "/" + pathAndTag);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        finally
        {
            _process.Dispose();
            _dir.Dispose();
            _extra?.Dispose();
        }
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode}: {Log}");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new TimeoutException($"docker-registry did not listen on {Host} within 15s: {Log}");
    }

    private static string Bcrypt(string password)
    {
        IntPtr result = crypt(password, "$2b$05$WkNvbnRhaW5lcnNUZXN0Lu");
        string? hash = Marshal.PtrToStringUTF8(result);
        if (hash is null || !hash.StartsWith("$2b$", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("libcrypt's crypt() did not produce a bcrypt hash: " + hash);
        }

        return hash;
    }

    [DllImport("libcrypt.so.1", CharSet = CharSet.Ansi)]
    private static extern IntPtr crypt(string key, string salt);
}
