using System.Reflection;
using System.Runtime.Loader;
using Containers.Generators.Syscalls;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Containers.Generators.Tests.Syscalls;

public class SyscallTableGeneratorTests
{
    private const string Table = "# comment\nread\t0\t63\t3\t3\t0\nopen\t2\t-\t5\t5\t2\nopenat\t257\t56\t295\t322\t257\nrt_sigaction\t13\t134\t174\t174\t512\nchown32\t-\t-\t212\t212\t-\n";

    [Fact]
    public void EmitsSwitchLookupsForBothArchitectures()
    {
        var result = GeneratorHarness.Run(new SyscallTableGenerator(), string.Empty, Table);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompileErrors);
        string code = result.Generated("SyscallTable.g.cs");

        Assert.Contains("public static partial class SyscallTable", code);
        Assert.Contains("case \"open\": x86_64 = 2; aarch64 = -1; x86 = 5; arm = 5; x32 = 2; break;", code);
        Assert.Contains("case \"openat\": x86_64 = 257; aarch64 = 56; x86 = 295; arm = 322; x32 = 257; break;", code);
        Assert.Contains("public static global::System.Collections.Generic.IReadOnlyList<string> Names { get; }", code);
        Assert.Contains("257 => \"openat\",", code);
        Assert.Contains("generated from syscalls.tsv (5 calls)", code);
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
            Assert.Equal(new[] { "read", "open", "openat", "rt_sigaction", "chown32" }, names);

            // The compat ABIs: i386 and arm have their own numbers; x32 adds __X32_SYSCALL_BIT to its table's number.
            int Number(string name, Containers.Interop.SyscallArchitecture arch)
            {
                object?[] a = { name, arch, 0 };
                return (bool)tryGet.Invoke(null, a)! ? (int)a[2]! : -1;
            }

            Assert.Equal(295, Number("openat", Containers.Interop.SyscallArchitecture.X86));
            Assert.Equal(322, Number("openat", Containers.Interop.SyscallArchitecture.Arm));
            Assert.Equal(212, Number("chown32", Containers.Interop.SyscallArchitecture.X86));
            Assert.Equal(-1, Number("chown32", Containers.Interop.SyscallArchitecture.X86_64));
            Assert.Equal(-1, Number("chown32", Containers.Interop.SyscallArchitecture.X32));
            Assert.Equal(0x40000000, Number("read", Containers.Interop.SyscallArchitecture.X32));
            Assert.Equal(0x40000000 | 512, Number("rt_sigaction", Containers.Interop.SyscallArchitecture.X32));
            Assert.Equal("rt_sigaction", getName.Invoke(null, new object[] { 0x40000000 | 512, Containers.Interop.SyscallArchitecture.X32 }));
            Assert.Null(getName.Invoke(null, new object[] { 512, Containers.Interop.SyscallArchitecture.X32 }));
            Assert.Equal("chown32", getName.Invoke(null, new object[] { 212, Containers.Interop.SyscallArchitecture.Arm }));
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void MalformedLinesAreReportedAtTheirLineAndSkipped()
    {
        const string table = "read\t0\t63\t3\t3\t0\nbroken line\nwrite\t1\tx\t4\t4\t1\nread\t0\t63\t3\t3\t0\nclose\t3\t57\t6\t6\n";
        var result = GeneratorHarness.Run(new SyscallTableGenerator(), string.Empty, table);

        Assert.Equal(new[] { "CTRSYS008", "CTRSYS008", "CTRSYS008", "CTRSYS008" }, result.GeneratorDiagnostics.Select(d => d.Id));
        Assert.Equal(
            new[]
            {
                "syscalls.tsv line 2 is ignored: expected 6 tab-separated fields (name, x86_64, aarch64, x86, arm, x32), found 1",
                "syscalls.tsv line 3 is ignored: numbers must be non-negative integers or '-'",
                "syscalls.tsv line 4 is ignored: 'read' is listed twice",
                "syscalls.tsv line 5 is ignored: expected 6 tab-separated fields (name, x86_64, aarch64, x86, arm, x32), found 5",
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

        // Spot checks against libseccomp's resolver (scmp_sys_resolver -a x86|arm|x32).
        Assert.Contains("case \"mount\": x86_64 = 165; aarch64 = 40; x86 = 21; arm = 21; x32 = 165; break;", code);
        Assert.Contains("case \"socket\": x86_64 = 41; aarch64 = 198; x86 = 359; arm = 281; x32 = 41; break;", code);
        Assert.Contains("case \"ioctl\": x86_64 = 16; aarch64 = 29; x86 = 54; arm = 54; x32 = 514; break;", code);
        Assert.Contains("case \"mmap2\": x86_64 = -1; aarch64 = -1; x86 = 192; arm = 192; x32 = -1; break;", code);
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
