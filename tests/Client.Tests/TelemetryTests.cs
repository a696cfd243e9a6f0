using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading.Tasks;
using HuggingFace.Inference.Diagnostics;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>Traces and metrics of a chat stream and of a failed call, as an OpenTelemetry exporter would see them.</summary>
public class TelemetryTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task AChatStreamIsTracedAndMeasuredWithoutTheToken()
    {
        var model = "telemetry/model-" + Guid.NewGuid().ToString("N")[..8];
        var activities = new ConcurrentQueue<Activity>();
        var measurements = new ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var activityListener = Listen(activities);
        using var meterListener = Measure(measurements);

        using var client = fixture.Client();
        var text = "";
        await foreach (var chunk in client.ChatCompletionStreamAsync(new ChatCompletionInput
        {
            Model = model,
            Messages = [new ChatCompletionInputMessage { Role = "user", Content = "What is the capital of France?" }],
            StreamOptions = new ChatCompletionInputStreamOptions { IncludeUsage = true },
        }, TestContext.Current.CancellationToken))
        {
            text += chunk.Choices.Count > 0 ? chunk.Choices[0].Delta.Content : null;
        }

        meterListener.RecordObservableInstruments();
        var activity = Assert.Single(activities, a => (string?)a.GetTagItem("gen_ai.request.model") == model);
        Assert.Equal("chat " + model, activity.DisplayName);
        Assert.Equal(ActivityKind.Client, activity.Kind);
        Assert.Equal("chat", activity.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("huggingface", activity.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("chatcmpl-local", activity.GetTagItem("gen_ai.response.id"));
        Assert.Equal(model, activity.GetTagItem("gen_ai.response.model"));
        Assert.Equal(new[] { "stop" }, (string[])activity.GetTagItem("gen_ai.response.finish_reasons")!);
        Assert.Equal(12L, activity.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.True((long)activity.GetTagItem("gen_ai.usage.output_tokens")! > 0);
        Assert.Equal("127.0.0.1", activity.GetTagItem("server.address"));
        Assert.Contains(activity.Events, e => e.Name == "gen_ai.first_chunk");

        var ours = measurements.Where(m => Equals(m.Tags.GetValueOrDefault("gen_ai.request.model"), model)).ToList();
        Assert.Single(ours, m => m.Name == "gen_ai.client.operation.duration");
        Assert.Single(ours, m => m.Name == "gen_ai.client.operation.time_to_first_chunk");
        Assert.Contains(ours, m => m.Name == "gen_ai.client.token.usage" && Equals(m.Tags["gen_ai.token.type"], "input") && m.Value == 12);
        Assert.Contains(ours, m => m.Name == "gen_ai.client.token.usage" && Equals(m.Tags["gen_ai.token.type"], "output") && m.Value > 0);

        var everything = activity.TagObjects.Select(t => $"{t.Key}={Format(t.Value)}")
            .Concat(ours.SelectMany(m => m.Tags.Select(t => $"{t.Key}={Format(t.Value)}")));
        Assert.All(everything, tag => Assert.DoesNotContain(ServerFixture.Token, tag));
    }

    [Fact]
    public async Task AFailedCallCarriesItsErrorType()
    {
        var model = "telemetry/failing-" + Guid.NewGuid().ToString("N")[..8];
        var activities = new ConcurrentQueue<Activity>();
        using var listener = Listen(activities);
        using var client = fixture.Client();
        fixture.Server.Models[model] = "text-classification";
        fixture.Server.Enqueue(ScriptedResponse.Error(422, "Input validation error"));

        await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("x", model: model, cancellationToken: TestContext.Current.CancellationToken));

        var activity = Assert.Single(activities, a => (string?)a.GetTagItem("gen_ai.request.model") == model);
        Assert.Equal("text-classification", activity.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("422", activity.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, activity.Status);
    }

    private static ActivityListener Listen(ConcurrentQueue<Activity> into)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == InferenceTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = into.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static MeterListener Measure(ConcurrentQueue<(string, double, Dictionary<string, object?>)> into)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == InferenceTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => into.Enqueue((instrument.Name, value, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => into.Enqueue((instrument.Name, value, ToDictionary(tags))));
        listener.Start();
        return listener;
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (var (key, value) in tags)
        {
            result[key] = value;
        }

        return result;
    }

    private static string Format(object? value) => value is string[] list ? string.Join(",", list) : value?.ToString() ?? string.Empty;
}
