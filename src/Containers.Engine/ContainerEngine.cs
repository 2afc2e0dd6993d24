using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Containers.Image;
using Containers.Interop;
using Containers.Runtime.Lifecycle;
using Containers.Runtime.Spec;
using RuntimeStatus = Containers.Runtime.Spec.ContainerStatus;

namespace Containers.Engine;

/// <summary>
/// Containers as users see them. State lives on disk (DATA/containers/ID) and in the kernel (the
/// runtime's state under RUN, the shim's exit.json), never in this object: any number of engines, in
/// any number of sessions, see the same containers. Changes to one container hold its lock.
/// </summary>
public sealed partial class ContainerEngine : IContainerEngine
{
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(10);
    private readonly EngineOptions _options;
    private readonly ContainerStore _store;
    private readonly StateStore _runtimeStore;
    private readonly ContainerOperations _operations;

    public ContainerEngine(EngineOptions? options = null)
    {
        _options = options ?? new EngineOptions();
        _store = new ContainerStore(_options.DataRoot);
        _runtimeStore = new StateStore(_options.RunRoot);
        _operations = new ContainerOperations(_runtimeStore);
        Images = new ImageService(_options.ImageStoreRoot, UsesImage);
    }

    public EngineOptions Options => _options;

    public ImageService Images { get; }

    /// <summary>The image store's InUse hook: does any container (whatever its state) run on this image ID?</summary>
    private bool UsesImage(Digest imageId)
    {
        string wanted = imageId.ToString();
        return _store.Ids().Any(id => _store.TryLoad(id)?.ImageId == wanted);
    }

    private static EngineException NotFound(string idOrName) => new(EngineErrorKind.NotFound, $"no container named or with id \"{idOrName}\"");

    private static void Runtime(Action action) => Runtime(() =>
    {
        action();
        return 0;
    });

    private static T Runtime<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ContainerException e)
        {
            throw new EngineException(e.Kind switch
            {
                ContainerErrorKind.NotFound => EngineErrorKind.InvalidState, // the runtime state is gone: the container is not running
                ContainerErrorKind.InvalidState => EngineErrorKind.InvalidState,
                ContainerErrorKind.InvalidArgument => EngineErrorKind.InvalidArgument,
                ContainerErrorKind.AlreadyExists => EngineErrorKind.AlreadyExists,
                _ => EngineErrorKind.Failed,
            }, e.Message, e);
        }
        catch (SyscallException e) when (e.Kind == SyscallErrorKind.AccessDenied)
        {
            throw new EngineException(EngineErrorKind.PermissionDenied, e.Message, e);
        }
        catch (Exception e) when (e is SyscallException or IOException)
        {
            throw new EngineException(EngineErrorKind.Failed, e.Message, e);
        }
    }

    internal static Signal ParseSignal(string text, string field)
    {
        if (int.TryParse(text, out int number))
        {
            return number is > 0 and < 65 ? (Signal)number : throw SpecBuilder.Invalid(field, $"invalid signal number {number}");
        }
        string name = text.ToUpperInvariant();
        if (!name.StartsWith("SIG", StringComparison.Ordinal)) name = "SIG" + name;
        return Enum.TryParse(name, out Signal signal) && !int.TryParse(name, out _) ? signal : throw SpecBuilder.Invalid(field, $"unknown signal \"{text}\"");
    }
}
