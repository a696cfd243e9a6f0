using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HuggingFace.Inference.Testing;

/// <summary>Where a job is in its life, whatever the provider calls it.</summary>
internal enum JobPhase
{
    /// <summary>Accepted, not started (fal IN_QUEUE, together queued, wavespeed created, replicate starting …).</summary>
    Queued,

    /// <summary>Running (fal IN_PROGRESS, together in_progress, wavespeed processing …).</summary>
    Running,

    /// <summary>Finished with a result.</summary>
    Done,

    /// <summary>Finished with <see cref="ProviderJob.Failure"/>.</summary>
    Failed,
}

/// <summary>A provider's asynchronous job (fal queue request, replicate prediction, together video …).</summary>
internal sealed class ProviderJob
{
    public required string Id { get; init; }

    /// <summary>The provider, or the fal queue host's stand-in (<c>fal-ai-queue</c>) for direct queue calls.</summary>
    public required string Provider { get; init; }

    public required string ProviderId { get; init; }

    /// <summary>The Hub task the job runs (<c>text-to-video</c> …).</summary>
    public required string Task { get; init; }

    /// <summary>The root the provider's own URLs (result, status) are built on: the server's root for routed calls, <c>direct/{provider}/</c> for direct ones.</summary>
    public required Uri HostBase { get; init; }

    public required JsonObject Body { get; init; }

    /// <summary>The result files (on <c>/outputs/</c>), made when the job was submitted.</summary>
    public required IReadOnlyList<Uri> Outputs { get; init; }

    public DateTimeOffset Created { get; } = DateTimeOffset.UtcNow;

    /// <summary>Status polls answered.</summary>
    public int Polls { get; set; }

    /// <summary>Whether a poll has answered the final state (then it stays).</summary>
    public bool Finished { get; set; }

    /// <summary>The failure message of a job that ended failed.</summary>
    public string? Failure { get; set; }

    /// <summary>The phase at submission: done already for a replicate prediction waited on.</summary>
    public JobPhase SubmitPhase { get; set; } = JobPhase.Queued;

    public JobPhase FinalPhase => Failure == null ? JobPhase.Done : JobPhase.Failed;
}

/// <summary>The jobs, their poll counting and scripting, and the result files the server serves on <c>/outputs/{name}</c>.</summary>
internal sealed class ProviderJobs(Func<Uri> baseUrl)
{
    private readonly ConcurrentDictionary<string, ProviderJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string ContentType, byte[] Bytes)> _outputs = new(StringComparer.Ordinal);
    private int _polls;
    private int _authorizedDownloads;

    public int PollsBeforeDone { get; set; } = 1;

    public string? Failure { get; set; }

    public bool NeverFinishes { get; set; }

    public int Polls => Volatile.Read(ref _polls);

    public int AuthorizedDownloads => Volatile.Read(ref _authorizedDownloads);

    public ProviderJob? Find(string id) => _jobs.TryGetValue(id, out var job) ? job : null;

    public ProviderJob Add(string provider, string providerId, string task, Uri hostBase, JsonObject body, Func<string, string>? idFormat = null)
    {
        var raw = Guid.NewGuid().ToString("N");
        var id = idFormat?.Invoke(raw) ?? raw;
        var job = new ProviderJob
        {
            Id = id,
            Provider = provider,
            ProviderId = providerId,
            Task = task,
            HostBase = hostBase,
            Body = body,
            Outputs = [AddOutput(task, ProviderMedia.SourceText(body), id)],
        };
        _jobs[id] = job;
        return job;
    }

    /// <summary>Stores a result file for <paramref name="task"/> made from <paramref name="sourceText"/>; returns its URL.</summary>
    public Uri AddOutput(string task, string sourceText, string? id = null)
    {
        var (extension, contentType, bytes) = ProviderMedia.For(task, sourceText);
        var name = (id ?? Guid.NewGuid().ToString("N")) + extension;
        _outputs[name] = (contentType, bytes);
        return new Uri(baseUrl(), "outputs/" + name);
    }

    public (int Status, string ContentType, byte[] Body) Download(RecordedRequest request, string name)
    {
        if (request.Header("authorization") != null || request.Header("x-hf-bill-to") != null)
        {
            Interlocked.Increment(ref _authorizedDownloads);
        }

        return _outputs.TryGetValue(name, out var file)
            ? (200, file.ContentType, file.Bytes)
            : (404, "application/xml", "<Error><Code>NoSuchKey</Code></Error>"u8.ToArray());
    }

    /// <summary>The job's place in a queue (fal's <c>queue_position</c>): the queued polls it has still to wait, 0 on the last.</summary>
    public int QueuePosition(ProviderJob job)
    {
        lock (job)
        {
            return Math.Max(0, Math.Max(0, PollsBeforeDone) - job.Polls - 1);
        }
    }

    /// <summary>Answers one status poll: counts it and moves the job along the scripted course.</summary>
    public JobPhase Poll(ProviderJob job)
    {
        Interlocked.Increment(ref _polls);
        lock (job)
        {
            job.Polls++;
            if (job.Finished)
            {
                return job.FinalPhase;
            }

            if (NeverFinishes)
            {
                return JobPhase.Running;
            }

            var pending = Math.Max(0, PollsBeforeDone);
            if (job.Polls <= pending)
            {
                return job.Polls < pending ? JobPhase.Queued : JobPhase.Running;
            }

            Finish(job);
            return job.FinalPhase;
        }
    }

    /// <summary>Ends a job now, in the failed state when <see cref="Failure"/> is set.</summary>
    public void Finish(ProviderJob job)
    {
        lock (job)
        {
            if (!job.Finished)
            {
                job.Finished = true;
                job.Failure = Failure;
            }
        }
    }
}

