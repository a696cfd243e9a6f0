using System.ClientModel;
using HuggingFace.Inference.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;

namespace HuggingFace.Inference.Benchmarks.SideBySide;

/// <summary>
/// The contenders of each workload. Every .NET contender has its own connection pool and is pointed
/// at the same "deployed endpoint" URL of the bench server, as a user would point it.
/// </summary>
internal sealed class Workloads(Uri server, HarnessOptions options, NodePeer? node) : IDisposable
{
    public const string Ours = "HuggingFace.Inference (ours)";
    public const string OpenAi = "OpenAI .NET SDK 2.15.0";
    public const string Raw = "raw: HttpClient + Utf8JsonReader (+ SseParser for streams)";
    public const string OursDi = "HuggingFace.Inference (ours, from AddHuggingFaceInference)";
    private const string Token = "hf_bench_token";
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _raw = new(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
    private readonly InferenceClient _ours = new(new InferenceClientOptions { Token = Token });

    /// <summary>Ours as a host resolves it (IHttpClientFactory, the factory's logging handlers): only for <c>--alloc-profile</c>.</summary>
    private readonly Lazy<ServiceProvider> _host = new(() =>
    {
        var services = new ServiceCollection();
        services.AddHuggingFaceInference(o => o.Client.Token = Token);
        return services.BuildServiceProvider();
    });

    private Uri Route(string name) => new(server, name);

    public IReadOnlyList<Contender> ChatStream()
    {
        var ourRequest = new ChatCompletionInput
        {
            Model = Route("chat").ToString(),
            Messages = [new ChatCompletionInputMessage { Role = "user", Content = "Count to a large number." }],
            MaxTokens = options.Events,
        };
        var openAi = new ChatClient("tgi", new ApiKeyCredential(Token), new OpenAIClientOptions { Endpoint = Route("chat/v1") });
        var openAiOptions = new ChatCompletionOptions { MaxOutputTokenCount = options.Events };
        var rawBody = Encoding.UTF8.GetBytes($$"""{"model":"tgi","messages":[{"role":"user","content":"Count to a large number."}],"max_tokens":{{options.Events}},"stream":true}""");

        var contenders = new List<Contender>
        {
            Contender.InProcess(Ours, async () =>
            {
                var started = Stopwatch.GetTimestamp();
                double first = -1;
                int characters = 0, events = 0;
                await foreach (var chunk in _ours.ChatCompletionStreamAsync(ourRequest))
                {
                    events++;
                    if (chunk.Choices.Count > 0 && chunk.Choices[0].Delta.Content is { Length: > 0 } content)
                    {
                        first = first < 0 ? Stopwatch.GetElapsedTime(started).TotalMilliseconds : first;
                        characters += content.Length;
                    }
                }

                return new RunResult(events, characters.ToString(), first);
            }),
            Contender.InProcess(OpenAi, async () =>
            {
                var started = Stopwatch.GetTimestamp();
                double first = -1;
                int characters = 0, events = 0;
                await foreach (var update in openAi.CompleteChatStreamingAsync([new UserChatMessage("Count to a large number.")], openAiOptions))
                {
                    events++;
                    foreach (var part in update.ContentUpdate)
                    {
                        first = first < 0 ? Stopwatch.GetElapsedTime(started).TotalMilliseconds : first;
                        characters += part.Text.Length;
                    }
                }

                return new RunResult(events, characters.ToString(), first);
            }),
            Contender.InProcess(Raw, async () =>
            {
                var started = Stopwatch.GetTimestamp();
                double first = -1;
                int characters = 0, events = 0;
                using var request = RawPost(Route("chat/v1/chat/completions"), rawBody);
                using var response = await _raw.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                response.EnsureSuccessStatusCode();
                await using var stream = await response.Content.ReadAsStreamAsync();
                await foreach (var item in SseParser.Create(stream, static (_, data) => data.SequenceEqual("[DONE]"u8) ? Done : RawBaseline.ContentText(data)).EnumerateAsync())
                {
                    if (ReferenceEquals(item.Data, Done))
                    {
                        break;
                    }

                    events++;
                    if (item.Data is { Length: > 0 } content)
                    {
                        first = first < 0 ? Stopwatch.GetElapsedTime(started).TotalMilliseconds : first;
                        characters += content.Length;
                    }
                }

                return new RunResult(events, characters.ToString(), first);
            }),
        };
        if (node != null)
        {
            contenders.Add(node.Contender(new JsonObject { ["workload"] = "chat", ["events"] = options.Events }));
        }

        return contenders;
    }

    // A marker only ReferenceEquals can match: no chunk's content is this instance.
    private static readonly string Done = new('\0', 1);

    public IReadOnlyList<Contender> Embeddings()
    {
        var inputs = Enumerable.Range(0, options.Rows).Select(i => $"sentence {i}").ToArray();
        var url = Route("embed");
        var model = url.ToString();
        var rawBody = Encoding.UTF8.GetBytes(new JsonObject { ["inputs"] = new JsonArray([.. inputs.Select(i => JsonValue.Create(i))]) }.ToJsonString());
        var contenders = new List<Contender>
        {
            Contender.InProcess(Ours, async () =>
            {
                var embeddings = await _ours.FeatureExtractionAsync(inputs, model: model);
                return new RunResult(embeddings.Count, $"{embeddings.Count}x{embeddings.Row(0).Length}");
            }),
            Contender.InProcess(Raw, async () =>
            {
                using var request = RawPost(url, rawBody);
                using var response = await _raw.SendAsync(request);
                response.EnsureSuccessStatusCode();
                var vectors = RawBaseline.Embeddings(await response.Content.ReadAsByteArrayAsync());
                return new RunResult(vectors.Length, $"{vectors.Length}x{vectors[0].Length}");
            }),
        };
        if (node != null)
        {
            contenders.Add(node.Contender(new JsonObject { ["workload"] = "embeddings", ["rows"] = options.Rows }));
        }

        return contenders;
    }

    public IReadOnlyList<Contender> SmallCalls()
    {
        var url = Route("classify");
        var model = url.ToString();
        const string Text = "I like you. I love you";
        var rawBody = Encoding.UTF8.GetBytes($$"""{"inputs":"{{Text}}"}""");
        var contenders = new List<Contender>
        {
            Contender.InProcess(Ours, () => ConcurrentlyAsync(async () => (await _ours.TextClassificationAsync(Text, model: model))[0].Label)),
            Contender.InProcess(Raw, () => ConcurrentlyAsync(async () =>
            {
                using var request = RawPost(url, rawBody);
                using var response = await _raw.SendAsync(request);
                response.EnsureSuccessStatusCode();
                return RawBaseline.FirstLabel(await response.Content.ReadAsByteArrayAsync())!;
            })),
        };
        if (node != null)
        {
            contenders.Add(node.Contender(new JsonObject { ["workload"] = "calls", ["calls"] = options.Calls, ["concurrency"] = options.Concurrency }));
        }

        return contenders;
    }

    /// <summary>The small call through a client from dependency injection (the allocation profile's third row).</summary>
    public Contender SmallCallsFromHost()
    {
        var model = Route("classify").ToString();
        var client = _host.Value.GetRequiredService<InferenceClient>();
        return Contender.InProcess(OursDi, () => ConcurrentlyAsync(async () => (await client.TextClassificationAsync("I like you. I love you", model: model))[0].Label));
    }

    /// <summary>What the raw baseline sends: a JSON POST with the bearer token, nothing else.</summary>
    private static HttpRequestMessage RawPost(Uri url, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) { Headers = { ContentType = Json } } };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return request;
    }

    /// <summary><c>Calls</c> calls, <c>Concurrency</c> at a time, each call's latency kept.</summary>
    private async Task<RunResult> ConcurrentlyAsync(Func<Task<string>> call)
    {
        var latencies = new double[options.Calls];
        var next = -1;
        var label = string.Empty;
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < latencies.Length)
            {
                var started = Stopwatch.GetTimestamp();
                label = await call();
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        return new RunResult(latencies.Length, label, -1, latencies);
    }

    public void Dispose()
    {
        _raw.Dispose();
        _ours.Dispose();
        if (_host.IsValueCreated)
        {
            _host.Value.Dispose();
        }
    }
}
