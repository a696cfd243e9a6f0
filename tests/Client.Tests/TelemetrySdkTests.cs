using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Diagnostics;
using HuggingFace.Inference.Endpoints;
using HuggingFace.Inference.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// What the OpenTelemetry SDK (1.20.1) exports of a task call, a chat stream, a provider job and an Endpoints
/// call, read from its in-memory exporters: span names, gen_ai attributes, metric instruments with their units,
/// and no token anywhere.
/// </summary>
public class TelemetrySdkTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheSdkExportsSpansAndMetricsOfEveryKindOfCall()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var taskModel = "otel/classifier-" + id;
        var chatModel = "otel/chat-" + id;
        var videoModel = "otel/video-" + id;
        fixture.Server.Models[taskModel] = "text-classification";
        fixture.Server.ProviderMappings[videoModel] = [new ProviderMappingEntry("fal-ai", "fal-ai/otel/video", "text-to-video")];
        var spanSink = new List<Activity>();
        var metrics = new List<Metric>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(InferenceTelemetry.Name).AddInMemoryExporter(spanSink).Build();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(InferenceTelemetry.Name, "System.Net.Http").AddInMemoryExporter(metrics).Build();

        using var client = fixture.Client();
        await client.TextClassificationAsync("I like it", model: taskModel, cancellationToken: Ct);
        await foreach (var _ in client.ChatCompletionStreamAsync(new ChatCompletionInput
        {
            Model = chatModel,
            Messages = [new ChatCompletionInputMessage { Role = "user", Content = "What is the capital of France?" }],
            StreamOptions = new ChatCompletionInputStreamOptions { IncludeUsage = true },
        }, Ct))
        {
        }

        await client.TextToVideoAsync("A cat", model: videoModel, cancellationToken: Ct);
        var embeddingModel = "otel/embedder-" + id;
        fixture.Server.Models[embeddingModel] = "feature-extraction";
        await client.FeatureExtractionAsync(new[] { "one", "two" }, model: embeddingModel, cancellationToken: Ct);
        using var endpoints = new InferenceEndpointsClient(new InferenceEndpointsClientOptions { ApiUrl = fixture.Server.BaseUrl, HubUrl = fixture.Server.BaseUrl, Token = ServerFixture.Token });
        ActivityTraceId managementTrace;
        // Recorded, or the SDK's parent-based sampler drops the children.
        using (var parent = new Activity("otel-management-test") { ActivityTraceFlags = ActivityTraceFlags.Recorded }.Start())
        {
            // Other tests call the same management routes at the same time: ours are this parent's children.
            managementTrace = parent.TraceId;
            await endpoints.ListHardwareAsync(cancellationToken: Ct);
            await Assert.ThrowsAnyAsync<HfHubHttpException>(() => endpoints.GetAsync("no-such-endpoint-" + id, cancellationToken: Ct));
        }

        tracing.ForceFlush();
        meters.ForceFlush();

        // The exporter's list keeps growing with other tests' spans: read a copy.
        var spans = Snapshot(spanSink);

        // Spans: "{operation} {model}", client kind, the gen_ai attributes.
        var task = Assert.Single(spans, s => Tag(s, "gen_ai.request.model") == taskModel);
        Assert.Equal("text-classification " + taskModel, task.DisplayName);
        Assert.Equal(ActivityKind.Client, task.Kind);
        Assert.Equal("text-classification", Tag(task, "gen_ai.operation.name"));
        Assert.Equal("huggingface", Tag(task, "gen_ai.provider.name"));
        Assert.Equal("127.0.0.1", Tag(task, "server.address"));

        var chat = Assert.Single(spans, s => Tag(s, "gen_ai.request.model") == chatModel);
        Assert.Equal("chat " + chatModel, chat.DisplayName);
        Assert.Equal("chat", Tag(chat, "gen_ai.operation.name"));
        Assert.Equal(12L, chat.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.True((long)chat.GetTagItem("gen_ai.usage.output_tokens")! > 0);
        Assert.Contains(chat.Events, e => e.Name == "gen_ai.first_chunk");

        var job = Assert.Single(spans, s => Tag(s, "gen_ai.request.model") == videoModel);
        Assert.Equal("text-to-video " + videoModel, job.DisplayName);
        Assert.Equal("fal-ai", Tag(job, "huggingface.inference.provider"));
        var statuses = job.Events.Where(e => e.Name == "huggingface.job.status").Select(e => e.Tags.First(t => t.Key == "huggingface.job.status").Value).ToList();
        Assert.Equal("Queued", statuses[0]);
        Assert.Equal("Completed", statuses[^1]);

        // Feature extraction under the conventions' well-known operation name.
        var embedding = Assert.Single(spans, s => Tag(s, "gen_ai.request.model") == embeddingModel);
        Assert.Equal("embeddings " + embeddingModel, embedding.DisplayName);
        Assert.Equal("embeddings", Tag(embedding, "gen_ai.operation.name"));
        Assert.Equal("feature-extraction", Tag(embedding, "huggingface.task"));

        var management = spans.Where(s => s.DisplayName.StartsWith("endpoints ", StringComparison.Ordinal) && s.TraceId == managementTrace).ToList();
        var hardware = Assert.Single(management, s => Tag(s, "url.path")!.StartsWith("/v2/provider/", StringComparison.Ordinal));
        Assert.Equal("endpoints GET", hardware.DisplayName);
        Assert.Equal("GET", Tag(hardware, "http.request.method"));
        Assert.Null(hardware.GetTagItem("gen_ai.operation.name"));
        var missing = Assert.Single(management, s => Tag(s, "url.path")!.EndsWith("no-such-endpoint-" + id, StringComparison.Ordinal));
        Assert.Equal("404", Tag(missing, "error.type"));
        Assert.Equal(ActivityStatusCode.Error, missing.Status);

        // Metrics: the gen_ai instruments with their units, per operation; HttpClient's own for the Endpoints calls.
        var duration = Assert.Single(metrics, m => m.Name == "gen_ai.client.operation.duration" && m.MeterName == InferenceTelemetry.Name);
        Assert.Equal("s", duration.Unit);
        Assert.Equal(MetricType.Histogram, duration.MetricType);
        foreach (var (model, operation) in new[] { (taskModel, "text-classification"), (chatModel, "chat"), (videoModel, "text-to-video") })
        {
            var point = Assert.Single(Points(duration), p => Tags(p).GetValueOrDefault("gen_ai.request.model") as string == model);
            Assert.Equal(operation, Tags(point)["gen_ai.operation.name"]);
            Assert.Equal("huggingface", Tags(point)["gen_ai.provider.name"]);
            Assert.Equal(1, point.GetHistogramCount());
            Assert.True(point.GetHistogramSum() > 0);
        }

        var tokens = Assert.Single(metrics, m => m.Name == "gen_ai.client.token.usage" && m.MeterName == InferenceTelemetry.Name);
        Assert.Equal("{token}", tokens.Unit);
        var chatTokens = Points(tokens).Where(p => Tags(p).GetValueOrDefault("gen_ai.request.model") as string == chatModel).ToList();
        var input = Assert.Single(chatTokens, p => Equals(Tags(p)["gen_ai.token.type"], "input"));
        Assert.Equal(12, input.GetHistogramSum());
        Assert.True(Assert.Single(chatTokens, p => Equals(Tags(p)["gen_ai.token.type"], "output")).GetHistogramSum() > 0);

        var firstChunk = Assert.Single(metrics, m => m.Name == "gen_ai.client.operation.time_to_first_chunk");
        Assert.Equal("s", firstChunk.Unit);
        Assert.Single(Points(firstChunk), p => Tags(p).GetValueOrDefault("gen_ai.request.model") as string == chatModel);

        var http = Assert.Single(metrics, m => m.Name == "http.client.request.duration");
        Assert.Equal("s", http.Unit);
        Assert.Contains(Points(http), p => Equals(Tags(p).GetValueOrDefault("http.response.status_code"), 404));

        // No token in any exported attribute: span tags, event tags, metric point tags.
        var exported = spans.SelectMany(s => s.TagObjects.Concat(s.Events.SelectMany(e => e.Tags)))
            .Concat(metrics.SelectMany(m => Points(m).SelectMany(p => Tags(p))))
            .Select(t => $"{t.Key}={Format(t.Value)}")
            .ToList();
        Assert.NotEmpty(exported);
        Assert.All(exported, tag => Assert.DoesNotContain(ServerFixture.Token, tag));
    }

    private static string? Tag(Activity activity, string name) => activity.GetTagItem(name) as string;

    private static List<MetricPoint> Points(Metric metric)
    {
        var points = new List<MetricPoint>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            points.Add(point);
        }

        return points;
    }

    private static Dictionary<string, object?> Tags(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>();
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        return tags;
    }

    private static Activity[] Snapshot(List<Activity> list)
    {
        while (true)
        {
            try
            {
                return list.ToArray();
            }
            catch (ArgumentException)
            {
                // Copied while another thread grew the list: try again.
            }
        }
    }

    private static string Format(object? value) => value is string[] list ? string.Join(",", list) : value?.ToString() ?? string.Empty;
}
