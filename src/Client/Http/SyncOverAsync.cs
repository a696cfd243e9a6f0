using System;
using System.Threading.Tasks;

namespace HuggingFace.Inference.Http;

/// <summary>The synchronous API runs the async code path with <c>async: false</c>, which completes without awaiting.</summary>
internal static class SyncOverAsync
{
    public static T EnsureCompleted<T>(ValueTask<T> task)
    {
        if (!task.IsCompleted)
        {
            // A bug, not a state a caller can cause: the sync path awaited something truly asynchronous.
            throw new InvalidOperationException("The synchronous call did not complete synchronously.");
        }

        return task.GetAwaiter().GetResult();
    }
}
