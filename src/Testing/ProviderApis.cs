using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HuggingFace.Inference.Testing;

/// <summary>An answer of the provider routes: a body, extra headers, or an event stream.</summary>
internal sealed record ProviderAnswer(int Status, string ContentType, byte[] Body)
{
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>SSE events to stream instead of <see cref="Body"/>.</summary>
    public IEnumerable<string>? Events { get; init; }

    public static ProviderAnswer Json(int status, JsonNode body) => new(status, "application/json", Encoding.UTF8.GetBytes(body.ToJsonString()));

    public static ProviderAnswer From((int Status, string ContentType, byte[] Body) answer) => new(answer.Status, answer.ContentType, answer.Body);
}

/// <summary>
/// The Hub's provider mapping, the router's auto chat route, and the providers' own APIs as the router
/// serves them at <c>/{provider}/…</c> (and, for direct calls with a provider key, at <c>/direct/{provider}/…</c>).
/// Shapes follow what huggingface_hub and huggingface.js send and read (see InferenceTestServer's remarks).
/// </summary>
internal sealed class ProviderApis(Func<Uri> baseUrl, ConcurrentDictionary<string, string> models)
{
    private const long Created = 1739000000;

    /// <summary>The fal queue host's stand-in for direct calls (<c>queue.fal.run</c> is another host than <c>fal.run</c>).</summary>
    public const string FalQueueHost = "fal-ai-queue";

    private static readonly HashSet<string> KnownProviders = new(StringComparer.Ordinal)
    {
        "baseten", "cerebras", "cohere", "deepinfra", "fal-ai", "featherless-ai", "fireworks-ai", "groq", "hf-inference",
        "novita", "nscale", "openai", "ovhcloud", "publicai", "replicate", "scaleway", "together", "wavespeed", "zai-org",
    };

    private const string Chat = "chat/completions";
    private const string Completions = "completions";
    private const string Embeddings = "embeddings";
    private const string Images = "images/generations";
    private const string Speech = "audio/speech";
    private const string Transcriptions = "audio/transcriptions";

    /// <summary>The OpenAI-compatible routes: the prefix before the operation and the operations each provider serves.</summary>
    private static readonly Dictionary<string, (string Prefix, string[] Operations)> OpenAiRoutes = new(StringComparer.Ordinal)
    {
        ["together"] = ("v1", [Chat, Completions, Embeddings, Images, Speech, Transcriptions]),
        ["fireworks-ai"] = ("inference/v1", [Chat]),
        ["groq"] = ("openai/v1", [Chat]),
        ["cerebras"] = ("v1", [Chat]),
        ["publicai"] = ("v1", [Chat]),
        ["baseten"] = ("v1", [Chat]),
        ["openai"] = ("v1", [Chat]),
        ["ovhcloud"] = ("v1", [Chat, Completions]),
        ["featherless-ai"] = ("v1", [Chat, Completions]),
        ["nscale"] = ("v1", [Chat, Images]),
        ["scaleway"] = ("v1", [Chat, Completions, Embeddings]),
        ["cohere"] = ("compatibility/v1", [Chat]),
        ["novita"] = ("v3/openai", [Chat, Completions]),
        ["deepinfra"] = ("v1/openai", [Chat, Completions, Embeddings, Images, Speech, Transcriptions]),
        ["zai-org"] = ("api/paas/v4", [Chat]),
    };

    private static readonly HashSet<string> FalAudioDataUrlTypes = new(StringComparer.OrdinalIgnoreCase) { "audio/mpeg", "audio/x-wav", "video/webm" };

    public ConcurrentDictionary<string, IReadOnlyList<ProviderMappingEntry>> Mappings { get; } = new(StringComparer.Ordinal);

    public bool MappingAsList { get; set; }

    public ProviderJobs Jobs { get; } = new(baseUrl);

    /// <summary>The answer for a provider, mapping or output route; null when the request is not one.</summary>
    public ProviderAnswer? Handle(RecordedRequest request)
    {
        var segments = request.Path.Trim('/').Split('/');
        if (request.Method == "GET" && segments is ["api", "models", _, ..] && segments.Length <= 4 && WantsMapping(request.Query))
        {
            return Mapping(Uri.UnescapeDataString(string.Join('/', segments[2..])), request.Query);
        }

        if (request.Method == "POST" && segments is ["v1", "chat", "completions"])
        {
            return RouterChat(request);
        }

        if (request.Method == "GET" && segments is ["outputs", var output])
        {
            return ProviderAnswer.From(Jobs.Download(request, output));
        }

        var direct = segments is ["direct", _, ..];
        var provider = direct ? segments[1] : segments[0];
        var rest = segments[(direct ? 2 : 1)..];

        // The providers' own result URLs, fetched as given (the server's root stands for their hosts).
        if (request.Method == "GET" && !direct && !KnownProviders.Contains(provider))
        {
            if (segments is ["v1", "predictions", var predictionId] && Jobs.Find(predictionId) is { Provider: "replicate" } prediction)
            {
                return ReplicatePoll(prediction);
            }

            if (segments is ["api", "v3", "predictions", var taskId, "result"] && Jobs.Find(taskId) is { Provider: "wavespeed" } wavespeedTask)
            {
                return WavespeedPoll(wavespeedTask);
            }
        }

        if (request.Method == "GET" && FalQueueRequest(segments) is { } falAnswer)
        {
            return falAnswer;
        }

        if (provider == FalQueueHost && direct)
        {
            return request.Method == "POST" ? FalSubmit(request, string.Join('/', rest), queue: true, HostBase(true, FalQueueHost)) : null;
        }

        if (!KnownProviders.Contains(provider) || provider == "hf-inference")
        {
            return null;
        }

        if (provider == "openai" && !direct)
        {
            return ProviderAnswer.Json(400, new JsonObject { ["error"] = "openai is not routed by Hugging Face: call it directly with an OpenAI key." });
        }

        var hostBase = HostBase(direct, provider);
        var path = string.Join('/', rest);
        if (OpenAiRoutes.TryGetValue(provider, out var openAi) && path.StartsWith(openAi.Prefix + "/", StringComparison.Ordinal))
        {
            var operation = path[(openAi.Prefix.Length + 1)..];
            if (openAi.Operations.Contains(operation))
            {
                return request.Method == "POST" ? OpenAiOperation(operation, request) : OpenAiError(405, "Method not allowed");
            }
        }

        return provider switch
        {
            "fal-ai" when request.Method == "POST" && rest.Length > 0 => FalSubmit(request, path, queue: QueryValue(request.Query, "_subdomain") == "queue", hostBase),
            "replicate" => Replicate(request, rest, hostBase),
            "together" => TogetherVideo(request, rest),
            "wavespeed" => Wavespeed(request, rest, hostBase),
            "novita" => Novita(request, rest),
            "zai-org" => Zai(request, rest),
            _ => null,
        };
    }

