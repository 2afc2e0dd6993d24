namespace Containers.Engine.Tests;

public sealed class LogRotationTests(EngineSandbox sandbox) : IClassFixture<EngineSandbox>
{
    [Fact]
    public void A_log_past_its_size_rotates_keeps_the_newest_files_and_reads_back_in_order()
    {
        // A small limit so a few hundred lines rotate several times.
        var engine = new ContainerEngine(sandbox.Options with { LogMaxBytes = 4096, LogMaxFiles = 2 });
        ContainerInfo c = engine.Create(sandbox.Request("sh", "-c", "i=0; while [ $i -lt 400 ]; do echo line-$i; i=$((i+1)); done"));
        engine.Start(c.Id);
        Assert.NotNull(engine.Wait(c.Id, TimeSpan.FromSeconds(30), CancellationToken.None));

        string dir = Path.Join(sandbox.Options.DataRoot, "containers", c.Id);
        Assert.True(File.Exists(Path.Join(dir, "container.log.1")));
        Assert.True(File.Exists(Path.Join(dir, "container.log.2")));
        Assert.False(File.Exists(Path.Join(dir, "container.log.3")));   // only LogMaxFiles rotated files stay
        Assert.All(Directory.GetFiles(dir, "container.log*"), f => Assert.True(new FileInfo(f).Length <= 4096 + 200, f));

        List<string> lines = engine.Logs(c.Id, false, null, null, CancellationToken.None).Where(e => e.Stream == "stdout").Select(e => e.Line).ToList();
        Assert.Equal("line-399", lines[^1]);
        Assert.True(lines.Count is > 20 and < 400, $"{lines.Count} lines kept");   // the oldest lines rotated away
        int first = int.Parse(lines[0]["line-".Length..]);
        Assert.Equal(Enumerable.Range(first, 400 - first).Select(i => $"line-{i}"), lines); // in order, no gap
        engine.Remove(c.Id, force: true);
    }
}
