using System.Text.RegularExpressions;

namespace Containers.Image;

/// <summary>
/// A normalized image reference, as Docker's distribution/reference normalizes it:
/// <c>busybox</c> → <c>docker.io/library/busybox:latest</c>. A reference with only a digest keeps no tag.
/// </summary>
public sealed partial record ImageReference
{
    public const string DefaultDomain = "docker.io";
    public const string DefaultTag = "latest";
    private const int MaxNameLength = 255;

    private ImageReference(string domain, string path, string? tag, Digest? digest)
    {
        Domain = domain;
        Path = path;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry host, with its port if any: <c>docker.io</c>, <c>localhost:5000</c>.</summary>
    public string Domain { get; }

    /// <summary>The repository path inside the registry: <c>library/busybox</c>.</summary>
    public string Path { get; }

    public string? Tag { get; }

    public Digest? Digest { get; }

    /// <summary><c>docker.io/library/busybox</c>.</summary>
    public string Name => Domain + "/" + Path;

    /// <summary>The tag, else the digest: what a registry's manifests endpoint takes.</summary>
    public string ManifestReference => Digest?.ToString() ?? Tag ?? DefaultTag;

    /// <summary>Docker's short form: <c>busybox:latest</c>, <c>localhost:5000/a/b:tag</c>.</summary>
    public string FamiliarString
    {
        get
        {
            string name = Domain == DefaultDomain ? (Path.StartsWith("library/", StringComparison.Ordinal) && Path.IndexOf('/', 8) < 0 ? Path[8..] : Path) : Name;
            return name + Suffix;
        }
    }

    private string Suffix => (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    public override string ToString() => Name + Suffix;

    public ImageReference WithTag(string tag) => Parse(Name + ":" + tag);

    public ImageReference WithDigest(Digest digest) => new(Domain, Path, null, digest);

    public ImageReference WithoutDigest() => new(Domain, Path, Tag ?? DefaultTag, null);

    public static bool TryParse(string text, out ImageReference? reference)
    {
        try
        {
            reference = Parse(text);
            return true;
        }
        catch (ReferenceFormatException)
        {
            reference = null;
            return false;
        }
    }

    /// <summary>Parses and normalizes; adds <c>:latest</c> when there is neither tag nor digest.</summary>
    public static ImageReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            throw new ReferenceFormatException(text, "empty reference");
        }

        if (AnonymousId().IsMatch(text))
        {
            throw new ReferenceFormatException(text, "cannot specify 64-byte hexadecimal strings as a repository name");
        }

        string rest = text;
        Digest? digest = null;
        int at = rest.IndexOf('@');
        if (at >= 0)
        {
            if (!global::Containers.Image.Digest.TryParse(rest[(at + 1)..], out Digest parsed, out string? reason))
            {
                throw new ReferenceFormatException(text, "invalid digest: " + reason);
            }

            digest = parsed;
            rest = rest[..at];
        }

        string? tag = null;
        int lastColon = rest.LastIndexOf(':');
        if (lastColon >= 0 && rest.IndexOf('/', lastColon) < 0)
        {
            tag = rest[(lastColon + 1)..];
            rest = rest[..lastColon];
            if (!TagPattern().IsMatch(tag))
            {
                throw new ReferenceFormatException(text, $"invalid tag \"{tag}\": 1 to 128 of [A-Za-z0-9_.-], not starting with '.' or '-'");
            }
        }

        (string domain, string path) = SplitDomain(text, rest);
        if (path.Length == 0)
        {
            throw new ReferenceFormatException(text, "missing repository name");
        }

        if (path.Any(char.IsAsciiLetterUpper))
        {
            throw new ReferenceFormatException(text, "repository name must be lowercase");
        }

        foreach (string component in path.Split('/'))
        {
            if (!ComponentPattern().IsMatch(component))
            {
                throw new ReferenceFormatException(text, $"invalid path component \"{component}\": lowercase letters and digits, separated by '.', '_', '__' or dashes");
            }
        }

        if (!DomainPattern().IsMatch(domain))
        {
            throw new ReferenceFormatException(text, $"invalid registry host \"{domain}\"");
        }

        if (domain.Length + 1 + path.Length > MaxNameLength)
        {
            throw new ReferenceFormatException(text, $"repository name must not be longer than {MaxNameLength} characters");
        }

        if (tag is null && digest is null)
        {
            tag = DefaultTag;
        }

        return new ImageReference(domain, path, tag, digest);
    }

    private static (string Domain, string Path) SplitDomain(string text, string name)
    {
        int slash = name.IndexOf('/');
        string domain;
        string path;
        if (slash < 0)
        {
            (domain, path) = (DefaultDomain, name);
        }
        else
        {
            string first = name[..slash];
            // As distribution/reference: the first component is a host if it has '.' or ':', is localhost, or has uppercase.
            bool isHost = first.Contains('.') || first.Contains(':') || first == "localhost" || first.Any(char.IsAsciiLetterUpper);
            (domain, path) = isHost ? (first, name[(slash + 1)..]) : (DefaultDomain, name);
        }

        if (domain == "index.docker.io")
        {
            domain = DefaultDomain;
        }

        if (domain == DefaultDomain && !path.Contains('/') && path.Length > 0)
        {
            path = "library/" + path;
        }

        if (name.Length == 0 || name.EndsWith('/'))
        {
            throw new ReferenceFormatException(text, "missing repository name");
        }

        return (domain, path);
    }

    [GeneratedRegex("^[a-f0-9]{64}$")]
    private static partial Regex AnonymousId();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$")]
    private static partial Regex ComponentPattern();

    // host (DNS labels or IPv4) or [IPv6], then an optional port.
    [GeneratedRegex(@"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$")]
    private static partial Regex DomainPattern();
}