    private Uri HostBase(bool direct, string provider) => direct ? new Uri(baseUrl(), "direct/" + provider + "/") : baseUrl();

    // ---- Hub mapping ---------------------------------------------------------------------------------------------

    private static bool WantsMapping(string query)
    {
        var parsed = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
        return new[] { "expand[]", "expand" }.Any(key => parsed.TryGetValue(key, out var values) && values.Any(v => v == "inferenceProviderMapping"));
    }

    private static string? QueryValue(string query, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query).TryGetValue(name, out var values) ? values.ToString() : null;

    /// <summary>The mapping of a model: its <see cref="Mappings"/>, else one hf-inference entry for a served model, else null.</summary>
    public IReadOnlyList<ProviderMappingEntry>? MappingOf(string id)
    {
        if (Mappings.TryGetValue(id, out var entries))
        {
            return entries;
        }

        return models.TryGetValue(id, out var task) ? [new ProviderMappingEntry("hf-inference", id, HubTask(id, task))] : null;
    }

    /// <summary>The Hub's task name: chat models (instruct, chat, -it) say <c>conversational</c>.</summary>
    private static string HubTask(string id, string task) =>
        task == "text-generation" && (id.Contains("instruct", StringComparison.OrdinalIgnoreCase) || id.Contains("chat", StringComparison.OrdinalIgnoreCase) || id.EndsWith("-it", StringComparison.OrdinalIgnoreCase))
            ? "conversational"
            : task;

