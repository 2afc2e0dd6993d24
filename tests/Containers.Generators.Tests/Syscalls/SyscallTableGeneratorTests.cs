using System.Reflection;
using System.Runtime.Loader;
using Containers.Generators.Syscalls;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Containers.Generators.Tests.Syscalls;

public class SyscallTableGeneratorTests
{
    private const string Table = "# comment\nread\t0\t63\nopen\t2\t-\nopenat\t257\t56\n";

    [Fact]
    public void EmitsSwitchLookupsForBothArchitectures()
    {
        var result = GeneratorHarness.Run(new SyscallTableGenerator(), string.Empty, Table);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompileErrors);
        string code = result.Generated("SyscallTable.g.cs");

        Assert.Contains("public static partial class SyscallTable", code);
        Assert.Contains("case \"open\": x86_64 = 2; aarch64 = -1; break;", code);
        Assert.Contains("case \"openat\": x86_64 = 257; aarch64 = 56; break;", code);
        Assert.Contains("public static global::System.Collections.Generic.IReadOnlyList<string> Names { get; }", code);
        Assert.Contains("257 => \"openat\",", code);
        Assert.Contains("generated from syscalls.tsv (3 calls)", code);
    }

    [Fact]
    public void GeneratedTableAnswersLookupsWhenLoaded()
    {
        var result = GeneratorHarness.Run(new SyscallTableGenerator(), string.Empty, Table);
        using var image = new MemoryStream();
        Assert.True(result.Output.Emit(image).Success);
        var context = new AssemblyLoadContext("table-test", isCollectible: true);
        try
        {
            image.Position = 0;
            Type table = context.LoadFromStream(image).GetType("Containers.Interop.SyscallTable")!;
            MethodInfo tryGet = table.GetMethod("TryGetNumber", new[] { typeof(string), typeof(Containers.Interop.SyscallArchitecture), typeof(int).MakeByRefType() })!;
            MethodInfo getName = table.GetMethod("GetName")!;

            object?[] args = { "openat", Containers.Interop.SyscallArchitecture.Aarch64, 0 };
            Assert.True((bool)tryGet.Invoke(null, args)!);
            Assert.Equal(56, args[2]);
            args = new object?[] { "open", Containers.Interop.SyscallArchitecture.Aarch64, 0 };
            Assert.False((bool)tryGet.Invoke(null, args)!);
            Assert.Equal("read", getName.Invoke(null, new object[] { 63, Containers.Interop.SyscallArchitecture.Aarch64 }));
            Assert.Null(getName.Invoke(null, new object[] { 2, Containers.Interop.SyscallArchitecture.Aarch64 }));
            var names = (IReadOnlyList<string>)table.GetProperty("Names")!.GetValue(null)!;
            Assert.Equal(new[] { "read", "open", "openat" }, names);
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void MalformedLinesAreReportedAtTheirLineAndSkipped()
    {
        const string table = "read\t0\t63\nbroken line\nwrite\t1\tx\nread\t0\t63\n";
        var result = GeneratorHarness.Run(new SyscallTableGenerator(), string.Empty, table);

        Assert.Equal(new[] { "CTRSYS008", "CTRSYS008", "CTRSYS008" }, result.GeneratorDiagnostics.Select(d => d.Id));
        Assert.Equal(
            new[]
            {
                "syscalls.tsv line 2 is ignored: expected 3 tab-separated fields, found 1",
                "syscalls.tsv line 3 is ignored: numbers must be non-negative integers or '-'",
                "syscalls.tsv line 4 is ignored: 'read' is listed twice",
            },
            result.GeneratorDiagnostics.Select(d => d.GetMessage()));
        Diagnostic first = result.GeneratorDiagnostics[0];
        Assert.Equal("/src/syscalls.tsv", first.Location.GetLineSpan().Path);
        Assert.Equal(1, first.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("generated from syscalls.tsv (1 calls)", result.Generated("SyscallTable.g.cs"));
    }

    [Fact]
    public void RealTableHasEveryCallTheInteropLayerBindsRaw()
    {
        var result = GeneratorHarness.Run(new SyscallTableGenerator(), string.Empty);
        Assert.Empty(result.GeneratorDiagnostics);
        string code = result.Generated("SyscallTable.g.cs");
        foreach (string name in new[] { "pivot_root", "fsopen", "fsconfig", "fsmount", "move_mount", "open_tree", "mount_setattr", "openat2", "pidfd_open", "pidfd_send_signal", "seccomp", "prctl", "setresuid", "setresgid", "setgroups" })
        {
            Assert.Contains($"case \"{name}\":", code);
        }
    }

    [Fact]
    public void UnchangedTableIsCachedAcrossSourceEdits()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation("class A { }");
        GeneratorDriver driver = GeneratorHarness.Driver(new SyscallTableGenerator(), Table).RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class B { }", GeneratorHarness.ParseOptions)));

        var outputs = driver.GetRunResult().Results.Single().TrackedSteps[SyscallTableGenerator.TableStep].SelectMany(s => s.Outputs);
        Assert.All(outputs, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }
}
