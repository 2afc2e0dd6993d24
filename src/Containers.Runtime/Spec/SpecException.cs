namespace Containers.Runtime.Spec;

/// <summary>One thing wrong with a config: where (a path such as <c>linux.namespaces[2].type</c>) and why.</summary>
public sealed record SpecError(string Path, string Reason)
{
    public override string ToString() => Path.Length == 0 ? Reason : $"{Path}: {Reason}";
}

/// <summary>A config.json that cannot be used. The message is the first error, the list holds all found.</summary>
public sealed class SpecException : Exception
{
    public SpecException(SpecError error, Exception? inner = null)
        : this([error], inner)
    {
    }

    public SpecException(IReadOnlyList<SpecError> errors, Exception? inner = null)
        : base(Describe(errors), inner)
    {
        Errors = errors;
    }

    public IReadOnlyList<SpecError> Errors { get; }

    /// <summary>Path of the first error, e.g. <c>process.args</c>.</summary>
    public string Path => Errors.Count > 0 ? Errors[0].Path : "";

    private static string Describe(IReadOnlyList<SpecError> errors) => errors.Count switch
    {
        0 => "invalid config",
        1 => errors[0].ToString(),
        _ => $"{errors[0]} (and {errors.Count - 1} more)",
    };
}
