// netstandard2.0 lacks this marker type, which the compiler needs for records and init accessors.
// PolySharp/IsExternalInit do not restore here (see ../shared/TOOLCHAIN.md), so it is written by hand.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit
    {
    }
}
