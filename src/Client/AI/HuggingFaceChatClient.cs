using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Serialization;
using Microsoft.Extensions.AI;

namespace HuggingFace.Inference.AI;

/// <summary>
/// <see cref="IChatClient"/> (Microsoft.Extensions.AI) over an <see cref="InferenceClient"/>'s chat
/// completion: messages of every role, images, tools and tool calls, response formats, usage and
/// finish reasons, streamed or not. The <see cref="InferenceClient"/> is not owned.
/// </summary>
public sealed class HuggingFaceChatClient : IChatClient
{
    private readonly InferenceClient _client;
    private readonly string? _model;

    /// <summary>A chat client over <paramref name="client"/>, with <paramref name="model"/> unless <see cref="ChatOptions.ModelId"/> says otherwise.</summary>
    public HuggingFaceChatClient(InferenceClient client, string? model = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _model = model;
        var options = client.Options;
        var defaultModel = model ?? options.Model;
        Metadata = new ChatClientMetadata("huggingface", options.BaseUrl ?? (defaultModel != null && Uri.TryCreate(defaultModel, UriKind.Absolute, out var url) ? url : options.RouterUrl), defaultModel);
    }

    /// <summary>The provider ("huggingface"), its URL, and the default model.</summary>
    public ChatClientMetadata Metadata { get; }

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var output = await _client.ChatCompletionAsync(ToRequest(messages, options), cancellationToken).ConfigureAwait(false);
        var choice = output.Choices.Count > 0 ? output.Choices[0] : null;
        var contents = new List<AIContent>();
        if (!string.IsNullOrEmpty(choice?.Message.Content))
        {
            contents.Add(new TextContent(choice!.Message.Content));
        }

