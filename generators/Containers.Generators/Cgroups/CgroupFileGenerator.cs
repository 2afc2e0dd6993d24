using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Containers.Generators.Cgroups;

/// <summary>
/// Generates typed readers and writers of cgroup interface files from [CgroupFile] declarations,
/// and parsers of keyed files ("key value", "8:0 rbytes=1", "8:0 Read 1") from [CgroupKeyedRecord] types.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class CgroupFileGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, asserted by the caching tests.</summary>
    public static class Steps
    {
        public const string FileSets = "CgroupFileSets";
        public const string ValidFileSets = "CgroupValidFileSets";
        public const string KeyedRecords = "CgroupKeyedRecords";
        public const string ValidKeyedRecords = "CgroupValidKeyedRecords";
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        context.RegisterPostInitializationOutput(static post =>
        {
            post.AddEmbeddedAttributeDefinition();
            post.AddSource(CgroupAttributeSource.HintName, CgroupAttributeSource.Text);
        });

        IncrementalValuesProvider<CgroupParseResult<CgroupFileSetModel>> fileSets = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                CgroupAttributeSource.FileAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                CgroupFileSetParser.Parse)
            .WithTrackingName(Steps.FileSets);

        IncrementalValuesProvider<CgroupParseResult<CgroupKeyedRecordModel>> records = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                CgroupAttributeSource.KeyedRecordAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                CgroupKeyedRecordParser.Parse)
            .WithTrackingName(Steps.KeyedRecords);

        context.RegisterSourceOutput(fileSets.SelectMany(static (r, _) => r.Diagnostics), Report);
        context.RegisterSourceOutput(records.SelectMany(static (r, _) => r.Diagnostics), Report);

        IncrementalValuesProvider<CgroupFileSetModel> validFileSets = fileSets
            .Where(static r => r.Model is not null)
            .Select(static (r, _) => r.Model!)
            .WithTrackingName(Steps.ValidFileSets);
        IncrementalValuesProvider<CgroupKeyedRecordModel> validRecords = records
            .Where(static r => r.Model is not null)
            .Select(static (r, _) => r.Model!)
            .WithTrackingName(Steps.ValidKeyedRecords);

        context.RegisterSourceOutput(validFileSets, static (spc, model) =>
            spc.AddSource(model.Type.FullName + ".CgroupFiles.g.cs", CgroupEmitter.FileSet(model)));
        context.RegisterSourceOutput(validRecords, static (spc, model) =>
            spc.AddSource(model.Type.FullName + ".CgroupKeyedRecord.g.cs", CgroupEmitter.KeyedRecord(model)));
    }

    private static void Report(SourceProductionContext context, CgroupDiagnostic diagnostic) =>
        context.ReportDiagnostic(diagnostic.ToDiagnostic());
}
