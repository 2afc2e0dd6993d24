using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Containers.PowerShell.Internal;

/// <summary>Completes -Name with the names of existing containers.</summary>
public sealed class ContainerNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        ContainerCompletion.Complete(wordToComplete, c => c.Name);
}

/// <summary>Completes -Id with the ids of existing containers.</summary>
public sealed class ContainerIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        ContainerCompletion.Complete(wordToComplete, c => c.Id);
}

internal static class ContainerCompletion
{
    public static IEnumerable<CompletionResult> Complete(string wordToComplete, Func<Engine.ContainerInfo, string> key)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        IReadOnlyList<Engine.ContainerInfo> all;
        try
        {
            all = EngineProvider.Get().List();
        }
        catch (Exception)
        {
            // Completion must never fail the prompt.
            return [];
        }
        var pattern = new WildcardPattern(word + "*", WildcardOptions.IgnoreCase);
        return all
            .Where(c => pattern.IsMatch(key(c)))
            .OrderBy(key, StringComparer.Ordinal)
            .Select(c =>
            {
                string text = key(c);
                string completion = text.IndexOfAny([' ', '\'', '"', '$', '`', '(', ')', '{', '}', ',', ';', '&', '@']) >= 0
                    ? "'" + text.Replace("'", "''") + "'"
                    : text;
                string tip = $"{c.Name} ({(c.Id.Length > 12 ? c.Id[..12] : c.Id)}) {c.State}";
                return new CompletionResult(completion, text, CompletionResultType.ParameterValue, tip);
            })
            .ToList();
    }
}

/// <summary>Completes image parameters with the references in the local store (Docker's short form).</summary>
public sealed class ImageNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        IReadOnlyList<ContainerImage> all;
        try
        {
            all = [.. EngineProvider.Get().Images.List().Select(ContainerImage.From)];
        }
        catch (Exception)
        {
            // Completion must never fail the prompt.
            return [];
        }
        var pattern = new WildcardPattern(word + "*", WildcardOptions.IgnoreCase);
        return all
            .Where(i => pattern.IsMatch(i.Name) || pattern.IsMatch(i.Reference))
            .OrderBy(i => i.Name, StringComparer.Ordinal)
            .Select(i => new CompletionResult(i.Name, i.Name, CompletionResultType.ParameterValue, $"{i.Name} ({i.ShortId}) {i.Platform}"))
            .ToList();
    }
}
