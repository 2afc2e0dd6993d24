using System.Linq;
using Containers.Generators.Common;
using Microsoft.CodeAnalysis;

namespace Containers.Generators.Syscalls;

/// <summary>
/// Generates <c>Containers.Interop.SyscallTable</c> from syscalls.tsv: name ↔ number lookups for
/// x86_64, aarch64 and the compat ABIs x86, arm and x32, for the seccomp compiler and for diagnostics.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SyscallTableGenerator : IIncrementalGenerator
{
    public const string TableStep = "SyscallTable";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<SyscallTableModel> tables = context.AdditionalTextsProvider
            .Where(static file => SyscallTableModel.IsTableFile(file.Path))
            .Select(static (file, token) => SyscallTableModel.Parse(file.Path, file.GetText(token)))
            .WithTrackingName(TableStep);

        context.RegisterSourceOutput(tables, static (spc, table) =>
        {
            foreach (DiagnosticInfo diagnostic in table.Diagnostics)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            spc.AddSource("SyscallTable.g.cs", SyscallTableEmitter.Emit(table));
        });
    }
}
