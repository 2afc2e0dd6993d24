namespace Containers.Image;

/// <summary>Picks an index entry for a platform, as containerd's default matcher does (variant aware).</summary>
public static class PlatformSelector
{
    /// <summary>linux/amd64, or the platform of this process.</summary>
    public static Platform Default => new()
    {
        OS = "linux",
        Architecture = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            System.Runtime.InteropServices.Architecture.Arm => "arm",
            System.Runtime.InteropServices.Architecture.X86 => "386",
            _ => "amd64",
        },
        Variant = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "v8" : null,
    };

    /// <summary>Parses <c>linux/arm64/v8</c>, <c>linux/amd64</c>, or <c>arm64</c> (OS linux).</summary>
    public static Platform Parse(string text)
    {
        string[] parts = text.Split('/');
        return parts.Length switch
        {
            1 => new Platform { OS = "linux", Architecture = Normalize(parts[0]).Arch, Variant = Normalize(parts[0]).Variant },
            2 => new Platform { OS = parts[0].ToLowerInvariant(), Architecture = Normalize(parts[1]).Arch, Variant = Normalize(parts[1]).Variant },
            3 => new Platform { OS = parts[0].ToLowerInvariant(), Architecture = Normalize(parts[1]).Arch, Variant = parts[2] },
            _ => throw new FormatException($"invalid platform \"{text}\": expected os/arch[/variant]"),
        };
    }

    /// <summary>The best entry for <paramref name="wanted"/>, or null. An exact variant wins; a wanted variant accepts lower ones of the same architecture (v7 runs v6).</summary>
    public static Descriptor? Select(IEnumerable<Descriptor> manifests, Platform wanted)
    {
        Descriptor? best = null;
        int bestScore = -1;
        foreach (Descriptor d in manifests)
        {
            if (d.Platform is not { } p || !MediaTypes.IsManifest(d.MediaType) && !MediaTypes.IsIndex(d.MediaType) && d.MediaType.Length > 0)
            {
                continue;
            }

            int score = Score(p, wanted);
            if (score > bestScore)
            {
                (best, bestScore) = (d, score);
            }
        }

        return best;
    }

    private static int Score(Platform candidate, Platform wanted)
    {
        var (arch, variant) = Normalize(candidate.Architecture, candidate.Variant);
        var (wantArch, wantVariant) = Normalize(wanted.Architecture, wanted.Variant);
        if (!candidate.OS.Equals(wanted.OS, StringComparison.OrdinalIgnoreCase) || arch != wantArch)
        {
            return -1;
        }

        if (variant == wantVariant)
        {
            return 100;
        }

        if (wantVariant is null)
        {
            return 50 - VariantRank(variant);   // no preference: the lowest variant runs most widely
        }

        if (variant is null)
        {
            return 10;
        }

        int have = VariantRank(variant);
        int want = VariantRank(wantVariant);
        return have <= want ? 20 + have : -1;
    }

    private static int VariantRank(string? variant) => variant is { Length: > 1 } && variant[0] == 'v' && int.TryParse(variant[1..], out int n) ? n : 0;

    private static (string Arch, string? Variant) Normalize(string arch, string? variant = null)
    {
        arch = arch.ToLowerInvariant();
        variant = string.IsNullOrEmpty(variant) ? null : variant.ToLowerInvariant();
        return arch switch
        {
            "x86_64" or "x86-64" => ("amd64", variant == "v1" ? null : variant),
            "amd64" => ("amd64", variant == "v1" ? null : variant),
            "aarch64" or "arm64" => ("arm64", variant == "v8" ? null : variant),
            "armhf" => ("arm", "v7"),
            "armel" => ("arm", "v6"),
            "i386" or "i686" => ("386", variant),
            _ => (arch, variant),
        };
    }
}
