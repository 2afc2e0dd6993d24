namespace Containers.Runtime;

/// <summary>A step of container set-up failed; the message names the step and what it acted on.</summary>
public sealed class InitStepException : Exception
{
    public InitStepException(string step, Exception inner) : base($"{step}: {inner.Message}", inner) => Step = step;

    public InitStepException(string step, string message) : base($"{step}: {message}") => Step = step;

    public string Step { get; }
}
