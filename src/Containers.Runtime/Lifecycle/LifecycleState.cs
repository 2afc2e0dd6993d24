using Containers.Runtime.Spec;

namespace Containers.Runtime.Lifecycle;

/// <summary>The OCI state of a container: what `state` prints and what hooks read on stdin.</summary>
public static class LifecycleState
{
    public const string OciVersion = "1.2.0";

    public static ContainerState Of(ContainerRecord record, string status) => new()
    {
        OciVersion = OciVersion,
        Id = record.Id,
        Status = status,
        Pid = status == ContainerStatus.Stopped ? null : record.Pid,
        Bundle = record.Bundle,
        Annotations = record.Annotations,
    };

    public static string Json(ContainerRecord record, string status) => SpecLoader.Serialize(Of(record, status));
}
