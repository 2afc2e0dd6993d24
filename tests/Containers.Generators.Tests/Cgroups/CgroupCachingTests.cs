using Containers.Generators.Cgroups;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Containers.Generators.Tests.Cgroups;

/// <summary>An edit elsewhere must not make the generator redo the cgroup work.</summary>
public class CgroupCachingTests
{
    private const string Declarations = """
        using Containers.Cgroups;
        namespace Demo;

        [CgroupFile("memory", "Limit", CgroupValueKind.MaxInteger, V1 = "memory.limit_in_bytes", V2 = "memory.max")]
        [CgroupFile("memory", "Stat", CgroupValueKind.FlatKeyed, V2 = "memory.stat", ReadOnly = true, Record = typeof(MemoryStat))]
        internal static partial class MemoryFiles { }

        [CgroupKeyedRecord]
        internal sealed partial record MemoryStat
        {
            [CgroupKey("anon")] public ulong Anon { get; init; }
        }
        """;

    private static readonly string[] Steps =
    [
        CgroupFileGenerator.Steps.FileSets,
        CgroupFileGenerator.Steps.ValidFileSets,
        CgroupFileGenerator.Steps.KeyedRecords,
        CgroupFileGenerator.Steps.ValidKeyedRecords,
    ];

    [Fact]
    public void An_unrelated_edit_leaves_every_named_step_unchanged_or_cached()
    {
        CSharpCompilation compilation = CgroupGeneratorHarness.Compilation(Declarations, "namespace Demo; internal class Unrelated { }");
        GeneratorDriver driver = CgroupGeneratorHarness.Driver().RunGenerators(compilation);

        SyntaxTree unrelated = compilation.SyntaxTrees.Single(t => t.ToString().Contains("Unrelated", StringComparison.Ordinal));
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            unrelated,
            CSharpSyntaxTree.ParseText("namespace Demo; internal class Unrelated { public int Added; }", CgroupGeneratorHarness.ParseOptions, unrelated.FilePath));
        GeneratorRunResult run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in Steps)
        {
            Assert.True(run.TrackedSteps.ContainsKey(step), $"step {step} is tracked");
            Assert.All(
                run.TrackedSteps[step].SelectMany(s => s.Outputs),
                output => Assert.True(
                    output.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached,
                    $"{step}: {output.Reason}"));
        }
    }

    [Fact]
    public void Editing_a_declaration_reruns_only_its_own_step()
    {
        CSharpCompilation compilation = CgroupGeneratorHarness.Compilation(Declarations);
        GeneratorDriver driver = CgroupGeneratorHarness.Driver().RunGenerators(compilation);

        SyntaxTree tree = compilation.SyntaxTrees.First();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            tree,
            CSharpSyntaxTree.ParseText(tree.ToString().Replace("\"memory.max\"", "\"memory.high\"", StringComparison.Ordinal), CgroupGeneratorHarness.ParseOptions, tree.FilePath));
        GeneratorRunResult run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Contains(run.TrackedSteps[CgroupFileGenerator.Steps.ValidFileSets].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(
            run.TrackedSteps[CgroupFileGenerator.Steps.ValidKeyedRecords].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached, o.Reason.ToString()));
        Assert.Contains("memory.high", run.GeneratedSources.Single(s => s.HintName.EndsWith("MemoryFiles.CgroupFiles.g.cs", StringComparison.Ordinal)).SourceText.ToString(), StringComparison.Ordinal);
    }
}
