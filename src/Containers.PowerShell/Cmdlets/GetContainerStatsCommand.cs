using System.Management.Automation;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>
/// Get-ContainerStats: streams ContainerStats samples of every container given (all running ones
/// by default) every -Interval seconds, until -Count samples per container, Ctrl+C or a
/// downstream Select-Object -First. -NoStream is one sample each.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerStats", DefaultParameterSetName = NameSet)]
[OutputType(typeof(ContainerStats))]
public sealed class GetContainerStatsCommand : ContainerCmdlet
{
    private const string NameSet = "Name";
    private const string IdSet = "Id";
    private const string InputObjectSet = "InputObject";

    [Parameter(Position = 0, ParameterSetName = NameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ContainerName")]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [Alias("ContainerId")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerIdCompleter))]
    public string[]? Id { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Container[]? InputObject { get; set; }

    /// <summary>Seconds between samples.</summary>
    [Parameter]
    [ValidateRange(0.05, 86400.0)]
    public double Interval { get; set; } = 1;

    /// <summary>Samples per container, then the stream ends.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; }

    /// <summary>One sample per container.</summary>
    [Parameter]
    public SwitchParameter NoStream { get; set; }

    private readonly List<Container> _targets = [];
    private bool _anyInput;

    protected override void BeginProcessing()
    {
        if (NoStream && Count > 1)
        {
            ThrowTerminatingError(ErrorIds.BadArgument(nameof(NoStream), "-NoStream is one sample: leave out -Count, or use -Count alone.", Count));
        }
    }

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case InputObjectSet:
                _anyInput = true;
                _targets.AddRange(InputObject!);
                break;
            case IdSet:
                _anyInput = true;
                foreach (string id in Id!)
                {
                    if (TryInvoke(() => Engine.Get(id), id, out var info)) _targets.Add(Container.From(info));
                }
                break;
            default:
                if (Name is null) break;
                _anyInput = true;
                foreach (string name in Name)
                {
                    if (WildcardPattern.ContainsWildcardCharacters(name))
                    {
                        var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                        if (TryInvoke(() => Engine.List(), name, out var all))
                        {
                            _targets.AddRange(all.Where(i => pattern.IsMatch(i.Name)).Select(Container.From));
                        }
                    }
                    else if (TryInvoke(() => Engine.Get(name), name, out var info))
                    {
                        _targets.Add(Container.From(info));
                    }
                }
                break;
        }
    }

    protected override void EndProcessing()
    {
        if (!_anyInput && TryInvoke(() => Engine.List(), null, out var all))
        {
            _targets.AddRange(all.Where(i => i.State == Containers.Engine.ContainerState.Running).Select(Container.From));
        }
        var ids = _targets.Select(c => c.Id).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0) return;

        int perContainer = NoStream ? 1 : Count;
        var counts = ids.ToDictionary(id => id, _ => 0, StringComparer.Ordinal);
        int done = 0;
        try
        {
            foreach (var sample in Engine.Stats(ids, TimeSpan.FromSeconds(Interval), Cancellation))
            {
                if (perContainer > 0)
                {
                    if (!counts.TryGetValue(sample.Id, out int n) || n >= perContainer) continue;
                    counts[sample.Id] = n + 1;
                    if (n + 1 == perContainer) done++;
                }
                WriteObject(ContainerStats.From(sample));
                if (perContainer > 0 && done == ids.Count) break;
            }
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            WriteError(ErrorIds.FromException(ex, ids.Count == 1 ? _targets[0] : ids));
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
    }
}
