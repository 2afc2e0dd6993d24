using System.Management.Automation;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>Get-Container: lists containers (all of them by default, like `docker ps -a`).</summary>
[Cmdlet(VerbsCommon.Get, "Container", DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container))]
public sealed class GetContainerCommand : ContainerCmdlet
{
    private const string NameSet = "Name";
    private const string IdSet = "Id";

    /// <summary>Names; wildcards allowed. A plain name that matches nothing is a ContainerNotFound error.</summary>
    [Parameter(Position = 0, ParameterSetName = NameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ContainerName")]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Full ids or unique prefixes.</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [Alias("ContainerId")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerIdCompleter))]
    public string[]? Id { get; set; }

    /// <summary>Only containers in these states.</summary>
    [Parameter]
    public ContainerState[]? State { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == IdSet)
        {
            foreach (string id in Id!)
            {
                if (TryInvoke(() => Engine.Get(id), id, out var info)) Write(Container.From(info));
            }
            return;
        }

        if (!TryInvoke(() => Engine.List(), null, out var all)) return;
        var containers = all.Select(Container.From).OrderByDescending(c => c.Created).ToList();
        if (Name is null)
        {
            foreach (Container c in containers) Write(c);
            return;
        }
        foreach (string name in Name)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            bool wildcard = WildcardPattern.ContainsWildcardCharacters(name);
            var matches = containers.Where(c => wildcard ? pattern.IsMatch(c.Name) : c.Name == name).ToList();
            if (matches.Count == 0 && !wildcard)
            {
                WriteError(ErrorIds.NotFound(name, name));
            }
            foreach (Container c in matches) Write(c);
        }
    }

    private void Write(Container c)
    {
        if (State is null || State.Contains(c.State)) WriteObject(c);
    }
}
