using System.Net;

namespace Containers.Image;

/// <summary>Where a registry host is reached: Docker Hub's API host, and HTTPS unless the host is loopback or named insecure.</summary>
public static class RegistryEndpoint
{
    public static Uri BaseUri(string domain, IReadOnlyCollection<string> insecureRegistries)
    {
        string host = domain == ImageReference.DefaultDomain ? "registry-1.docker.io" : domain;
        string scheme = IsInsecure(domain, insecureRegistries) ? "http" : "https";
        return new Uri($"{scheme}://{host}/");
    }

    /// <summary>As Docker: localhost, 127.0.0.0/8 and ::1 are insecure; so is any host the caller names (with or without its port).</summary>
    public static bool IsInsecure(string domain, IReadOnlyCollection<string> insecureRegistries)
    {
        if (insecureRegistries.Contains(domain, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        string host = HostOf(domain);
        if (insecureRegistries.Contains(host, StringComparer.OrdinalIgnoreCase) || host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host, out IPAddress? address) && IPAddress.IsLoopback(address);
    }

    private static string HostOf(string domain)
    {
        if (domain.StartsWith('['))
        {
            int close = domain.IndexOf(']');
            return close > 0 ? domain[1..close] : domain;
        }

        int colon = domain.LastIndexOf(':');
        return colon >= 0 ? domain[..colon] : domain;
    }
}
