using System;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Http;

namespace HuggingFace.Inference;

public sealed partial class InferenceClient
{
    /// <summary>
    /// Sends <paramref name="input"/> as JSON to <paramref name="model"/> (an id or a URL: a custom handler on
    /// an Inference Endpoint, say) and reads the answer as <typeparamref name="TOutput"/>, unwrapped as task
    /// answers are. This is what methods generated from your own schemas call: the token, retries, the timeout
    /// and errors work as for every task.
    /// </summary>
    /// <param name="input">The request body.</param>
    /// <param name="model">A model id or URL; null uses the client's model.</param>
    /// <param name="task">The task name, for a model id's recommended route and for messages.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">Neither a model nor a client model is set.</exception>
    public Task<TOutput> SendAsync<TInput, TOutput>(TInput input, string? model = null, string? task = null, CancellationToken cancellationToken = default) =>
        SendJsonCoreAsync<TInput, TOutput>(CustomTask(input, model, task), input, model, async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="SendAsync"/>
    public TOutput Send<TInput, TOutput>(TInput input, string? model = null, string? task = null, CancellationToken cancellationToken = default) =>
        SyncOverAsync.EnsureCompleted(SendJsonCoreAsync<TInput, TOutput>(CustomTask(input, model, task), input, model, async: false, cancellationToken));

    /// <summary>The wire of a call to a schema the library does not know: JSON in, JSON out.</summary>
    private InferenceTask CustomTask<TInput>(TInput input, string? model, string? task)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (string.IsNullOrWhiteSpace(model) && string.IsNullOrWhiteSpace(Options.Model))
        {
            throw new ArgumentException("Pass a model id or URL, or set the client's Model.", nameof(model));
        }

        return new InferenceTask(task ?? "custom", null, RequestBodyForm.Json, ResponseForm.Json, null);
    }
}