/// <summary>Result files with a tag of the request in their bytes: a PNG (tEXt chunk), MP4 boxes (a free box), a WAV (LIST/INFO).</summary>
internal static class ProviderMedia
{
    public static string Tag(string sourceText)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sourceText)));
        return $"hf-test:{hash[..16]}:{sourceText.Length}";
    }

    /// <summary>The text a result is made from: the prompt (or text/input), else the input image, else the whole body.</summary>
    public static string SourceText(JsonObject body)
    {
        foreach (var name in new[] { "prompt", "text", "input", "image_url", "image", "audio_url", "audio" })
        {
            if (body[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            {
                return value.GetValue<string>();
            }
        }

        if (body["input"] is JsonObject input)
        {
            return SourceText(input);
        }

        if (body["frame_images"] is JsonArray { Count: > 0 } frames && frames[0]?["input_image"] is JsonValue frame && frame.GetValueKind() == JsonValueKind.String)
        {
            return frame.GetValue<string>();
        }

        return body.ToJsonString();
    }

    public static (string Extension, string ContentType, byte[] Bytes) For(string task, string sourceText)
    {
        var tag = Tag(sourceText);
        return task switch
        {
            "text-to-video" or "image-to-video" or "image-text-to-video" => (".mp4", "video/mp4", Mp4(tag)),
            "text-to-speech" or "text-to-audio" or "audio-to-audio" => (".wav", "audio/wav", Wav(tag)),
            _ => (".png", "image/png", Png(tag)),
        };
    }

    /// <summary>A 1×1 PNG with a <c>tEXt</c> chunk (<c>Comment</c> = the tag).</summary>
    public static byte[] Png(string tag) => SampleMedia.Png([0x80, 0x80, 0x80], tag);

    /// <summary>An <c>ftyp</c> box (isom), a <c>free</c> box holding the tag, an empty <c>mdat</c> box.</summary>
    public static byte[] Mp4(string tag) => SampleMedia.Mp4(tag, []);

    /// <summary>16 kHz mono 16-bit PCM, 0.05 s of silence, with a <c>LIST/INFO/ICMT</c> chunk holding the tag.</summary>
    public static byte[] Wav(string tag) => SampleMedia.Wav(new byte[1600], comment: tag);
}
