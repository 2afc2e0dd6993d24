using System.Management.Automation;
using Containers.Engine;
using Containers.Image;

namespace Containers.PowerShell.Internal;

/// <summary>The stable FullyQualifiedErrorId prefixes the module writes: tests and scripts match on these.</summary>
public static class ErrorIds
{
    public const string ContainerNotFound = nameof(ContainerNotFound);
    public const string ContainerNameInUse = nameof(ContainerNameInUse);
    public const string ContainerInvalidState = nameof(ContainerInvalidState);
    public const string InvalidArgument = nameof(InvalidArgument);
    public const string PermissionDenied = nameof(PermissionDenied);
    public const string ContainerOperationFailed = nameof(ContainerOperationFailed);
    public const string ContainerCommandFailed = nameof(ContainerCommandFailed);
    public const string WaitTimeout = nameof(WaitTimeout);
    public const string EngineUnavailable = nameof(EngineUnavailable);
    public const string ImageNotFound = nameof(ImageNotFound);
    public const string ImageInUse = nameof(ImageInUse);
    public const string RegistryError = nameof(RegistryError);
    public const string InvalidReference = nameof(InvalidReference);
    public const string ImageOperationFailed = nameof(ImageOperationFailed);

    public static ErrorRecord FromEngine(EngineException ex, object? target) => ex.Kind switch
    {
        EngineErrorKind.NotFound => new ErrorRecord(ex, ContainerNotFound, ErrorCategory.ObjectNotFound, target),
        EngineErrorKind.AlreadyExists => new ErrorRecord(ex, ContainerNameInUse, ErrorCategory.ResourceExists, target),
        EngineErrorKind.InvalidState => new ErrorRecord(ex, ContainerInvalidState, ErrorCategory.InvalidOperation, target),
        EngineErrorKind.InvalidArgument => new ErrorRecord(ex, InvalidArgument, ErrorCategory.InvalidArgument, target),
        EngineErrorKind.PermissionDenied => new ErrorRecord(ex, PermissionDenied, ErrorCategory.PermissionDenied, target),
        _ => new ErrorRecord(ex, ContainerOperationFailed, ErrorCategory.NotSpecified, target),
    };

    /// <summary>Any failure of an operation on one item; the engine's own kinds keep their ids.</summary>
    public static ErrorRecord FromException(Exception ex, object? target) => ex switch
    {
        EngineException e => FromEngine(e, target),
        ImageNotFoundException or PlatformNotFoundException => new ErrorRecord(ex, ImageNotFound, ErrorCategory.ObjectNotFound, target),
        ImageInUseException => new ErrorRecord(ex, ImageInUse, ErrorCategory.ResourceBusy, target),
        RegistryAuthenticationException => new ErrorRecord(ex, RegistryError, ErrorCategory.AuthenticationError, target),
        RegistryException r when r.StatusCode == System.Net.HttpStatusCode.NotFound => new ErrorRecord(ex, RegistryError, ErrorCategory.ObjectNotFound, target),
        RegistryException or HttpRequestException => new ErrorRecord(ex, RegistryError, ErrorCategory.ConnectionError, target),
        ReferenceFormatException => new ErrorRecord(ex, InvalidReference, ErrorCategory.InvalidArgument, target),
        CorruptBlobException or InvalidDataException or LayerFormatException => new ErrorRecord(ex, ImageOperationFailed, ErrorCategory.InvalidData, target),
        UnauthorizedAccessException => new ErrorRecord(ex, PermissionDenied, ErrorCategory.PermissionDenied, target),
        ArgumentException => new ErrorRecord(ex, InvalidArgument, ErrorCategory.InvalidArgument, target),
        TimeoutException => new ErrorRecord(ex, WaitTimeout, ErrorCategory.OperationTimeout, target),
        _ => new ErrorRecord(ex, ContainerOperationFailed, ErrorCategory.NotSpecified, target),
    };

    public static ErrorRecord BadArgument(string parameter, string message, object? value) =>
        new(new ArgumentException($"-{parameter}: {message}"), InvalidArgument, ErrorCategory.InvalidArgument, value);

    public static ErrorRecord ImageNotFoundError(string what, object target) =>
        new(new ImageNotFoundException(what, "the local image store"), ImageNotFound, ErrorCategory.ObjectNotFound, target);

    public static ErrorRecord NotFound(string what, object target) =>
        new(new EngineException(EngineErrorKind.NotFound, $"No such container: {what}"), ContainerNotFound, ErrorCategory.ObjectNotFound, target);
}