    private ProviderAnswer Mapping(string id, string query)
    {
        var entries = MappingOf(id);
        if (entries == null)
        {
            var missing = ProviderAnswer.Json(404, new JsonObject { ["error"] = "Repository not found" });
            missing.Headers["X-Error-Code"] = "RepoNotFound";
            missing.Headers["X-Error-Message"] = "Repository not found";
            return missing;
        }

        static JsonObject Entry(ProviderMappingEntry entry, bool withProvider)
        {
            var json = new JsonObject();
            if (withProvider)
            {
                json["provider"] = entry.Provider;
            }

            json["status"] = entry.Status;
            json["providerId"] = entry.ProviderId;
            json["task"] = entry.Task;
            if (entry.Adapter != null)
            {
                json["adapter"] = entry.Adapter;
            }

            if (entry.AdapterWeightsPath != null)
            {
                json["adapterWeightsPath"] = entry.AdapterWeightsPath;
            }

            return json;
        }

        JsonNode mapping;
        if (MappingAsList)
        {
            mapping = new JsonArray([.. entries.Select(e => (JsonNode)Entry(e, withProvider: true))]);
        }
        else
        {
            var byProvider = new JsonObject();
            foreach (var entry in entries)
            {
                byProvider[entry.Provider] = Entry(entry, withProvider: false);
            }

            mapping = byProvider;
        }

        var answer = new JsonObject
        {
            ["_id"] = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(id)))[..24],
            ["id"] = id,
        };
        var parsed = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
        var expand = parsed.Where(p => p.Key is "expand" or "expand[]").SelectMany(p => p.Value).ToHashSet(StringComparer.Ordinal);
        if (expand.Contains("pipeline_tag"))
        {
            answer["pipeline_tag"] = models.TryGetValue(id, out var tag) ? tag : entries.FirstOrDefault()?.Task switch { "conversational" => "text-generation", var t => t };
        }

        answer["inferenceProviderMapping"] = mapping;
        return ProviderAnswer.Json(200, answer);
    }

    // ---- Router auto chat ----------------------------------------------------------------------------------------

    private ProviderAnswer RouterChat(RecordedRequest request)
    {
        if (ParseObject(request) is not { } body)
        {
            return ProviderAnswer.From(TaskAnswers.Error(400, "A chat completion needs a JSON object body."));
        }

        if (body["messages"] is not JsonArray { Count: > 0 })
        {
            return ProviderAnswer.From(TaskAnswers.Error(422, "Input validation error: `messages` must not be empty"));
        }

        // The real router requires a model; an OpenAI-style base URL client may leave it out, so "local" stands in.
        var model = Str(body["model"]) ?? "local";
        var colon = model.LastIndexOf(':');
        var suffix = colon > 0 ? model[(colon + 1)..] : null;
        var id = colon > 0 ? model[..colon] : model;
        var entries = MappingOf(id) ?? [];
        var chat = entries.Where(e => e.Task == "conversational" && e.Status != "error").ToList();
        string provider;
        if (suffix is null or "fastest" or "cheapest" or "preferred")
        {
            provider = chat.FirstOrDefault()?.Provider ?? "hf-inference";
        }
        else if (!KnownProviders.Contains(suffix))
        {
            return ProviderAnswer.From(TaskAnswers.Error(400, $"Unknown provider or policy '{suffix}' in model '{model}'."));
        }
        else if (Mappings.ContainsKey(id) && chat.All(e => e.Provider != suffix))
        {
            return ProviderAnswer.From(TaskAnswers.Error(400, $"Model {id} is not supported by provider {suffix}."));
        }
        else
        {
            provider = suffix;
        }

        if (ToolChatAnswers.Invalid(body) is { } refused)
        {
            return ProviderAnswer.From(TaskAnswers.Error(400, refused));
        }

        var answer = body["stream"]?.GetValueKind() == JsonValueKind.True
            ? new ProviderAnswer(200, "text/event-stream", []) { Events = ChatAnswers.CompletionEvents(body, model) }
            : new ProviderAnswer(200, "application/json", ChatAnswers.Completion(body, model));
        answer.Headers["x-inference-provider"] = provider;
        return answer;
    }

    // ---- OpenAI-compatible providers -----------------------------------------------------------------------------

    private static ProviderAnswer OpenAiError(int status, string message, string? param = null) => ProviderAnswer.Json(status, new JsonObject
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["param"] = param, ["code"] = null },
    });

    private ProviderAnswer OpenAiOperation(string operation, RecordedRequest request)
    {
        if (operation == Transcriptions)
        {
            return Transcription(request);
        }

        if (ParseObject(request) is not { } body)
        {
            return OpenAiError(400, "The body must be a JSON object.");
        }

        if (Str(body["model"]) is not { } model)
        {
            return OpenAiError(400, "`model` is required.", "model");
        }

        var stream = body["stream"]?.GetValueKind() == JsonValueKind.True;
        switch (operation)
        {
            case Chat:
                if (body["messages"] is not JsonArray { Count: > 0 })
                {
                    return OpenAiError(400, "`messages` must be a non-empty list.", "messages");
                }

                if (ToolChatAnswers.Invalid(body) is { } refused)
                {
                    return OpenAiError(400, refused, "messages");
                }

                return stream
                    ? new ProviderAnswer(200, "text/event-stream", []) { Events = ChatAnswers.CompletionEvents(body, model) }
                    : new ProviderAnswer(200, "application/json", ChatAnswers.Completion(body, model));

            case Completions:
                if (Str(body["prompt"]) is not { } prompt)
                {
                    return OpenAiError(400, "`prompt` is required.", "prompt");
                }

                var text = ChatAnswers.Generated(new JsonObject { ["inputs"] = prompt });
                return stream
                    ? new ProviderAnswer(200, "text/event-stream", []) { Events = CompletionEvents(model, text) }
                    : ProviderAnswer.Json(200, new JsonObject
                    {
                        ["id"] = "cmpl-local",
                        ["object"] = "text_completion",
                        ["created"] = Created,
                        ["model"] = model,
                        ["choices"] = new JsonArray(new JsonObject { ["text"] = text, ["index"] = 0, ["logprobs"] = null, ["finish_reason"] = "length", ["seed"] = 42 }),
                        ["usage"] = new JsonObject { ["prompt_tokens"] = 3, ["completion_tokens"] = 9, ["total_tokens"] = 12 },
                    });

            case Embeddings:
                var input = body["input"];
                var texts = input is JsonArray many ? many.Select(Str).ToList() : [Str(input)];
                if (texts.Count == 0 || texts.Any(t => t == null))
                {
                    return OpenAiError(400, "`input` must be a string or a list of strings.", "input");
                }

                var data = new JsonArray();
                for (var i = 0; i < texts.Count; i++)
                {
                    data.Add(new JsonObject { ["object"] = "embedding", ["embedding"] = Vector(texts[i]!), ["index"] = i });
                }

                return ProviderAnswer.Json(200, new JsonObject
                {
                    ["object"] = "list",
                    ["data"] = data,
                    ["model"] = model,
                    ["usage"] = new JsonObject { ["prompt_tokens"] = texts.Count * 4, ["total_tokens"] = texts.Count * 4 },
                });

            case Images:
                if (Str(body["prompt"]) is null)
                {
                    return OpenAiError(400, "`prompt` is required.", "prompt");
                }

                var tag = ProviderMedia.SourceText(body);
                var image = new JsonObject { ["index"] = 0, ["timings"] = new JsonObject { ["inference"] = 10 } };
                if (Str(body["response_format"]) is "base64" or "b64_json")
                {
                    image["b64_json"] = Convert.ToBase64String(ProviderMedia.Png(ProviderMedia.Tag(tag)));
                }
                else
                {
                    image["url"] = Jobs.AddOutput("text-to-image", tag).ToString();
                }

                return ProviderAnswer.Json(200, new JsonObject { ["id"] = "img-local", ["model"] = model, ["object"] = "list", ["data"] = new JsonArray(image) });

            case Speech:
                return Str(body["input"]) is { } speech
                    ? new ProviderAnswer(200, "audio/wav", ProviderMedia.Wav(ProviderMedia.Tag(speech)))
                    : OpenAiError(400, "`input` is required.", "input");
        }

        return OpenAiError(404, $"No operation {operation}.");
    }

    private static IEnumerable<string> CompletionEvents(string model, string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            var last = i == words.Length - 1;
            var chunk = new JsonObject
            {
                ["id"] = "cmpl-local",
                ["object"] = "text_completion",
                ["created"] = Created,
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject { ["text"] = " " + words[i], ["index"] = 0, ["logprobs"] = null, ["finish_reason"] = last ? "length" : null }),
            };
            yield return "data: " + chunk.ToJsonString() + "\n\n";
        }

        yield return "data: [DONE]\n\n";
    }

    /// <summary>Multipart <c>file</c> + <c>model</c> (together, deepinfra) → <c>{text, segments}</c>.</summary>
    private static ProviderAnswer Transcription(RecordedRequest request)
    {
        var text = request.BodyText;
        if (request.ContentType != "multipart/form-data" || !text.Contains("name=\"file\"", StringComparison.Ordinal))
        {
            return OpenAiError(400, "A transcription needs a multipart/form-data body with a `file` part.", "file");
        }

        if (!text.Contains("name=\"model\"", StringComparison.Ordinal))
        {
            return OpenAiError(400, "`model` is required.", "model");
        }

        const string transcript = "hello from the local server";
        return ProviderAnswer.Json(200, new JsonObject
        {
            ["text"] = transcript,
            ["language"] = "en",
            ["duration"] = 1.5,
            ["segments"] = new JsonArray(new JsonObject { ["id"] = 0, ["start"] = 0.0, ["end"] = 1.5, ["text"] = transcript }),
        });
    }

    // ---- fal-ai --------------------------------------------------------------------------------------------------

    /// <summary>fal's app id: the providerId's first two segments (<c>fal-ai/flux/dev</c> → <c>fal-ai/flux</c>).</summary>
    private static string FalApp(string providerId) => string.Join('/', providerId.Split('/').Take(2));

    private string FalTask(string providerId, JsonObject body, bool queue)
    {
        if (TaskOf("fal-ai", providerId) is { } mapped)
        {
            return mapped switch
            {
                "image-text-to-image" => body["image_url"] != null ? "image-to-image" : "text-to-image",
                "image-text-to-video" => body["image_url"] != null ? "image-to-video" : "text-to-video",
                _ => mapped,
            };
        }

        var video = providerId.Contains("video", StringComparison.OrdinalIgnoreCase);
        return body switch
        {
            _ when body["audio_url"] != null => queue ? "audio-to-audio" : "automatic-speech-recognition",
            _ when body["text"] != null && body["prompt"] == null => "text-to-speech",
            _ when body["image_url"] != null && body["sync_mode"]?.GetValueKind() == JsonValueKind.True => "image-segmentation",
            _ when body["image_url"] != null || body["image_urls"] != null => video ? "image-to-video" : "image-to-image",
            _ when video => "text-to-video",
            _ when providerId.Contains("audio", StringComparison.OrdinalIgnoreCase) || providerId.Contains("music", StringComparison.OrdinalIgnoreCase) => "text-to-audio",
            _ => "text-to-image",
        };
    }

    private static ProviderAnswer FalError(int status, string detail) => ProviderAnswer.Json(status, new JsonObject { ["detail"] = detail });

    /// <summary>Checks a fal request body for its task; null when it is acceptable.</summary>
    private static ProviderAnswer? FalValidate(string task, JsonObject body)
    {
        string? Missing(string field) => body[field] == null ? field : null;
        var missing = task switch
        {
            "automatic-speech-recognition" or "audio-to-audio" => Missing("audio_url"),
            "text-to-speech" => Missing("text"),
            "image-to-image" or "image-to-video" or "image-segmentation" => body["image_url"] == null && body["image_urls"] == null ? "image_url" : null,
            _ => Missing("prompt"),
        };
        if (missing != null)
        {
            return ProviderAnswer.Json(422, new JsonObject
            {
                ["detail"] = new JsonArray(new JsonObject { ["loc"] = new JsonArray("body", missing), ["msg"] = "field required", ["type"] = "value_error.missing" }),
            });
        }

        if (Str(body["audio_url"]) is { } audio && audio.StartsWith("data:", StringComparison.Ordinal))
        {
            var mime = audio[5..].Split([';', ','])[0];
            if (!FalAudioDataUrlTypes.Contains(mime))
            {
                return FalError(400, "Unsupported data URL");
            }
        }

        return null;
    }

    private ProviderAnswer FalSubmit(RecordedRequest request, string providerId, bool queue, Uri hostBase)
    {
        if (ParseObject(request) is not { } body)
        {
            return FalError(422, "The body must be a JSON object.");
        }

        var task = FalTask(providerId, body, queue);
        if (FalValidate(task, body) is { } invalid)
        {
            return invalid;
        }

        if (!queue)
        {
            var output = Jobs.AddOutput(task, ProviderMedia.SourceText(body));
            return ProviderAnswer.Json(200, FalResult(task, body, output));
        }

        var job = Jobs.Add("fal-ai", providerId, task, hostBase, body);
        var responseUrl = new Uri(hostBase, $"{FalApp(providerId)}/requests/{job.Id}");
        return ProviderAnswer.Json(200, new JsonObject
        {
            ["status"] = "IN_QUEUE",
            ["request_id"] = job.Id,
            ["response_url"] = responseUrl.ToString(),
            ["status_url"] = responseUrl + "/status",
            ["cancel_url"] = responseUrl + "/cancel",
            ["queue_position"] = Jobs.QueuePosition(job),
        });
    }

    /// <summary>GET <c>…/{app}/requests/{id}[/status]</c> of a known fal queue request, under any prefix that ends with its app.</summary>
    private ProviderAnswer? FalQueueRequest(string[] segments)
    {
        var at = Array.LastIndexOf(segments, "requests");
        if (at < 1 || at + 1 >= segments.Length || Jobs.Find(segments[at + 1]) is not { Provider: "fal-ai" } job)
        {
            return null;
        }

        var tail = segments[(at + 2)..];
        var app = FalApp(job.ProviderId).Split('/');
        if (at < app.Length || !segments[(at - app.Length)..at].SequenceEqual(app) || tail is not ([] or ["status"]))
        {
            return FalError(404, $"Request {job.Id} not found for this app.");
        }

        var responseUrl = new Uri(job.HostBase, $"{FalApp(job.ProviderId)}/requests/{job.Id}").ToString();
        if (tail is ["status"])
        {
            var phase = Jobs.Poll(job);
            var status = new JsonObject
            {
                ["status"] = phase switch { JobPhase.Queued => "IN_QUEUE", JobPhase.Running => "IN_PROGRESS", _ => "COMPLETED" },
            };
            if (phase == JobPhase.Queued)
            {
                // The place in the queue shrinks as the job is polled, reaching 0 on its last queued poll.
                status["queue_position"] = Jobs.QueuePosition(job);
            }

            status["response_url"] = responseUrl;
            status["logs"] = null;
            if (phase == JobPhase.Failed)
            {
                status["error"] = job.Failure;
            }
            else if (phase == JobPhase.Done)
            {
                status["metrics"] = new JsonObject { ["inference_time"] = 0.01 };
            }

            return ProviderAnswer.Json(200, status);
        }

        if (!job.Finished)
        {
            return FalError(400, "Request is still in progress");
        }

        return job.Failure != null ? FalError(500, job.Failure) : ProviderAnswer.Json(200, FalResult(job.Task, job.Body, job.Outputs[0]));
    }

    private static JsonObject FalResult(string task, JsonObject body, Uri output)
    {
        var size = body["image_size"] as JsonObject;
        var width = size?["width"]?.DeepClone() ?? 1024;
        var height = size?["height"]?.DeepClone() ?? 768;
        JsonObject File(string contentType) => new()
        {
            ["url"] = output.ToString(),
            ["content_type"] = contentType,
            ["file_name"] = output.Segments[^1],
        };

        switch (task)
        {
            case "automatic-speech-recognition":
                const string transcript = "hello from the local server";
                return new JsonObject { ["text"] = transcript, ["chunks"] = new JsonArray(new JsonObject { ["timestamp"] = new JsonArray(0.0, 1.5), ["text"] = transcript }) };
            case "text-to-speech":
                return new JsonObject { ["audio"] = File("audio/wav") };
            case "text-to-audio":
                return new JsonObject { ["audio_file"] = File("audio/wav") };
            case "audio-to-audio":
                return new JsonObject { ["audio"] = File("audio/wav"), ["text"] = "speech" };
            case "text-to-video":
            case "image-to-video":
                return new JsonObject { ["video"] = File("video/mp4"), ["seed"] = 42 };
            case "image-segmentation":
                var mask = body["sync_mode"]?.GetValueKind() == JsonValueKind.True
                    ? "data:image/png;base64," + Convert.ToBase64String(ProviderMedia.Png(ProviderMedia.Tag(ProviderMedia.SourceText(body))))
                    : output.ToString();
                return new JsonObject { ["image"] = new JsonObject { ["url"] = mask, ["content_type"] = "image/png", ["width"] = 1, ["height"] = 1 } };
            default:
                var image = File("image/png");
                image["width"] = width;
                image["height"] = height;
                return new JsonObject
                {
                    ["images"] = new JsonArray(image),
                    ["timings"] = new JsonObject { ["inference"] = 0.01 },
                    ["seed"] = 42,
                    ["has_nsfw_concepts"] = new JsonArray(false),
                    ["prompt"] = body["prompt"]?.DeepClone(),
                };
        }
    }

    // ---- replicate -----------------------------------------------------------------------------------------------

    private static readonly HashSet<string> ReplicateTopLevel = new(StringComparer.Ordinal) { "input", "version", "webhook", "webhook_events_filter", "stream" };

    private static ProviderAnswer ReplicateError(int status, string title, string detail) => new(status, "application/problem+json", Encoding.UTF8.GetBytes(new JsonObject
    {
        ["detail"] = detail,
        ["status"] = status,
        ["title"] = title,
    }.ToJsonString()));

    private ProviderAnswer? Replicate(RecordedRequest request, string[] rest, Uri hostBase)
    {
        if (request.Method == "GET" && rest is ["v1", "predictions", var id])
        {
            return Jobs.Find(id) is { Provider: "replicate" } found ? ReplicatePoll(found) : ReplicateError(404, "Not found", "The requested resource could not be found.");
        }

        if (request.Method != "POST")
        {
            return null;
        }

        string providerId;
        if (rest is ["v1", "models", var owner, var name, "predictions"])
        {
            providerId = owner + "/" + name;
        }
        else if (rest is ["v1", "predictions"])
        {
            providerId = string.Empty;
        }
        else
        {
            return null;
        }

        if (ParseObject(request) is not { } body)
        {
            return ReplicateError(400, "Invalid JSON", "The body must be a JSON object.");
        }

        if (body.Select(p => p.Key).FirstOrDefault(k => !ReplicateTopLevel.Contains(k)) is { } extra)
        {
            return ReplicateError(422, "Input validation failed", $"- Additional property {extra} is not allowed\n");
        }

        if (body["input"] is not JsonObject input)
        {
            return ReplicateError(422, "Input validation failed", "- input is required\n");
        }

        if (providerId.Length == 0)
        {
            if (Str(body["version"]) is not { } version)
            {
                return ReplicateError(422, "Input validation failed", "- version is required\n");
            }

            providerId = Mappings.Values.SelectMany(e => e).FirstOrDefault(e => e.Provider == "replicate" && e.ProviderId.EndsWith(":" + version, StringComparison.Ordinal))?.ProviderId ?? "local/model:" + version;
        }

        var task = TaskOf("replicate", providerId) ?? TaskOf("replicate", providerId.Split(':')[0]) ?? input switch
        {
            _ when input["audio"] != null => "automatic-speech-recognition",
            _ when input["text"] != null && input["prompt"] == null => "text-to-speech",
            _ when input["image"] != null || input["input_image"] != null => "image-to-image",
            _ when providerId.Contains("video", StringComparison.OrdinalIgnoreCase) => "text-to-video",
            _ => "text-to-image",
        };
        var job = Jobs.Add("replicate", providerId, task, hostBase, body, raw => raw[..26]);
        var wait = request.Header("prefer")?.Contains("wait", StringComparison.OrdinalIgnoreCase) == true;
        var status = 201;
        if (wait && !Jobs.NeverFinishes && (Math.Max(0, Jobs.PollsBeforeDone) == 0 || Jobs.Failure != null))
        {
            Jobs.Finish(job);
        }
        else if (wait && !Jobs.NeverFinishes)
        {
            job.SubmitPhase = JobPhase.Running;
        }
        else if (wait)
        {
            status = 202;
        }

        return ReplicatePrediction(job, job.Finished ? job.FinalPhase : job.SubmitPhase, status);
    }

    private ProviderAnswer ReplicatePoll(ProviderJob job)
    {
        var phase = Jobs.Poll(job);
        return ReplicatePrediction(job, phase == JobPhase.Queued && job.SubmitPhase == JobPhase.Running ? JobPhase.Running : phase, 200);
    }

    /// <summary>A prediction: <c>starting</c> without output, <c>processing</c> with the output already (as Prefer: wait answers), <c>succeeded</c>, <c>failed</c>.</summary>
    private static ProviderAnswer ReplicatePrediction(ProviderJob job, JobPhase phase, int status)
    {
        var get = new Uri(job.HostBase, "v1/predictions/" + job.Id).ToString();
        var colon = job.ProviderId.IndexOf(':');
        JsonNode? output = phase is JobPhase.Running or JobPhase.Done ? job.Task switch
        {
            "automatic-speech-recognition" => "hello from the local server",
            "text-to-image" or "image-to-image" => new JsonArray(job.Outputs[0].ToString()),
            _ => job.Outputs[0].ToString(),
        } : null;
        var prediction = new JsonObject
        {
            ["id"] = job.Id,
            ["model"] = colon > 0 ? job.ProviderId[..colon] : job.ProviderId,
            ["version"] = colon > 0 ? job.ProviderId[(colon + 1)..] : "dp-local",
            ["input"] = job.Body["input"]?.DeepClone(),
            ["logs"] = string.Empty,
            ["output"] = output,
            ["data_removed"] = false,
            ["error"] = phase == JobPhase.Failed ? job.Failure : null,
            ["status"] = phase switch { JobPhase.Queued => "starting", JobPhase.Running => "processing", JobPhase.Done => "succeeded", _ => "failed" },
            ["created_at"] = job.Created.ToString("O", CultureInfo.InvariantCulture),
            ["urls"] = new JsonObject { ["cancel"] = get + "/cancel", ["get"] = get },
        };
        if (phase is JobPhase.Done or JobPhase.Failed)
        {
            prediction["completed_at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            prediction["metrics"] = new JsonObject { ["predict_time"] = 0.01 };
        }

        return ProviderAnswer.Json(status, prediction);
    }

    // ---- together video ------------------------------------------------------------------------------------------

    private ProviderAnswer? TogetherVideo(RecordedRequest request, string[] rest)
    {
        if (request.Method == "POST" && rest is ["v2", "videos"])
        {
            if (ParseObject(request) is not { } body || Str(body["model"]) is not { } model)
            {
                return OpenAiError(400, "`model` is required.", "model");
            }

            if (body["prompt"] == null && body["frame_images"] is not JsonArray { Count: > 0 })
            {
                return OpenAiError(400, "`prompt` or `frame_images` is required.", "prompt");
            }

            var task = body["frame_images"] != null ? "image-to-video" : "text-to-video";
            var job = Jobs.Add("together", model, task, baseUrl(), body, raw => "video_" + raw[..20]);
            return ProviderAnswer.Json(200, TogetherJob(job, JobPhase.Queued));
        }

        if (request.Method == "GET" && rest is ["v2", "videos", var id])
        {
            return Jobs.Find(id) is { Provider: "together" } job
                ? ProviderAnswer.Json(200, TogetherJob(job, Jobs.Poll(job)))
                : OpenAiError(404, $"Video job {id} not found.");
        }

        return null;
    }

    private static JsonObject TogetherJob(ProviderJob job, JobPhase phase)
    {
        var answer = new JsonObject
        {
            ["id"] = job.Id,
            ["object"] = "video",
            ["model"] = job.ProviderId,
            ["status"] = phase switch { JobPhase.Queued => "queued", JobPhase.Running => "in_progress", JobPhase.Done => "completed", _ => "failed" },
            ["created_at"] = job.Created.ToUnixTimeSeconds(),
        };
        if (phase == JobPhase.Done)
        {
            answer["outputs"] = new JsonObject { ["video_url"] = job.Outputs[0].ToString(), ["cost"] = 0 };
        }
        else if (phase == JobPhase.Failed)
        {
            answer["error"] = new JsonObject { ["message"] = job.Failure, ["code"] = "generation_failed" };
        }

        return answer;
    }

    // ---- wavespeed -----------------------------------------------------------------------------------------------

    private static ProviderAnswer WavespeedError(int status, string message) => ProviderAnswer.Json(status, new JsonObject { ["code"] = status, ["message"] = message });

    private ProviderAnswer? Wavespeed(RecordedRequest request, string[] rest, Uri hostBase)
    {
        if (request.Method == "GET" && rest is ["api", "v3", "predictions", var id, "result"])
        {
            return Jobs.Find(id) is { Provider: "wavespeed" } found ? WavespeedPoll(found) : WavespeedError(404, $"Task {id} not found");
        }

        if (request.Method != "POST" || rest.Length < 3 || rest[0] != "api" || rest[1] != "v3" || rest[2] == "predictions")
        {
            return null;
        }

        var providerId = string.Join('/', rest[2..]);
        if (ParseObject(request) is not { } body)
        {
            return WavespeedError(400, "The body must be a JSON object.");
        }

        if (body["prompt"] == null && body["image"] == null)
        {
            return WavespeedError(400, "prompt is required");
        }

        var video = providerId.Contains("video", StringComparison.OrdinalIgnoreCase) || providerId.Contains("t2v", StringComparison.OrdinalIgnoreCase) || providerId.Contains("i2v", StringComparison.OrdinalIgnoreCase);
        var task = TaskOf("wavespeed", providerId) ?? (body["image"] != null ? (video ? "image-to-video" : "image-to-image") : video ? "text-to-video" : "text-to-image");
        var job = Jobs.Add("wavespeed", providerId, task, hostBase, body);
        return WavespeedAnswer(job, JobPhase.Queued);
    }

    private ProviderAnswer WavespeedPoll(ProviderJob job) => WavespeedAnswer(job, Jobs.Poll(job));

    private static ProviderAnswer WavespeedAnswer(ProviderJob job, JobPhase phase) => ProviderAnswer.Json(200, new JsonObject
    {
        ["code"] = 200,
        ["message"] = "success",
        ["data"] = new JsonObject
        {
            ["id"] = job.Id,
            ["model"] = job.ProviderId,
            ["outputs"] = phase == JobPhase.Done ? new JsonArray(job.Outputs[0].ToString()) : new JsonArray(),
            ["urls"] = new JsonObject { ["get"] = new Uri(job.HostBase, $"api/v3/predictions/{job.Id}/result").ToString() },
            ["has_nsfw_contents"] = phase == JobPhase.Done ? new JsonArray(false) : new JsonArray(),
            ["status"] = phase switch { JobPhase.Queued => "created", JobPhase.Running => "processing", JobPhase.Done => "completed", _ => "failed" },
            ["created_at"] = job.Created.ToString("O", CultureInfo.InvariantCulture),
            ["error"] = phase == JobPhase.Failed ? job.Failure : string.Empty,
            ["executionTime"] = phase == JobPhase.Done ? 10 : 0,
            ["timings"] = new JsonObject { ["inference"] = phase == JobPhase.Done ? 10 : 0 },
        },
    });

    // ---- novita --------------------------------------------------------------------------------------------------

    private static ProviderAnswer NovitaError(int status, string reason, string message) => ProviderAnswer.Json(status, new JsonObject { ["code"] = status, ["reason"] = reason, ["message"] = message });

    private ProviderAnswer? Novita(RecordedRequest request, string[] rest)
    {
        if (request.Method == "GET" && rest is ["v3", "async", "task-result"])
        {
            var id = QueryValue(request.Query, "task_id");
            if (string.IsNullOrEmpty(id))
            {
                return NovitaError(400, "INVALID_REQUEST_BODY", "task_id is required");
            }

            return Jobs.Find(id) is { Provider: "novita" } found ? NovitaTask(found, Jobs.Poll(found)) : NovitaError(404, "TASK_NOT_FOUND", $"task {id} not found");
        }

        if (request.Method != "POST" || rest.Length < 3 || rest[0] != "v3" || rest[1] is not ("async" or "hf"))
        {
            return null;
        }

        var providerId = string.Join('/', rest[2..]);
        if (ParseObject(request) is not { } body || Str(body["prompt"]) is null)
        {
            return NovitaError(400, "INVALID_REQUEST_BODY", "prompt is required");
        }

        if (rest[1] == "hf")
        {
            // huggingface_hub's synchronous text-to-video: the video in the answer.
            var url = Jobs.AddOutput("text-to-video", ProviderMedia.SourceText(body));
            return ProviderAnswer.Json(200, new JsonObject { ["video"] = new JsonObject { ["video_url"] = url.ToString(), ["video_url_ttl"] = "3600", ["video_type"] = "mp4" } });
        }

        var job = Jobs.Add("novita", providerId, TaskOf("novita", providerId) ?? "text-to-video", baseUrl(), body);
        return ProviderAnswer.Json(200, new JsonObject { ["task_id"] = job.Id });
    }

    private static ProviderAnswer NovitaTask(ProviderJob job, JobPhase phase) => ProviderAnswer.Json(200, new JsonObject
    {
        ["extra"] = new JsonObject { ["seed"] = "42" },
        ["task"] = new JsonObject
        {
            ["task_id"] = job.Id,
            ["task_type"] = "TXT_TO_VIDEO",
            ["status"] = phase switch { JobPhase.Queued => "TASK_STATUS_QUEUED", JobPhase.Running => "TASK_STATUS_PROCESSING", JobPhase.Done => "TASK_STATUS_SUCCEED", _ => "TASK_STATUS_FAILED" },
            ["reason"] = phase == JobPhase.Failed ? job.Failure : string.Empty,
            ["eta"] = 0,
            ["progress_percent"] = phase switch { JobPhase.Queued => 0, JobPhase.Running => 50, _ => 100 },
        },
        ["images"] = new JsonArray(),
        ["videos"] = phase == JobPhase.Done ? new JsonArray(new JsonObject { ["video_url"] = job.Outputs[0].ToString(), ["video_url_ttl"] = "3600", ["video_type"] = "mp4" }) : new JsonArray(),
        ["audios"] = new JsonArray(),
    });

    // ---- zai-org -------------------------------------------------------------------------------------------------

    private static ProviderAnswer ZaiError(int status, string code, string message) => ProviderAnswer.Json(status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    private ProviderAnswer? Zai(RecordedRequest request, string[] rest)
    {
        if (request.Method == "POST" && rest is ["api", "paas", "v4", "async", "images", "generations"])
        {
            if (ParseObject(request) is not { } body || Str(body["model"]) is not { } model || Str(body["prompt"]) is null)
            {
                return ZaiError(400, "1214", "model and prompt are required");
            }

            var job = Jobs.Add("zai-org", model, "text-to-image", baseUrl(), body);
            return ProviderAnswer.Json(200, ZaiResult(job, JobPhase.Queued));
        }

        if (request.Method == "GET" && rest is ["api", "paas", "v4", "async-result", var id])
        {
            return Jobs.Find(id) is { Provider: "zai-org" } job ? ProviderAnswer.Json(200, ZaiResult(job, Jobs.Poll(job))) : ZaiError(404, "1210", $"Task {id} not found");
        }

        if (request.Method == "POST" && rest is ["api", "paas", "v4", "layout_parsing"])
        {
            if (ParseObject(request) is not { } body || Str(body["model"]) is not { } model || Str(body["file"]) is null)
            {
                return ZaiError(400, "1214", "model and file are required");
            }

            return ProviderAnswer.Json(200, new JsonObject { ["id"] = "layout-local", ["created"] = Created, ["model"] = model, ["md_results"] = "# Invoice\n\nTotal: 42.00", ["layout_details"] = new JsonArray() });
        }

        return null;
    }

    private static JsonObject ZaiResult(ProviderJob job, JobPhase phase)
    {
        var answer = new JsonObject
        {
            ["id"] = job.Id,
            ["request_id"] = "req-" + job.Id[..12],
            ["model"] = job.ProviderId,
            ["task_status"] = phase switch { JobPhase.Done => "SUCCESS", JobPhase.Failed => "FAIL", _ => "PROCESSING" },
        };
        if (phase == JobPhase.Done)
        {
            answer["image_result"] = new JsonArray(new JsonObject { ["url"] = job.Outputs[0].ToString() });
        }
        else if (phase == JobPhase.Failed)
        {
            answer["error"] = new JsonObject { ["code"] = "1301", ["message"] = job.Failure };
        }

        return answer;
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /// <summary>The task of a provider's model in the mapping, or null.</summary>
    private string? TaskOf(string provider, string providerId) =>
        Mappings.Values.SelectMany(entries => entries).FirstOrDefault(e => e.Provider == provider && e.ProviderId == providerId)?.Task;

    private static JsonObject? ParseObject(RecordedRequest request)
    {
        if (request.ContentType is not ("application/json" or null) || request.Body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(request.Body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Str(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>The vector hf-inference's feature-extraction answers for the text.</summary>
    private static JsonNode Vector(string text)
    {
        var request = new RecordedRequest("POST", "/", "/", string.Empty, new Dictionary<string, string> { ["content-type"] = "application/json" }, Encoding.UTF8.GetBytes(new JsonObject { ["inputs"] = text }.ToJsonString()));
        return JsonNode.Parse(TaskAnswers.Answer("feature-extraction", request).Body)!;
    }
}
