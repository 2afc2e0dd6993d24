using System.Net;

namespace Containers.Image;

/// <summary>A registry answered with an error, or could not be reached: names the operation, URL and cause.</summary>
public class RegistryException : Exception
{
    public RegistryException(string operation, Uri? uri, HttpStatusCode? status, string detail, Exception? inner = null)
        : base($"{operation} {uri}: {(status is { } s ? $"{(int)s} {s}: " : "")}{detail}", inner)
    {
        Operation = operation;
        Uri = uri;
        StatusCode = status;
    }

    public string Operation { get; }

    public Uri? Uri { get; }

    public HttpStatusCode? StatusCode { get; }
}

/// <summary>The registry refused our credentials, or wanted some and we had none.</summary>
public sealed class RegistryAuthenticationException(string operation, Uri? uri, HttpStatusCode? status, string detail)
    : RegistryException(operation, uri, status, detail);

/// <summary>An index has no manifest for the platform asked for.</summary>
public sealed class PlatformNotFoundException(ImageReference reference, Platform wanted, IEnumerable<string> available)
    : Exception($"{reference}: no manifest for platform {wanted} (available: {string.Join(", ", available)})");
