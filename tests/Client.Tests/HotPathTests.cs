using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Tasks;
using HuggingFace.Inference.Diagnostics;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// The common call (the endpoint URL of the last call, no response cache, nobody listening) skips the telemetry
/// operation and two async layers: a listener attached later still sees every call, and argument errors still
/// fail the returned task.
/// </summary>
public class HotPathTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static System.Threading.CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnActivityListenerAttachedAfterTheRouteIsCachedSeesTheCall()
    {
        using var client = fixture.Client();
        var model = fixture.Server.EndpointUrl("text-classification").ToString();
        await client.TextClassificationAsync("warm", model: model, cancellationToken: Ct); // the route is cached now

        var activities = new ConcurrentQueue<Activity>();
        using (var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == InferenceTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        })
        {
            ActivitySource.AddActivityListener(listener);
            await client.TextClassificationAsync("I like it", model: model, cancellationToken: Ct);
        }

        var activity = Assert.Single(activities, a => (string?)a.GetTagItem("gen_ai.request.model") == model);
        Assert.Equal("text-classification", activity.GetTagItem("gen_ai.operation.name"));
    }

    [Fact]
    public async Task AMeterListenerAloneAfterTheRouteIsCachedGetsTheDuration()
    {
        using var client = fixture.Client();
        var model = fixture.Server.EndpointUrl("text-classification").ToString();
        await client.TextClassificationAsync("warm", model: model, cancellationToken: Ct);

        var durations = new ConcurrentQueue<string?>();
        using (var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == InferenceTelemetry.Name && instrument.Name == "gen_ai.client.operation.duration")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        })
        {
            listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "gen_ai.request.model")
                    {
                        durations.Enqueue(tag.Value as string);
                    }
                }
            });
            listener.Start();
            await client.TextClassificationAsync("I like it", model: model, cancellationToken: Ct);
        }

        Assert.Single(durations, m => m == model);
    }

    [Fact]
    public async Task ANullArgumentFailsTheReturnedTaskNotTheCall()
    {
        using var client = fixture.Client();
        var model = fixture.Server.EndpointUrl("text-classification").ToString();
        await client.TextClassificationAsync("warm", model: model, cancellationToken: Ct);

        var call = client.TextClassificationAsync(null!, model: model, cancellationToken: Ct);
        Assert.True(call.IsFaulted);
        Assert.Equal("text", (await Assert.ThrowsAsync<ArgumentNullException>(() => call)).ParamName);
    }
}
