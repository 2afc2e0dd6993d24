// netstandard2.0 lacks this marker type, which records and init accessors need.
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit
{
}
