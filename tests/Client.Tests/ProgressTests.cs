using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>Reports of a queued provider job: queue position, status and elapsed time, from the submit to the end.</summary>
public class ProgressTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AQueuedVideoJobReportsItsPlaceStatusAndTime()
    {
        fixture.Server.JobPollsBeforeDone = 3;
        using var client = fixture.Client();
        using var other = fixture.Client();
        var model = "progress/video-" + Guid.NewGuid().ToString("N")[..8];
        fixture.Server.ProviderMappings[model] = [new ProviderMappingEntry("fal-ai", "fal-ai/progress/video", "text-to-video")];
        var reports = new List<ProviderJobProgress>();
        var others = new List<ProviderJobProgress>();

        using (client.ReportJobProgress(new Synchronous(reports.Add)))
        using (other.ReportJobProgress(new Synchronous(others.Add)))
        {
            var video = await client.TextToVideoAsync("A cat", model: model, cancellationToken: Ct);
            Assert.Equal("video/mp4", video.ContentType);
        }

        // Submitted second in line, then first, then at the front, then running, then done: one report a poll.
        Assert.Equal(
            [(ProviderJobStatus.Queued, (int?)2, 0), (ProviderJobStatus.Queued, 1, 1), (ProviderJobStatus.Queued, 0, 2), (ProviderJobStatus.Running, null, 3), (ProviderJobStatus.Completed, null, 4)],
            reports.Select(r => (r.Status, r.QueuePosition, r.Polls)));
        Assert.Equal(["IN_QUEUE", "IN_QUEUE", "IN_QUEUE", "IN_PROGRESS", "COMPLETED"], reports.Select(r => r.ProviderStatus));
        Assert.All(reports, r => Assert.Equal(("fal-ai", "text-to-video", "fal-ai/progress/video"), (r.Provider, r.Task, r.ProviderModelId)));
        Assert.Equal(reports.Select(r => r.Elapsed).Order(), reports.Select(r => r.Elapsed));
        Assert.Empty(others); // another client's scope hears nothing of this one's jobs

        // Outside the scope nothing is reported.
        var before = reports.Count;
        await client.TextToVideoAsync("A dog", model: model, cancellationToken: Ct);
        Assert.Equal(before, reports.Count);
        Assert.Throws<ArgumentNullException>(() => client.ReportJobProgress(null!));
    }

    [Fact]
    public async Task AFailedJobReportsFailedBeforeTheCallThrows()
    {
        using var client = fixture.Client();
        var model = "progress/failing-" + Guid.NewGuid().ToString("N")[..8];
        fixture.Server.ProviderMappings[model] = [new ProviderMappingEntry("fal-ai", "fal-ai/progress/failing", "text-to-video")];
        var reports = new List<ProviderJobProgress>();
        fixture.Server.JobFailure = "out of GPUs";
        try
        {
            using var scope = client.ReportJobProgress(new Synchronous(reports.Add));
            var error = await Assert.ThrowsAsync<InferenceProviderException>(() => client.TextToVideoAsync("A cat", model: model, cancellationToken: Ct));
            Assert.Contains("out of GPUs", error.Message);
        }
        finally
        {
            fixture.Server.JobFailure = null;
        }

        Assert.Equal(ProviderJobStatus.Failed, reports[^1].Status);
        Assert.Equal(ProviderJobStatus.Queued, reports[0].Status);
    }

    /// <summary>Reports on the calling thread, in order (Progress&lt;T&gt; posts them to the thread pool).</summary>
    private sealed class Synchronous(Action<ProviderJobProgress> report) : IProgress<ProviderJobProgress>
    {
        public void Report(ProviderJobProgress value) => report(value);
    }
}

/// <summary>An upload's bytes reported as the request body is sent, through <see cref="ProgressStream"/>.</summary>
public class UploadProgressTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task AStreamedUploadReportsItsBytesUpToTheWholeBody()
    {
        using var client = fixture.Client(o => o.Provider = "hf-inference");
        var audio = Testing.SampleMedia.Wav(new byte[4 * 1024 * 1024]);
        var reports = new List<TransferProgress>();
        using var source = new System.IO.MemoryStream(audio);
        using var watched = new ProgressStream(source, new Synchronous(reports.Add));

        var labels = await client.AudioClassificationAsync(InferenceInput.FromStream(watched, "audio/wav"), model: "superb/hubert-large-superb-er", cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotEmpty(labels);
        Assert.Equal(audio, fixture.LastInference().Body);
        Assert.True(reports.Count > 1, $"{reports.Count} report(s) for {audio.Length} bytes: the body was not read in parts");
        Assert.Equal(new TransferProgress(audio.Length, audio.Length), reports[^1]);
        Assert.Equal(reports.Select(r => r.BytesTransferred).Order(), reports.Select(r => r.BytesTransferred));
        Assert.Throws<ArgumentException>(() => new ProgressStream(new NonReadable(), new Synchronous(_ => { })));
    }

    private sealed class Synchronous(Action<TransferProgress> report) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => report(value);
    }

    private sealed class NonReadable : System.IO.MemoryStream
    {
        public override bool CanRead => false;
    }
}
