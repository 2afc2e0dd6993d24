using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Containers.Generators.Tests.Syscalls;

/// <summary>
/// Runs a generator with CSharpGeneratorDriver against the running framework's assemblies (the trusted
/// platform assemblies) and Containers.Interop: nothing is downloaded.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .ToList();
        paths.Add(typeof(Containers.Interop.SafeFd).Assembly.Location);
        return paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    /// <summary>The real syscalls.tsv of Containers.Interop, copied beside the tests.</summary>
    public static string RealTable => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "syscalls.tsv"));

    public static CSharpCompilation Compilation(params string[] sources) => CSharpCompilation.Create(
        "GeneratorTestAssembly",
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
        References.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(IIncrementalGenerator generator, string? table) => CSharpGeneratorDriver.Create(
        new[] { generator.AsSourceGenerator() },
        table is null ? Array.Empty<AdditionalText>() : new AdditionalText[] { new InMemoryText("/src/syscalls.tsv", table) },
        ParseOptions,
        optionsProvider: null,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public sealed record Result(Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriver Driver)
    {
        public string Generated(string hintEnd) =>
            Driver.GetRunResult().GeneratedTrees.Single(t => t.FilePath.EndsWith(hintEnd, StringComparison.Ordinal)).ToString();

        public IEnumerable<Diagnostic> CompileErrors =>
            Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);
    }

    public static Result Run(IIncrementalGenerator generator, string source, string? table = null)
    {
        GeneratorDriver driver = Driver(generator, table ?? RealTable)
            .RunGeneratorsAndUpdateCompilation(Compilation(source), out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new Result(output, diagnostics, driver);
    }

    /// <summary>Removes <c>[|</c> and <c>|]</c> from <paramref name="marked"/> and returns the span between them.</summary>
    public static (string Source, TextSpan Span) Marked(string marked)
    {
        int start = marked.IndexOf("[|", StringComparison.Ordinal);
        int end = marked.IndexOf("|]", StringComparison.Ordinal) - 2;
        string source = marked.Replace("[|", string.Empty).Replace("|]", string.Empty);
        return (source, TextSpan.FromBounds(start, end));
    }

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
