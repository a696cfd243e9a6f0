using System;
using System.Collections.Generic;

namespace HuggingFace.Inference.Providers;

/// <summary>How a provider's direct calls authenticate.</summary>
internal enum ProviderAuthScheme
{
    /// <summary><c>Authorization: Bearer &lt;key&gt;</c>.</summary>
    Bearer,

    /// <summary><c>Authorization: Key &lt;key&gt;</c> (fal).</summary>
    Key,
}

/// <summary>How a provider's request body is built from the task's input (specs/providers/README.md, "Wire forms").</summary>
internal enum ProviderRequestForm
{
    HfInference,
    OpenAiChat,
    OpenAiCompletion,
    OpenAiEmbeddings,
    OpenAiImage,
    OpenAiSpeech,
    OpenAiTranscription,
    Fal,
    Replicate,
    TogetherVideo,
    NovitaVideo,
    Wavespeed,
    ZaiImage,
    ZaiOcr,
}

/// <summary>How a provider's answer is read into the task's generated output type.</summary>
internal enum ProviderAnswerForm
{
    HfInference,
    OpenAiChat,
    OpenAiCompletion,
    OpenAiEmbeddings,
    OpenAiImage,
    Bytes,
    OpenAiTranscription,
    Fal,
    Replicate,
    TogetherVideo,
    NovitaVideo,
    Wavespeed,
    ZaiImage,
    ZaiOcr,
}

/// <summary>The asynchronous pattern of a provider's task: none, or how its job is polled.</summary>
internal enum ProviderJobForm
{
    None,
    FalQueue,
    Replicate,
    TogetherVideo,
    NovitaAsync,
    ZaiAsync,
    Wavespeed,
}

/// <summary>How a chat request's <c>response_format</c> of type <c>json_schema</c> is rewritten for a provider.</summary>
internal enum ChatResponseFormatRewrite
{
    /// <summary>Sent as written (OpenAI's form).</summary>
    Keep,

    /// <summary><c>{type: json_object, value: schema}</c> (hf-inference / TGI).</summary>
    JsonObjectValue,

    /// <summary><c>{type: json_schema, schema}</c> (together).</summary>
    JsonSchemaFlat,

    /// <summary><c>{type: json_object, schema}</c> (fireworks-ai, cohere).</summary>
    JsonObjectSchema,
}

/// <summary>One (provider, task) pair of the registry: where the request goes and how it is formed and read.</summary>
/// <param name="Task">Our task name (<c>text-to-image</c>, <c>chat-completion</c>).</param>
/// <param name="Route">The route template, with <c>{providerId}</c> and <c>{model}</c>.</param>
/// <param name="Request">How the request body is formed.</param>
/// <param name="Answer">How the answer is read.</param>
/// <param name="Job">Whether and how the answer is a queued job to poll.</param>
/// <param name="PollRoute">The route template of a job's status (with <c>{id}</c>), or null.</param>
/// <param name="Body">Constant members merged into the body (JSON text of an object), or null.</param>
/// <param name="Renames">Parameter renames, <c>"from=to"</c>.</param>
/// <param name="ResponseFormat">How a chat <c>response_format</c> is rewritten for the provider.</param>
internal sealed record ProviderTaskSpec(
    string Task,
    string Route,
    ProviderRequestForm Request,
    ProviderAnswerForm Answer,
    ProviderJobForm Job,
    string? PollRoute,
    string? Body,
    IReadOnlyList<string> Renames,
    ChatResponseFormatRewrite ResponseFormat);

/// <summary>One provider of the registry, generated from specs/providers/{name}.json.</summary>
/// <param name="Name">The name users write (<c>fal-ai</c>).</param>
/// <param name="BaseUrl">The provider's own API, for direct calls.</param>
/// <param name="QueueBaseUrl">The direct base of queued jobs, or null.</param>
/// <param name="Auth">How direct calls authenticate.</param>
/// <param name="Headers">Headers sent with every call to the provider, <c>"name: value"</c>.</param>
/// <param name="DirectOnly">True when the router does not serve it (only a provider key works).</param>
/// <param name="Tasks">The tasks it serves, in the spec's order.</param>
internal sealed record ProviderSpec(
    string Name,
    Uri BaseUrl,
    Uri? QueueBaseUrl,
    ProviderAuthScheme Auth,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    bool DirectOnly,
    IReadOnlyList<ProviderTaskSpec> Tasks)
{
    /// <summary>The task's entry, or null when the provider does not serve it.</summary>
    public ProviderTaskSpec? Find(string task)
    {
        foreach (var entry in Tasks)
        {
            if (string.Equals(entry.Task, task, StringComparison.Ordinal))
            {
                return entry;
            }
        }

        return null;
    }
}
