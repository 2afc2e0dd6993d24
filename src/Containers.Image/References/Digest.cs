using System.Security.Cryptography;

namespace Containers.Image;

/// <summary>A content digest, <c>algorithm:hex</c>. Only sha256 is produced; sha384/sha512 parse for references.</summary>
public readonly record struct Digest
{
    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public string Algorithm { get; }

    /// <summary>The lowercase hexadecimal value.</summary>
    public string Hex { get; }

    public bool IsEmpty => Hex is null;

    public override string ToString() => Algorithm + ":" + Hex;

    /// <summary>The first 12 hex digits, as Docker shows image IDs.</summary>
    public string Short => Hex.Length > 12 ? Hex[..12] : Hex;

    public static Digest Sha256(ReadOnlySpan<byte> data) => new("sha256", Convert.ToHexStringLower(SHA256.HashData(data)));

    public static Digest FromSha256Hash(ReadOnlySpan<byte> hash) => new("sha256", Convert.ToHexStringLower(hash));

    public static Digest Parse(string text) =>
        TryParse(text, out Digest digest, out string? reason) ? digest : throw new FormatException($"invalid digest \"{text}\": {reason}");

    public static bool TryParse(string? text, out Digest digest) => TryParse(text, out digest, out _);

    public static bool TryParse(string? text, out Digest digest, out string? reason)
    {
        digest = default;
        if (string.IsNullOrEmpty(text))
        {
            reason = "empty";
            return false;
        }

        int colon = text.IndexOf(':');
        if (colon <= 0)
        {
            reason = "expected algorithm:hex";
            return false;
        }

        string algorithm = text[..colon];
        string hex = text[(colon + 1)..];
        int expected = algorithm switch { "sha256" => 64, "sha384" => 96, "sha512" => 128, _ => -1 };
        if (expected < 0)
        {
            reason = $"unsupported algorithm \"{algorithm}\"";
            return false;
        }

        if (hex.Length != expected || !hex.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
        {
            reason = $"{algorithm} needs {expected} lowercase hex digits";
            return false;
        }

        digest = new Digest(algorithm, hex);
        reason = null;
        return true;
    }
}
