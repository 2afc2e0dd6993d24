namespace Containers.Image;

/// <summary>An image reference that does not parse: names the reference and the reason.</summary>
public sealed class ReferenceFormatException : FormatException
{
    public ReferenceFormatException(string reference, string reason)
        : base($"invalid reference format \"{reference}\": {reason}")
    {
        Reference = reference;
        Reason = reason;
    }

    public string Reference { get; }

    public string Reason { get; }
}
