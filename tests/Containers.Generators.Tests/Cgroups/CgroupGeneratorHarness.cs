using System.Collections.Immutable;
using Containers.Generators.Cgroups;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Containers.Generators.Tests.Cgroups;

/// <summary>
/// Runs the cgroup file generator with CSharpGeneratorDriver against the trusted platform
/// assemblies, plus stand-ins for the Containers.Runtime helpers the generated code calls.
/// </summary>
internal static class CgroupGeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray());

    /// <summary>The shape of Containers.Runtime.Cgroups the generated code relies on (bodies irrelevant).</summary>
    public const string RuntimeStubs = """
        #nullable enable
        using System;
        using System.Collections.Generic;
        namespace Containers.Runtime.Cgroups
        {
            public enum CgroupVersion { V1 = 1, V2 = 2 }
            public readonly record struct CgroupDeviceNumber(long Major, long Minor);
            public readonly record struct CgroupNestedValue(CgroupDeviceNumber Device, string Key, string Value);
            public sealed class CgroupDirectory
            {
                public CgroupVersion Version => throw null!;
                public string Path => throw null!;
                public bool Exists(string file) => throw null!;
                public string Read(string file) => throw null!;
                public void Write(string file, string value) => throw null!;
                public string Require(string? file, string controller, string member) => throw null!;
                public FormatException FormatError(string file, string text, Exception? inner = null) => throw null!;
            }
            public static class CgroupValue
            {
                public static long ParseInteger(string text, CgroupDirectory dir, string file) => throw null!;
                public static long? ParseMaxInteger(string text, CgroupDirectory dir, string file) => throw null!;
                public static string FormatInteger(long value) => throw null!;
                public static string FormatMaxInteger(long? value, CgroupVersion version) => throw null!;
                public static string ParseString(string text) => throw null!;
                public static IReadOnlyList<string> ParseList(string text) => throw null!;
                public static IReadOnlyDictionary<string, string> ParseFlat(string text, CgroupDirectory dir, string file) => throw null!;
            }
            public static class CgroupKeyedText
            {
                public static IEnumerable<KeyValuePair<string, string>> Flat(string text) => throw null!;
                public static IEnumerable<CgroupNestedValue> Nested(string text) => throw null!;
                public static ulong? ToUInt64(string? value, string key) => throw null!;
                public static long? ToInt64(string? value, string key) => throw null!;
            }
        }
        """;

    public static CSharpCompilation Compilation(params string[] sources) => CSharpCompilation.Create(
        "CgroupGeneratorTests",
        sources.Append(RuntimeStubs).Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
        References.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver() => CSharpGeneratorDriver.Create(
        [new CgroupFileGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public sealed record Result(Compilation Output, ImmutableArray<Diagnostic> Diagnostics, GeneratorDriver Driver)
    {
        public string Generated(string hintEnd) =>
            Driver.GetRunResult().GeneratedTrees.Single(t => t.FilePath.EndsWith(hintEnd, StringComparison.Ordinal)).ToString();

        public IEnumerable<Diagnostic> CompileErrors => Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);
    }

    public static Result Run(string source)
    {
        GeneratorDriver driver = Driver().RunGeneratorsAndUpdateCompilation(Compilation(source), out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new Result(output, diagnostics, driver);
    }

    /// <summary>Removes <c>[|</c> and <c>|]</c> and returns the span they enclosed.</summary>
    public static (string Source, TextSpan Span) Marked(string marked)
    {
        int start = marked.IndexOf("[|", StringComparison.Ordinal);
        int end = marked.IndexOf("|]", StringComparison.Ordinal);
        string source = marked.Remove(end, 2).Remove(start, 2);
        return (source, TextSpan.FromBounds(start, end - 2));
    }
}
