using System.Collections;
using System.Management.Automation;
using Containers.Engine;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>
/// Invoke-ContainerCommand: runs a process in running containers. Without -PassThru: stdout lines
/// to the pipeline, stderr lines to the host, and a non-zero exit code is a ContainerCommandFailed
/// error. With -PassThru: one ContainerCommandResult (ExitCode, Output, ErrorOutput) per container.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ContainerCommand", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NameSet)]
[OutputType(typeof(string), typeof(ContainerCommandResult))]
public sealed class InvokeContainerCommandCommand : ContainerTargetCmdlet
{
    /// <summary>
    /// Not positional here (unlike the other cmdlets): the command is, so that both
    /// `Invoke-ContainerCommand -Name web hostname` and `$c | Invoke-ContainerCommand hostname` bind.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = NameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ContainerName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    public override string[] Name { get; set; } = [];

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = [];

    /// <summary>uid[:gid] or a user name of the container.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    [Parameter]
    public Hashtable? Environment { get; set; }

    [Parameter]
    public SwitchParameter Tty { get; set; }

    /// <summary>Forwards this session's standard input to the process.</summary>
    [Parameter]
    public SwitchParameter Interactive { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var request = new ExecRequest
        {
            Command = Command,
            User = User,
            WorkingDirectory = WorkingDirectory,
            Environment = Environment?.Cast<DictionaryEntry>().ToDictionary(
                e => LanguagePrimitives.ConvertTo<string>(e.Key), e => LanguagePrimitives.ConvertTo<string>(e.Value) ?? "", StringComparer.Ordinal),
            Tty = Tty,
            Interactive = Interactive,
        };
        string commandLine = string.Join(' ', Command);
        foreach (Container c in Targets())
        {
            if (!ShouldProcess(Describe(c), $"Run '{commandLine}'")) continue;
            Run(c, request, commandLine);
        }
    }

    private void Run(Container c, ExecRequest request, string commandLine)
    {
        int exitCode = -1;
        var output = new List<string>();
        var errors = new List<string>();
        try
        {
            foreach (var entry in Engine.Exec(c.Id, request, Interactive ? Console.In : null, code => exitCode = code, Cancellation))
            {
                bool isError = entry.Stream == "stderr";
                if (PassThru) (isError ? errors : output).Add(entry.Line);
                else if (isError) WriteStandardError(entry.Line);
                else WriteObject(entry.Line);
            }
        }
        catch (Exception ex) when (IsItemFailure(ex))
        {
            WriteError(ErrorIds.FromException(ex, c));
            return;
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }

        if (PassThru)
        {
            WriteObject(new ContainerCommandResult
            {
                ContainerId = c.Id,
                ContainerName = c.Name,
                Command = Command,
                ExitCode = exitCode,
                Output = [.. output],
                ErrorOutput = [.. errors],
            });
        }
        else if (exitCode != 0)
        {
            var ex = new InvalidOperationException($"'{commandLine}' in {Describe(c)} exited with code {exitCode}.");
            ex.Data["ExitCode"] = exitCode;
            WriteError(new ErrorRecord(ex, ErrorIds.ContainerCommandFailed, ErrorCategory.NotSpecified, c)
            {
                ErrorDetails = new ErrorDetails(ex.Message),
            });
        }
    }
}
