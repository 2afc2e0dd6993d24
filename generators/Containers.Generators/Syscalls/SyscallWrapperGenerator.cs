using System.Collections.Immutable;
using System.Linq;
using Containers.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Containers.Generators.Syscalls;

/// <summary>
/// Generates the bodies of <c>[Syscall("name")] static partial</c> methods: a throwing wrapper, a
/// <c>Try</c> twin returning the errno, and a blittable <c>DllImport</c> (of the libc symbol, or of
/// syscall(2) with the number from syscalls.tsv).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SyscallWrapperGenerator : IIncrementalGenerator
{
    /// <summary>Names of the pipeline steps, for tests that prove caching.</summary>
    public static class Steps
    {
        public const string Methods = "SyscallMethods";
        public const string Table = "SyscallTableForWrappers";
        public const string Resolved = "ResolvedSyscallMethods";
        public const string Generated = "GeneratedSyscallMethods";
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        context.RegisterPostInitializationOutput(static post =>
        {
            post.AddEmbeddedAttributeDefinition();
            post.AddSource("SyscallAttribute.g.cs", SyscallAttributeSource.Text);
        });

        IncrementalValuesProvider<SyscallMethodResult> methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                SyscallAttributeSource.AttributeMetadataName,
                static (node, _) => node is MethodDeclarationSyntax,
                SyscallMethodParser.Parse)
            .WithTrackingName(Steps.Methods);

        IncrementalValueProvider<SyscallTableModel> table = context.AdditionalTextsProvider
            .Where(static file => SyscallTableModel.IsTableFile(file.Path))
            .Select(static (file, token) => SyscallTableModel.Parse(file.Path, file.GetText(token)))
            .Collect()
            .Select(static (tables, _) => tables.IsEmpty ? SyscallTableModel.Missing : tables[0])
            .WithTrackingName(Steps.Table);

        IncrementalValuesProvider<SyscallMethodResult> resolved = methods
            .Combine(table)
            .Select(static (pair, _) => Resolve(pair.Left, pair.Right))
            .WithTrackingName(Steps.Resolved);

        context.RegisterSourceOutput(
            resolved.Where(static r => !r.Diagnostics.IsEmpty).Select(static (r, _) => r.Diagnostics),
            static (spc, diagnostics) =>
            {
                foreach (DiagnosticInfo diagnostic in diagnostics)
                {
                    spc.ReportDiagnostic(diagnostic.ToDiagnostic());
                }
            });

        IncrementalValuesProvider<GeneratedMethod> generated = resolved
            .Where(static r => r.Method is not null)
            .Select(static (r, _) => SyscallEmitter.Emit(r.Method!))
            .WithTrackingName(Steps.Generated);

        context.RegisterSourceOutput(generated.Collect(), static (spc, all) => WriteFiles(spc, all));
    }

    /// <summary>Fills in the syscall numbers of raw-bound methods, or explains why there are none.</summary>
    internal static SyscallMethodResult Resolve(SyscallMethodResult result, SyscallTableModel table)
    {
        SyscallMethod? method = result.Method;
        if (method is null || method.Binding != SyscallMethod.BindingRaw)
        {
            return result;
        }

        if (table.IsMissing)
        {
            return new SyscallMethodResult(null, result.NameLocation, ImmutableArray.Create(
                DiagnosticInfo.Create(SyscallDiagnostics.MissingTable, result.NameLocation, method.CallName)).ToEquatableArray());
        }

        SyscallEntry? entry = table.Find(method.CallName);
        if (entry is null)
        {
            string? suggestion = NameSuggester.Suggest(method.CallName, table.Entries.Select(e => e.Name));
            string hint = suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?";
            return new SyscallMethodResult(null, result.NameLocation, ImmutableArray.Create(
                DiagnosticInfo.Create(SyscallDiagnostics.UnknownSyscall, result.NameLocation, method.CallName, hint)).ToEquatableArray());
        }

        return result with { Method = method with { NumberX86_64 = entry.X86_64, NumberAarch64 = entry.Aarch64 } };
    }

    private static void WriteFiles(SourceProductionContext context, ImmutableArray<GeneratedMethod> all)
    {
        foreach (IGrouping<string, GeneratedMethod> type in all.GroupBy(m => m.TypeKey))
        {
            GeneratedMethod first = type.First();
            string hint = (first.Namespace.Length > 0 ? first.Namespace + "." : string.Empty)
                + string.Join(".", first.ContainingTypes.Select(t => t.Split(' ').Last().Split('<')[0]));
            context.AddSource(hint + ".Syscalls.g.cs", SyscallEmitter.EmitFile(first.Namespace, first.ContainingTypes, type));
        }
    }
}