        foreach (var call in choice?.Message.ToolCalls ?? [])
        {
            contents.Add(new FunctionCallContent(call.Id, call.Function.Name, ParseArguments(call.Function.Arguments)));
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents) { RawRepresentation = choice?.Message })
        {
            ResponseId = output.Id,
            ModelId = output.Model,
            CreatedAt = DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(output.Created, long.MaxValue)),
            FinishReason = FinishReason(choice?.FinishReason),
            Usage = output.Usage == null ? null : new UsageDetails { InputTokenCount = output.Usage.PromptTokens, OutputTokenCount = output.Usage.CompletionTokens, TotalTokenCount = output.Usage.TotalTokens },
            RawRepresentation = output,
        };
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Usage arrives as a last chunk when asked for; Microsoft.Extensions.AI reports it as UsageContent.
        var request = ToRequest(messages, options) with { StreamOptions = new ChatCompletionInputStreamOptions { IncludeUsage = true } };
        var calls = new SortedDictionary<int, (string Id, string Name, StringBuilder Arguments)>();
        await foreach (var chunk in _client.ChatCompletionStreamAsync(request, cancellationToken).ConfigureAwait(false))
        {
            var update = new ChatResponseUpdate
            {
                ResponseId = chunk.Id,
                ModelId = chunk.Model,
                CreatedAt = DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(chunk.Created, long.MaxValue)),
                Role = ChatRole.Assistant,
                RawRepresentation = chunk,
            };
            if (chunk.Usage is { } usage)
            {
                update.Contents.Add(new UsageContent(new UsageDetails { InputTokenCount = usage.PromptTokens, OutputTokenCount = usage.CompletionTokens, TotalTokenCount = usage.TotalTokens }));
            }

            var choice = chunk.Choices?.Count > 0 ? chunk.Choices[0] : null;
            if (choice?.Delta is { } delta)
            {
                if (!string.IsNullOrEmpty(delta.Content))
                {
                    update.Contents.Add(new TextContent(delta.Content));
                }

                // Tool calls may arrive in pieces (name first, arguments in parts): assembled by index.
                foreach (var call in delta.ToolCalls ?? [])
                {
                    var (id, name, arguments) = calls.TryGetValue(call.Index, out var known) ? known : (call.Id, call.Function.Name ?? string.Empty, new StringBuilder());
                    calls[call.Index] = (string.IsNullOrEmpty(id) ? call.Id : id, string.IsNullOrEmpty(name) ? call.Function.Name ?? string.Empty : name, arguments.Append(call.Function.Arguments));
                }
            }

            if (choice?.FinishReason is { } finish)
            {
                update.FinishReason = FinishReason(finish);
                AddCalls(update, calls);
            }

            if (update.Contents.Count > 0 || update.FinishReason != null)
            {
                yield return update;
            }
        }

        if (calls.Count > 0)
        {
            var last = new ChatResponseUpdate { Role = ChatRole.Assistant };
            AddCalls(last, calls);
            yield return last;
        }
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        AdapterServices.Get(serviceType, serviceKey, Metadata, _client, this);

    /// <summary>Nothing to release: the <see cref="InferenceClient"/> belongs to the caller.</summary>
    public void Dispose()
    {
    }

    /// <summary>The chat-completion request for Microsoft.Extensions.AI messages and options.</summary>
    internal ChatCompletionInput ToRequest(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = new List<ChatCompletionInputMessage>();
        if (!string.IsNullOrEmpty(options?.Instructions))
        {
            list.Add(new ChatCompletionInputMessage { Role = "system", Content = options!.Instructions });
        }

        foreach (var message in messages)
        {
            list.AddRange(ToMessages(message));
        }

        var extra = options?.AdditionalProperties?.ToDictionary(p => p.Key, p => InferenceJson.Element(p.Value, InferenceJson.WriteOptions));
        if (options?.TopK is { } topK)
        {
            extra ??= [];
            extra["top_k"] = InferenceJson.Element(topK, InferenceJson.WriteOptions);
        }

        return new ChatCompletionInput
        {
            Model = options?.ModelId ?? _model,
            Messages = list,
            Temperature = options?.Temperature,
            TopP = options?.TopP,
            MaxTokens = options?.MaxOutputTokens,
            FrequencyPenalty = options?.FrequencyPenalty,
            PresencePenalty = options?.PresencePenalty,
            Seed = options?.Seed is { } seed ? unchecked((ulong)seed) : null,
            Stop = options?.StopSequences is { Count: > 0 } stop ? [.. stop] : null,
            ResponseFormat = ToResponseFormat(options?.ResponseFormat),
            Tools = options?.Tools?.OfType<AIFunctionDeclaration>().Select(ToTool).ToList() is { Count: > 0 } tools ? tools : null,
            ToolChoice = ToToolChoice(options?.ToolMode),
            AdditionalProperties = extra,
        };
    }

    private static IEnumerable<ChatCompletionInputMessage> ToMessages(ChatMessage message)
    {
        var role = message.Role.Value;

        // Each tool result is a "tool" message that names the call it answers.
        foreach (var result in message.Contents.OfType<FunctionResultContent>())
        {
            yield return new ChatCompletionInputMessage
            {
                Role = "tool",
                Content = ResultText(result.Result),
                AdditionalProperties = new Dictionary<string, JsonElement> { ["tool_call_id"] = InferenceJson.Element(result.CallId, InferenceJson.WriteOptions) },
            };
        }

        var chunks = new List<ChatCompletionInputMessageChunk>();
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent text:
                    chunks.Add(ChatCompletionInputMessageChunk.FromText(text.Text));
                    break;
                case DataContent data when data.HasTopLevelMediaType("image"):
                    chunks.Add(ChatCompletionInputMessageChunk.FromImageBytes(data.Data.Span, data.MediaType));
                    break;
                case UriContent uri when uri.HasTopLevelMediaType("image"):
                    chunks.Add(ChatCompletionInputMessageChunk.FromImageUrl(uri.Uri));
                    break;
            }
        }

        var calls = message.Contents.OfType<FunctionCallContent>().Select(call => new ChatCompletionInputToolCall
        {
            Id = call.CallId,
            Type = "function",
            // "arguments" is a JSON string, as the model wrote it (specs/inference/tasks.json specFixes says why).
            Function = new ChatCompletionInputFunctionCall { Name = call.Name, Arguments = InferenceJson.Text(call.Arguments ?? new Dictionary<string, object?>(), InferenceJson.WriteOptions) },
        }).ToList();

        if (chunks.Count == 0 && calls.Count == 0)
        {
            yield break;
        }

        yield return new ChatCompletionInputMessage
        {
            Role = role,
            Name = message.AuthorName,
            Content = chunks.Count == 0 ? null : chunks.All(c => c.Type == ChatCompletionInputMessageChunkType.Text) ? string.Concat(chunks.Select(c => c.Text)) : chunks,
            ToolCalls = calls.Count > 0 ? calls : null,
        };
    }

    /// <summary>
    /// A tool result as the tool message's text: a string as it is (also when function invocation hands it over
    /// as a JSON string element, as AIFunctionFactory does), anything else as JSON.
    /// </summary>
    private static string ResultText(object? result) => result switch
    {
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString()!,
        _ => InferenceJson.Text(result, InferenceJson.WriteOptions),
    };

    private static ChatCompletionInputTool ToTool(AIFunctionDeclaration function) => new()
    {
        Type = "function",
        Function = new ChatCompletionInputFunctionDefinition { Name = function.Name, Description = function.Description, Parameters = function.JsonSchema },
    };

    private static ChatCompletionInputToolChoice? ToToolChoice(ChatToolMode? mode) => mode switch
    {
        null => null,
        NoneChatToolMode => ChatCompletionInputToolChoiceEnum.None,
        AutoChatToolMode => ChatCompletionInputToolChoiceEnum.Auto,
        RequiredChatToolMode { RequiredFunctionName: { } name } => new ChatCompletionInputToolChoiceClass { Function = new ChatCompletionInputFunctionName { Name = name } },
        RequiredChatToolMode => ChatCompletionInputToolChoiceEnum.Required,
        _ => null,
    };

    private static ChatCompletionInputGrammarType? ToResponseFormat(ChatResponseFormat? format) => format switch
    {
        ChatResponseFormatJson { Schema: { } schema } json => new ChatCompletionInputGrammarType
        {
            Type = ChatCompletionInputGrammarTypeType.JsonSchema,
            JsonSchema = new ChatCompletionInputJsonSchemaConfig { Name = json.SchemaName ?? "response", Description = json.SchemaDescription, Schema = schema },
        },
        ChatResponseFormatJson => new ChatCompletionInputGrammarType { Type = ChatCompletionInputGrammarTypeType.JsonObject },
        _ => null,
    };

    private static ChatFinishReason? FinishReason(string? reason) => reason switch
    {
        null => null,
        "stop" or "eos_token" or "stop_sequence" => ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        "tool_calls" => ChatFinishReason.ToolCalls,
        "content_filter" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(reason),
    };

    /// <summary>Tool call arguments arrive as a JSON string; the values stay JsonElements.</summary>
    private static IDictionary<string, object?>? ParseArguments(string? arguments)
    {
        if (string.IsNullOrWhiteSpace(arguments))
        {
            return new Dictionary<string, object?>();
        }

        try
        {
            return JsonSerializer.Deserialize(arguments, InferenceJson.Info<Dictionary<string, JsonElement>>(InferenceJson.ReadOptions))?.ToDictionary(p => p.Key, p => (object?)p.Value);
        }
        catch (JsonException)
        {
            // Not an object: the model wrote something else. Kept whole so that nothing is lost.
            return new Dictionary<string, object?> { ["arguments"] = arguments };
        }
    }

    private static void AddCalls(ChatResponseUpdate update, SortedDictionary<int, (string Id, string Name, StringBuilder Arguments)> calls)
    {
        foreach (var (id, name, arguments) in calls.Values)
        {
            update.Contents.Add(new FunctionCallContent(id, name, ParseArguments(arguments.ToString())));
        }

        calls.Clear();
    }
}
