using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Diagnostics;
using HuggingFace.Inference.Http;
using HuggingFace.Inference.Providers;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference;

public sealed partial class InferenceClient
{
    /// <summary>
    /// The providers that serve <paramref name="model"/>, in the Hub's order (for the client's token: the
    /// user's provider preferences). Cached with the client's provider choices (10 minutes; 1 minute for a
    /// model without providers).
    /// </summary>
    /// <param name="model">A Hugging Face model id (<c>black-forest-labs/FLUX.1-dev</c>); a <c>:provider</c> suffix is ignored.</param>
    /// <param name="cancellationToken">Cancels the wait (the Hub's answer is still cached for other callers).</param>
    /// <exception cref="ArgumentException"><paramref name="model"/> is empty or not a model id.</exception>
    /// <exception cref="InferenceProviderException">The Hub answered with an error (404: no such model, or not visible to the token).</exception>
    public async Task<IReadOnlyList<InferenceProviderMapping>> GetProviderMappingAsync(string model, CancellationToken cancellationToken = default) =>
        await _router.Mappings.GetAsync(MappedId(model), "mapping", async: true, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc cref="GetProviderMappingAsync"/>
    public IReadOnlyList<InferenceProviderMapping> GetProviderMapping(string model, CancellationToken cancellationToken = default) =>
        SyncOverAsync.EnsureCompleted(_router.Mappings.GetAsync(MappedId(model), "mapping", async: false, cancellationToken));

    private static string MappedId(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        if (ModelResolver.IsUrl(model, out _))
        {
            throw new ArgumentException($"'{model}' is a URL; only Hub model ids have providers.", nameof(model));
        }

        var id = ProviderNames.Split(model).Id;
        ModelResolver.EscapeModelId(id, nameof(model));
        return id;
    }

    /// <summary>
    /// Sends a task through a provider whose wire is not hf-inference's: the task's input record becomes the
    /// provider's body, a queued job is polled to its end, and the answer is read into the same output type.
    /// </summary>
    private async ValueTask<TOutput> SendToProviderAsync<TInput, TOutput>(InferenceTask task, ProviderRoute route, TInput body, bool async, CancellationToken cancellationToken)
    {
        var input = InferenceJson.Node(body, InferenceJson.WriteOptions) as JsonObject ?? new JsonObject();
        var request = ProviderRequests.Build(route, task.Name, input);
        using var operation = InferenceTelemetry.Start(task.Name, route.ModelId, request.Url);
        operation.InferenceProvider(route.ProviderName);
        var credentials = route.Credentials;
        HttpRequestMessage Authorize(HttpRequestMessage message) => route.Authorize(message, _transport);

        try
        {
            byte[] answer;
            string? mediaType;
            try
            {
                (answer, mediaType) = await _transport.SendAsync(
                    () =>
                    {
                        var message = Authorize(new HttpRequestMessage(HttpMethod.Post, request.Url) { Content = request.Content() });
                        foreach (var (name, value) in request.Headers)
                        {
                            if (!message.Headers.Contains(name))
                            {
                                message.Headers.TryAddWithoutValidation(name, value);
                            }
                        }

                        return message;
                    },
                    async (response, isAsync, token) => (await _transport.ReadBodyAsync(response, isAsync, token).ConfigureAwait(false), response.Content.Headers.ContentType?.MediaType),
                    async,
                    cancellationToken,
                    retryable: route.Entry!.Job == ProviderJobForm.None, // a submitted job is never submitted twice
                    credentials: credentials).ConfigureAwait(false);
            }
            catch (HfHubHttpException error)
            {
                throw InferenceProviderException.From(error, route.ProviderName, route.ProviderModelId, task.Name, InferenceProviderPhase.Submit);
            }

            if (route.Entry.Job != ProviderJobForm.None)
            {
                answer = await _jobs.RunAsync(route, task.Name, answer, credentials, Authorize, async, cancellationToken).ConfigureAwait(false);
                mediaType = "application/json";
            }

            var result = await ProviderAnswers.ReadAsync(
                route,
                task.Name,
                answer,
                mediaType,
                async (url, token) => await _transport.DownloadAsync(url, async, token).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            try
            {
                return Parse<TOutput>(task, result.Body, result.MediaType);
            }
            catch (AnswerMemberMissing missing)
            {
                throw new InferenceResponseException(task.Name, missing.Member, System.Net.HttpStatusCode.OK, null, AnswerText(result.Body), null, missing) { ResponseProvider = route.ProviderName };
            }
            catch (JsonException exception)
            {
                throw new InferenceProviderException(route.ProviderName, route.ProviderModelId, task.Name, InferenceProviderPhase.Result, System.Net.HttpStatusCode.OK,
                    $"The {task.Name} answer could not be read as {typeof(TOutput).Name}: {exception.Message}", innerException: exception);
            }
        }
        catch (Exception exception)
        {
            operation.Failed(exception);
            throw;
        }
    }
}
