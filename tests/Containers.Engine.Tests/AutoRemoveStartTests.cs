namespace Containers.Engine.Tests;

/// <summary>`docker run --rm` whose start fails: the container goes entirely, and the start error still reaches the caller.</summary>
public sealed class AutoRemoveStartTests(EngineSandbox sandbox) : IClassFixture<EngineSandbox>
{
    private readonly ContainerEngine _engine = sandbox.Engine;

    [Fact]
    public void Failed_start_of_an_auto_remove_container_removes_it_and_reports_the_runtime_message()
    {
        ContainerInfo created = _engine.Create(sandbox.Request("nosuch") with { AutoRemove = true, Name = "autoremove-failed" });
        string dir = Path.Join(sandbox.Options.DataRoot, "containers", created.Id);
        Assert.True(Directory.Exists(dir));

        EngineException e = Assert.Throws<EngineException>(() => _engine.Start(created.Id));

        Assert.Contains("exec: \"nosuch\": executable file not found in $PATH", e.Message);
        Assert.Equal(EngineErrorKind.Failed, e.Kind);
        Assert.Equal(EngineErrorKind.NotFound, Assert.Throws<EngineException>(() => _engine.Get(created.Id)).Kind);
        Assert.Equal(EngineErrorKind.NotFound, Assert.Throws<EngineException>(() => _engine.Get("autoremove-failed")).Kind);
        Assert.DoesNotContain(_engine.List(), c => c.Id == created.Id);
        Assert.False(Directory.Exists(dir));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(Path.Join(sandbox.Options.DataRoot, "containers")), entry => entry.Contains(created.Id));
        Assert.False(File.Exists(Path.Join(sandbox.Options.DataRoot, "names", "autoremove-failed")));
        Assert.DoesNotContain(sandbox.Mounts(), m => m.Contains(created.Id));
        Assert.False(Directory.Exists(Path.Join(sandbox.Options.RunRoot, created.Id)));
        Assert.False(Directory.Exists(EngineSandbox.CgroupDir("memory", created.Id)));

        // The name is free again.
        ContainerInfo again = _engine.Create(sandbox.Request("true") with { Name = "autoremove-failed" });
        _engine.Remove(again.Id, force: false);
    }

    [Fact]
    public void Failed_start_without_auto_remove_keeps_the_container()
    {
        ContainerInfo created = _engine.Create(sandbox.Request("nosuch") with { Name = "kept-failed" });
        Assert.Throws<EngineException>(() => _engine.Start(created.Id));
        Assert.Equal(ContainerState.Created, _engine.Get("kept-failed").State);
        _engine.Remove(created.Id, force: false);
    }
}
