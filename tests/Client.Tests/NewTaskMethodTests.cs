using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// The video, image-text and text-to-audio task methods against the local server: the request
/// that left (line, content type, body), the answer's bytes and media type (which the server
/// derives from the request body's SHA-256, so an answer proves which request it answers), the
/// synchronous twins, argument checks and cancellation. hf-inference does not serve these tasks, so
/// their hf-inference-style wire is the one a deployed Inference Endpoint speaks: the calls go to the
/// server's endpoint URLs (<c>/endpoints/{task}</c>); model ids go through the Hub's mapping to a
/// provider that serves the task (fal-ai here).
/// </summary>
public class NewTaskMethodTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The local server's deployed endpoint serving <paramref name="task"/>, as a model string.</summary>
    private string Endpoint(string task) => fixture.Server.EndpointUrl(task).ToString();

    private RecordedRequest AssertRequestLine(string task)
    {
        var request = fixture.LastInference();
        Assert.Equal("POST", request.Method);
        Assert.Equal("/endpoints/" + task, request.RawPath);
        Assert.Equal(string.Empty, request.Query);
        Assert.Equal("Bearer " + ServerFixture.Token, request.Header("authorization"));
        return request;
    }

    private static JsonElement Json(RecordedRequest request)
    {
        Assert.Equal("application/json", request.ContentType);
        return JsonDocument.Parse(request.Body).RootElement;
    }

    /// <summary>An MP4's boxes: ftyp (isom), free (the task), mdat (the SHA-256 of the request body).</summary>
    private static void AssertMp4(InferenceBinaryOutput video, string task, RecordedRequest request)
    {
        Assert.Equal("video/mp4", video.ContentType);
        var bytes = video.ToArray();
        var boxes = Boxes(bytes);
        Assert.Equal(["ftyp", "free", "mdat"], boxes.Select(b => b.Type));
        Assert.Equal("isom", Encoding.ASCII.GetString(boxes[0].Payload[..4]));
        Assert.Equal(task, Encoding.ASCII.GetString(boxes[1].Payload));
        Assert.Equal(SHA256.HashData(request.Body), boxes[2].Payload);
    }

    private static (string Type, byte[] Payload)[] Boxes(byte[] bytes)
    {
        var boxes = new System.Collections.Generic.List<(string, byte[])>();
        for (var offset = 0; offset < bytes.Length;)
        {
            var size = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
            Assert.InRange(size, 8, bytes.Length - offset);
            boxes.Add((Encoding.ASCII.GetString(bytes, offset + 4, 4), bytes[(offset + 8)..(offset + size)]));
            offset += size;
        }

        return [.. boxes];
    }

    [Fact]
    public async Task TextToVideoSendsThePromptAsJsonAndReadsAnMp4()
    {
        using var client = fixture.Client(o => o.Model = Endpoint("text-to-video"));
        var video = await client.TextToVideoAsync(
            "A cat running in a park",
            new TextToVideoParameters { NumFrames = 16, NegativePrompt = ["blurry"], Seed = 42 },
            cancellationToken: Ct);

        var request = AssertRequestLine("text-to-video");
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("""{"inputs":"A cat running in a park","parameters":{"num_frames":16,"negative_prompt":["blurry"],"seed":42}}""", request.BodyText);
        AssertMp4(video, "text-to-video", request);

        var other = await client.TextToVideoAsync("A dog running in a park", cancellationToken: Ct);
        AssertRequestLine("text-to-video");
        Assert.Equal("""{"inputs":"A dog running in a park"}""", fixture.LastInference().BodyText);
        Assert.NotEqual(video.ToArray(), other.ToArray());
        AssertMp4(other, "text-to-video", fixture.LastInference());
    }

    [Fact]
    public async Task ImageToVideoSendsRawBytesWithoutParametersAndBase64JsonWithThem()
    {
        using var client = fixture.Client(o => o.Model = Endpoint("image-to-video"));

        var raw = await client.ImageToVideoAsync(Png, cancellationToken: Ct);
        var request = AssertRequestLine("image-to-video");
        Assert.Equal("image/png", request.ContentType);
        Assert.Equal(Png, request.Body);
        AssertMp4(raw, "image-to-video", request);

        var guided = await client.ImageToVideoAsync(
            Png,
            new ImageToVideoParameters { Prompt = "turn the cat into a tiger", NumFrames = 24, TargetSize = new ImageToVideoParametersTargetSize { Width = 320, Height = 240 } },
            cancellationToken: Ct);
        request = AssertRequestLine("image-to-video");
        var body = Json(request);
        Assert.Equal(Convert.ToBase64String(Png), body.GetProperty("inputs").GetString());
        var parameters = body.GetProperty("parameters");
        Assert.Equal("turn the cat into a tiger", parameters.GetProperty("prompt").GetString());
        Assert.Equal(24, parameters.GetProperty("num_frames").GetDouble());
        Assert.Equal(320, parameters.GetProperty("target_size").GetProperty("width").GetInt64());
        Assert.Equal(240, parameters.GetProperty("target_size").GetProperty("height").GetInt64());
        AssertMp4(guided, "image-to-video", request);
        Assert.NotEqual(raw.ToArray(), guided.ToArray());
    }

    [Fact]
    public async Task ImageTextToImageAlwaysSendsBase64JsonWithThePromptInTheParameters()
    {
        using var client = fixture.Client(o => o.Model = Endpoint("image-text-to-image"));
        var image = await client.ImageTextToImageAsync(
            Png,
            "Turn the cat into a tiger",
            new ImageTextToImageParameters { Prompt = "ignored: the argument wins", NumInferenceSteps = 8, Seed = 7 },
            cancellationToken: Ct);

        var request = AssertRequestLine("image-text-to-image");
        Assert.Equal("image/png", request.Header("accept"));
        Assert.Equal(
            $$$"""{"inputs":"{{{Convert.ToBase64String(Png)}}}","parameters":{"prompt":"Turn the cat into a tiger","num_inference_steps":8,"seed":7}}""",
            request.BodyText);

        // The answer: a 1×1 PNG whose tEXt chunk holds the request body's hash and whose pixel is its first three bytes.
        Assert.Equal("image/png", image.ContentType);
        var hash = SHA256.HashData(request.Body);
        var chunks = PngChunks(image.ToArray());
        Assert.Equal(["IHDR", "tEXt", "IDAT", "IEND"], chunks.Select(c => c.Type));
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(chunks[0].Data));
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(chunks[0].Data.AsSpan(4)));
        Assert.Equal("Comment\0sha256:" + Convert.ToHexStringLower(hash), Encoding.ASCII.GetString(chunks[1].Data));
        using var pixels = new ZLibStream(new MemoryStream(chunks[2].Data), CompressionMode.Decompress);
        var scanline = new byte[4];
        pixels.ReadExactly(scanline);
        Assert.Equal(new byte[] { 0, hash[0], hash[1], hash[2] }, scanline);

        // Without parameters the prompt alone makes them: still JSON, never raw bytes.
        await client.ImageTextToImageAsync(Png, "A watercolour cat", cancellationToken: Ct);
        AssertRequestLine("image-text-to-image");
        Assert.Equal($$$"""{"inputs":"{{{Convert.ToBase64String(Png)}}}","parameters":{"prompt":"A watercolour cat"}}""", fixture.LastInference().BodyText);
    }

    private static (string Type, byte[] Data)[] PngChunks(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var chunks = new System.Collections.Generic.List<(string, byte[])>();
        for (var offset = 8; offset < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            chunks.Add((Encoding.ASCII.GetString(png, offset + 4, 4), png[(offset + 8)..(offset + 8 + length)]));
            offset += 12 + length;
        }

        return [.. chunks];
    }

    [Fact]
    public async Task ImageTextToVideoSendsTheImageAndThePromptAndReadsAnMp4()
    {
        using var client = fixture.Client(o => o.Model = Endpoint("image-text-to-video"));
        var video = await client.ImageTextToVideoAsync(Png, "The cat starts to dance", cancellationToken: Ct);

        var request = AssertRequestLine("image-text-to-video");
        Assert.Equal($$$"""{"inputs":"{{{Convert.ToBase64String(Png)}}}","parameters":{"prompt":"The cat starts to dance"}}""", request.BodyText);
        AssertMp4(video, "image-text-to-video", request);

        var withParameters = await client.ImageTextToVideoAsync(Png, "The cat starts to sing", new ImageTextToVideoParameters { NumFrames = 8, NegativePrompt = "dogs" }, cancellationToken: Ct);
        var parameters = Json(AssertRequestLine("image-text-to-video")).GetProperty("parameters");
        Assert.Equal("The cat starts to sing", parameters.GetProperty("prompt").GetString());
        Assert.Equal("dogs", parameters.GetProperty("negative_prompt").GetString());
        Assert.Equal(8, parameters.GetProperty("num_frames").GetDouble());
        AssertMp4(withParameters, "image-text-to-video", fixture.LastInference());
    }

    [Fact]
    public async Task TextToAudioSendsThePromptAsJsonAndReadsAWav()
    {
        using var client = fixture.Client(o => o.Model = Endpoint("text-to-audio"));
        var audio = await client.TextToAudioAsync(
            "liquid drum and bass, atmospheric synths, airy sounds",
            new TextToAudioParameters { GenerationParameters = new GenerationParameters { DoSample = true, MaxNewTokens = 256 } },
            cancellationToken: Ct);

        var request = AssertRequestLine("text-to-audio");
        var body = Json(request);
        Assert.Equal("liquid drum and bass, atmospheric synths, airy sounds", body.GetProperty("inputs").GetString());
        var generation = body.GetProperty("parameters").GetProperty("generation_parameters");
        Assert.True(generation.GetProperty("do_sample").GetBoolean());
        Assert.Equal(256, generation.GetProperty("max_new_tokens").GetInt64());

        Assert.Equal("audio/wav", audio.ContentType);
        var wav = audio.ToArray();
        Assert.Equal("RIFF", Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal(wav.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(4)));
        Assert.Equal("WAVEfmt ", Encoding.ASCII.GetString(wav, 8, 8));
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(20)));      // PCM
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(22)));      // mono
        Assert.Equal(32000, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24)));  // sample rate
        Assert.Equal(16, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(34)));     // bits per sample
        Assert.Equal("data", Encoding.ASCII.GetString(wav, 36, 4));
        Assert.Equal(SHA256.HashData(request.Body), wav[44..]);

        await client.TextToAudioAsync("a lonely trumpet", cancellationToken: Ct);
        AssertRequestLine("text-to-audio");
        Assert.Equal("""{"inputs":"a lonely trumpet"}""", fixture.LastInference().BodyText);
    }

    [Fact]
    public async Task SynchronousTwinsSendTheSameRequestsAndReadTheSameAnswers()
    {
        using var client = fixture.Client();
        var parameters = new ImageToVideoParameters { Prompt = "slowly" };
        string textToVideo = Endpoint("text-to-video"), imageToVideo = Endpoint("image-to-video"), imageTextToImage = Endpoint("image-text-to-image");
        string imageTextToVideo = Endpoint("image-text-to-video"), textToAudio = Endpoint("text-to-audio");
        (Func<InferenceBinaryOutput> Sync, Func<Task<InferenceBinaryOutput>> Async)[] pairs =
        [
            (() => client.TextToVideo("A cat", model: textToVideo, cancellationToken: Ct), () => client.TextToVideoAsync("A cat", model: textToVideo, cancellationToken: Ct)),
            (() => client.ImageToVideo(Png, model: imageToVideo, cancellationToken: Ct), () => client.ImageToVideoAsync(Png, model: imageToVideo, cancellationToken: Ct)),
            (() => client.ImageToVideo(Png, parameters, imageToVideo, cancellationToken: Ct), () => client.ImageToVideoAsync(Png, parameters, imageToVideo, cancellationToken: Ct)),
            (() => client.ImageTextToImage(Png, "A tiger", model: imageTextToImage, cancellationToken: Ct), () => client.ImageTextToImageAsync(Png, "A tiger", model: imageTextToImage, cancellationToken: Ct)),
            (() => client.ImageTextToVideo(Png, "A tiger", model: imageTextToVideo, cancellationToken: Ct), () => client.ImageTextToVideoAsync(Png, "A tiger", model: imageTextToVideo, cancellationToken: Ct)),
            (() => client.TextToAudio("A drum", model: textToAudio, cancellationToken: Ct), () => client.TextToAudioAsync("A drum", model: textToAudio, cancellationToken: Ct)),
        ];

        foreach (var (sync, asyncCall) in pairs)
        {
            var syncAnswer = sync();
            var syncRequest = fixture.LastInference();
            var asyncAnswer = await asyncCall();
            var asyncRequest = fixture.LastInference();

            Assert.StartsWith("/endpoints/", asyncRequest.RawPath, StringComparison.Ordinal);
            Assert.Equal(asyncRequest.RawPath, syncRequest.RawPath);
            Assert.Equal(asyncRequest.ContentType, syncRequest.ContentType);
            Assert.Equal(asyncRequest.Header("accept"), syncRequest.Header("accept"));
            Assert.Equal(asyncRequest.Body, syncRequest.Body);
            Assert.Equal(asyncAnswer.ContentType, syncAnswer.ContentType);
            Assert.Equal(asyncAnswer.ToArray(), syncAnswer.ToArray());
        }
    }

    [Fact]
    public async Task NullArgumentsAreRefusedByNameBeforeAnyRequest()
    {
        using var client = fixture.Client();
        fixture.Server.ClearRequests();

        async Task Refused(string name, Func<Task> call, Action syncCall)
        {
            Assert.Equal(name, (await Assert.ThrowsAsync<ArgumentNullException>(call)).ParamName);
            Assert.Equal(name, Assert.Throws<ArgumentNullException>(syncCall).ParamName);
        }

        await Refused("prompt", () => client.TextToVideoAsync(null!, cancellationToken: Ct), () => client.TextToVideo(null!, cancellationToken: Ct));
        await Refused("image", () => client.ImageToVideoAsync(null!, cancellationToken: Ct), () => client.ImageToVideo(null!, cancellationToken: Ct));
        await Refused("image", () => client.ImageTextToImageAsync(null!, "p", cancellationToken: Ct), () => client.ImageTextToImage(null!, "p", cancellationToken: Ct));
        await Refused("prompt", () => client.ImageTextToImageAsync(Png, null!, cancellationToken: Ct), () => client.ImageTextToImage(Png, null!, cancellationToken: Ct));
        await Refused("image", () => client.ImageTextToVideoAsync(null!, "p", cancellationToken: Ct), () => client.ImageTextToVideo(null!, "p", cancellationToken: Ct));
        await Refused("prompt", () => client.ImageTextToVideoAsync(Png, null!, cancellationToken: Ct), () => client.ImageTextToVideo(Png, null!, cancellationToken: Ct));
        await Refused("prompt", () => client.TextToAudioAsync(null!, cancellationToken: Ct), () => client.TextToAudio(null!, cancellationToken: Ct));

        Assert.Empty(fixture.Server.Requests);
    }

    [Fact]
    public async Task ACancelledTokenStopsTheCallBeforeOrWhileItIsSent()
    {
        using var client = fixture.Client(o => o.Timeout = TimeSpan.FromSeconds(30));
        string textToVideo = Endpoint("text-to-video"), imageToVideo = Endpoint("image-to-video"), imageTextToImage = Endpoint("image-text-to-image");
        string imageTextToVideo = Endpoint("image-text-to-video"), textToAudio = Endpoint("text-to-audio");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        fixture.Server.ClearRequests();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.TextToVideoAsync("A cat", model: textToVideo, cancellationToken: cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ImageToVideoAsync(Png, model: imageToVideo, cancellationToken: cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ImageTextToImageAsync(Png, "A tiger", model: imageTextToImage, cancellationToken: cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ImageTextToVideoAsync(Png, "A tiger", model: imageTextToVideo, cancellationToken: cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.TextToAudioAsync("A drum", model: textToAudio, cancellationToken: cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => client.TextToVideo("A cat", model: textToVideo, cancellationToken: cancelled.Token));
        Assert.Empty(fixture.Server.Requests);

        // Cancelled while the server takes its time (a slow video): not a timeout, and quick.
        fixture.Server.Enqueue(ScriptedResponse.Slow(TimeSpan.FromSeconds(10)));
        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ImageTextToVideoAsync(Png, "A tiger", model: imageTextToVideo, cancellationToken: soon.Token));
        Assert.IsNotType<InferenceTimeoutException>(error);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
        fixture.Server.ClearScript();
    }

    [Fact]
    public async Task TheNewTasksHaveRecommendedModelsAndTakeModelIdsAndUrls()
    {
        Assert.Equal("Wan-AI/Wan2.2-TI2V-5B", InferenceClient.GetRecommendedModel("text-to-video"));
        Assert.Equal("Wan-AI/Wan2.2-I2V-A14B", InferenceClient.GetRecommendedModel("image-to-video"));
        Assert.Equal("black-forest-labs/FLUX.2-dev", InferenceClient.GetRecommendedModel("image-text-to-image"));
        Assert.Equal("Lightricks/LTX-Video", InferenceClient.GetRecommendedModel("image-text-to-video"));
        Assert.Equal("facebook/musicgen-small", InferenceClient.GetRecommendedModel("text-to-audio"));

        // A model id goes through the Hub's mapping ("auto": hf-inference does not serve the task) to a provider that does.
        using var client = fixture.Client();
        var model = "my-org/my-video-model-" + Guid.NewGuid().ToString("N")[..8];
        fixture.Server.ProviderMappings[model] = [new ProviderMappingEntry("fal-ai", "fal-ai/my-video/text", "text-to-video")];
        var polls = fixture.Server.JobPolls;
        var video = await client.TextToVideoAsync("A cat", model: model, cancellationToken: Ct);
        Assert.Contains(fixture.Server.Requests, r => r.Method == "GET" && r.Path == "/api/models/" + model);
        var submit = fixture.LastInference(r => r.Method == "POST");
        Assert.Equal("/fal-ai/fal-ai/my-video/text", submit.Path);
        Assert.Equal("_subdomain=queue", submit.Query.TrimStart('?'));
        Assert.Equal("Bearer " + ServerFixture.Token, submit.Header("authorization"));
        Assert.Equal("A cat", Json(submit).GetProperty("prompt").GetString());
        Assert.True(fixture.Server.JobPolls > polls);
        Assert.Equal("video/mp4", video.ContentType);
        Assert.Contains(InferenceTestServer.OutputTag("A cat"), Encoding.ASCII.GetString(video.ToArray()));

        // Without a model, the task's recommended model is routed the same way (hf-inference does not serve text-to-video).
        fixture.Server.ProviderMappings["Wan-AI/Wan2.2-TI2V-5B"] = [new ProviderMappingEntry("fal-ai", "fal-ai/wan/t2v", "text-to-video")];
        var recommended = await client.TextToVideoAsync("A dog", cancellationToken: Ct);
        Assert.Equal("/fal-ai/fal-ai/wan/t2v", fixture.LastInference(r => r.Method == "POST").Path);
        Assert.Equal("video/mp4", recommended.ContentType);
        Assert.Contains(InferenceTestServer.OutputTag("A dog"), Encoding.ASCII.GetString(recommended.ToArray()));

        var endpoint = await client.TextToAudioAsync("A drum", model: Endpoint("text-to-audio"), cancellationToken: Ct);
        Assert.Equal("/endpoints/text-to-audio", fixture.LastInference().RawPath);
        Assert.Equal("audio/wav", endpoint.ContentType);
    }

    [Fact]
    public async Task ServerErrorsSurfaceAsHfHubHttpException()
    {
        using var client = fixture.Client();
        fixture.Server.Enqueue(ScriptedResponse.Error(400, "num_frames must be at most 129"));
        var error = await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextToVideoAsync("A cat", new TextToVideoParameters { NumFrames = 1000 }, Endpoint("text-to-video"), Ct));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("num_frames must be at most 129", error.ServerMessage);

        Assert.Equal("/endpoints/text-to-video", fixture.LastInference().RawPath);

        fixture.Server.Enqueue(ScriptedResponse.Loading());
        var audio = await client.TextToAudioAsync("A drum", model: Endpoint("text-to-audio"), cancellationToken: Ct);
        Assert.Equal("/endpoints/text-to-audio", fixture.LastInference().RawPath);
        Assert.Equal("audio/wav", audio.ContentType);
    }
}
