using Containers.Generators.Syscalls;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Containers.Generators.Tests.Syscalls;

/// <summary>Edits that do not touch [Syscall] methods leave every named step cached or unchanged.</summary>
public class SyscallCachingTests
{
    private const string Declarations = """
        using Containers.Interop;
        namespace TestNs;
        public static partial class Native
        {
            [Syscall("open_tree", Binding = SyscallBinding.Raw)]
            public static partial SafeFd OpenTree(SafeFd dirfd, string path, uint flags);

            [Syscall("chdir")]
            public static partial void Chdir(string path);

            public static int Helper() => 1;
        }
        """;

    private static readonly string[] Steps =
    {
        SyscallWrapperGenerator.Steps.Methods,
        SyscallWrapperGenerator.Steps.Table,
        SyscallWrapperGenerator.Steps.Resolved,
        SyscallWrapperGenerator.Steps.Generated,
    };

    private static void AssertAllCached(GeneratorDriver driver)
    {
        GeneratorRunResult run = Assert.Single(driver.GetRunResult().Results);
        foreach (string step in Steps)
        {
            Assert.True(run.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
            foreach (IncrementalGeneratorRunStep runStep in run.TrackedSteps[step])
            {
                foreach (var (_, reason) in runStep.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {reason}");
                }
            }
        }
    }

    [Fact]
    public void AddingAnUnrelatedFileKeepsEveryStepCached()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(Declarations);
        GeneratorDriver driver = GeneratorHarness.Driver(new SyscallWrapperGenerator(), GeneratorHarness.RealTable).RunGenerators(compilation);

        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace TestNs; class Unrelated { }", GeneratorHarness.ParseOptions, path: "Unrelated.cs"));
        driver = driver.RunGenerators(edited);

        AssertAllCached(driver);
    }

    [Fact]
    public void EditingAnotherMethodInTheSameFileYieldsEqualModels()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(Declarations);
        GeneratorDriver driver = GeneratorHarness.Driver(new SyscallWrapperGenerator(), GeneratorHarness.RealTable).RunGenerators(compilation);

        SyntaxTree old = compilation.SyntaxTrees.Single();
        SyntaxTree edited = CSharpSyntaxTree.ParseText(Declarations.Replace("Helper() => 1;", "Helper() => 2;"), GeneratorHarness.ParseOptions, path: old.FilePath);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, edited));

        AssertAllCached(driver);
        // The transform did run again (same file), and its equatable output was found equal.
        GeneratorRunResult run = driver.GetRunResult().Results.Single();
        Assert.Contains(run.TrackedSteps[SyscallWrapperGenerator.Steps.Methods].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void ChangingADeclarationRegeneratesOnlyThatMethod()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(Declarations);
        GeneratorDriver driver = GeneratorHarness.Driver(new SyscallWrapperGenerator(), GeneratorHarness.RealTable).RunGenerators(compilation);

        SyntaxTree old = compilation.SyntaxTrees.Single();
        SyntaxTree edited = CSharpSyntaxTree.ParseText(Declarations.Replace("Chdir(string path)", "Chdir(string? path)"), GeneratorHarness.ParseOptions, path: old.FilePath);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, edited));

        var reasons = driver.GetRunResult().Results.Single().TrackedSteps[SyscallWrapperGenerator.Steps.Generated]
            .SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, reasons.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }
}
