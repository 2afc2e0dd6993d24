namespace Containers.Runtime.Seccomp;

/// <summary>Argument comparisons (libseccomp's scmp_compare); all compare unsigned 64-bit values.</summary>
public enum SeccompOperator
{
    NotEqual,
    LessThan,
    LessOrEqual,
    Equal,
    GreaterOrEqual,
    GreaterThan,
    /// <summary>(arg &amp; value) == valueTwo.</summary>
    MaskedEqual,
}

public static class SeccompOperators
{
    public static IReadOnlyDictionary<string, SeccompOperator> ByName { get; } =
        new Dictionary<string, SeccompOperator>(StringComparer.Ordinal)
        {
            ["SCMP_CMP_NE"] = SeccompOperator.NotEqual,
            ["SCMP_CMP_LT"] = SeccompOperator.LessThan,
            ["SCMP_CMP_LE"] = SeccompOperator.LessOrEqual,
            ["SCMP_CMP_EQ"] = SeccompOperator.Equal,
            ["SCMP_CMP_GE"] = SeccompOperator.GreaterOrEqual,
            ["SCMP_CMP_GT"] = SeccompOperator.GreaterThan,
            ["SCMP_CMP_MASKED_EQ"] = SeccompOperator.MaskedEqual,
        };

    /// <summary>seccomp_data carries six arguments.</summary>
    public const int MaxArguments = 6;
}
