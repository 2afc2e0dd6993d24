using System.Management.Automation;

namespace Containers.PowerShell.Internal;

/// <summary>
/// A cmdlet that acts on existing containers, chosen by -Name (wildcards allowed), -Id (full or a
/// unique prefix) or Container objects from the pipeline.
/// </summary>
public abstract class ContainerTargetCmdlet : ContainerCmdlet
{
    protected const string NameSet = "Name";
    protected const string IdSet = "Id";
    protected const string InputObjectSet = "InputObject";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ContainerName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    public virtual string[] Name { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [Alias("ContainerId")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerIdCompleter))]
    public string[] Id { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Container[] InputObject { get; set; } = [];

    /// <summary>The containers this call names; a name or id that matches none is a non-terminating ContainerNotFound.</summary>
    protected IEnumerable<Container> Targets()
    {
        switch (ParameterSetName)
        {
            case InputObjectSet:
                foreach (Container c in InputObject) yield return c;
                break;
            case IdSet:
                foreach (string id in Id)
                {
                    if (TryInvoke(() => Engine.Get(id), id, out var info)) yield return Container.From(info);
                }
                break;
            default:
                foreach (string name in Name)
                {
                    if (WildcardPattern.ContainsWildcardCharacters(name))
                    {
                        var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                        if (!TryInvoke(() => Engine.List(), name, out var all)) continue;
                        foreach (var info in all.Where(i => pattern.IsMatch(i.Name)).OrderBy(i => i.Name, StringComparer.Ordinal))
                        {
                            yield return Container.From(info);
                        }
                    }
                    else if (TryInvoke(() => Engine.Get(name), name, out var info))
                    {
                        yield return Container.From(info);
                    }
                }
                break;
        }
    }

    /// <summary>How ShouldProcess and errors name a container: "web (3f2a1b9c0d1e)".</summary>
    protected static string Describe(Container c) => $"{c.Name} ({c.ShortId})";
}
