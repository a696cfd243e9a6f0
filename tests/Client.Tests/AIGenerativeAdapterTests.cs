// Microsoft.Extensions.AI marks IImageGenerator, ISpeechToTextClient and ITextToSpeechClient experimental (MEAI001).
#pragma warning disable MEAI001
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.AI;
using HuggingFace.Inference.DependencyInjection;
using HuggingFace.Inference.Diagnostics;
using HuggingFace.Inference.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace HuggingFace.Inference.Tests;

/// <summary>The image, speech-to-text and text-to-speech adapters, each inside a Microsoft.Extensions.AI pipeline against the local server.</summary>
public class AIGenerativeAdapterTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ImagesAreGeneratedFromAPromptAndFromAnOriginalImage()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource("adapter-test").AddInMemoryExporter(spans).Build();
        using var client = fixture.Client(o => o.Provider = "hf-inference");
        using var generator = new ImageGeneratorBuilder(client.AsImageGenerator("stabilityai/stable-diffusion-xl-base-1.0")).UseOpenTelemetry(sourceName: "adapter-test").Build();

        var response = await generator.GenerateAsync(new ImageGenerationRequest("An astronaut riding a horse"), new ImageGenerationOptions { ImageSize = new System.Drawing.Size(512, 256), Count = 2 }, Ct);

        Assert.Equal(2, response.Contents.Count);
        var image = Assert.IsType<DataContent>(response.Contents[0]);
        Assert.Equal("image/png", image.MediaType);
        Assert.Equal(0x89, image.Data.Span[0]);
        var sent = fixture.LastInference();
        Assert.Equal("/hf-inference/models/stabilityai/stable-diffusion-xl-base-1.0", sent.Path);
        var body = JsonDocument.Parse(sent.Body).RootElement;
        Assert.Equal("An astronaut riding a horse", body.GetProperty("inputs").GetString());
        Assert.Equal(512, body.GetProperty("parameters").GetProperty("width").GetInt32());
        Assert.Equal(256, body.GetProperty("parameters").GetProperty("height").GetInt32());

        // An original image makes it image-to-image, the prompt going as a parameter.
        var edited = await generator.GenerateAsync(new ImageGenerationRequest("Make it blue", [new DataContent(image.Data, "image/png")]), new ImageGenerationOptions { ModelId = "timbrooks/instruct-pix2pix" }, Ct);
        Assert.IsType<DataContent>(Assert.Single(edited.Contents));
        var editBody = JsonDocument.Parse(fixture.LastInference().Body).RootElement;
        Assert.Equal("/hf-inference/models/timbrooks/instruct-pix2pix", fixture.LastInference().Path);
        Assert.Equal("Make it blue", editBody.GetProperty("parameters").GetProperty("prompt").GetString());
        Assert.Equal(Convert.ToBase64String(image.Data.Span), editBody.GetProperty("inputs").GetString());

        tracing.ForceFlush();
        Assert.Contains(spans, s => s.Source.Name == "adapter-test" && (string?)s.GetTagItem("gen_ai.request.model") == "stabilityai/stable-diffusion-xl-base-1.0");
        await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(new ImageGenerationRequest(" "), cancellationToken: Ct));
    }

    [Fact]
    public async Task SpeechIsTranscribedFromAStream()
    {
        using var client = fixture.Client(o => o.Provider = "hf-inference");
        using var speech = new SpeechToTextClientBuilder(client.AsSpeechToTextClient("openai/whisper-large-v3", "audio/wav")).UseOpenTelemetry().Build();
        var wav = SampleMedia.Wav(new byte[3200]);

        var response = await speech.GetTextAsync(new MemoryStream(wav), cancellationToken: Ct);

        Assert.Equal("hello from the local server", response.Text);
        var sent = fixture.LastInference();
        Assert.Equal("/hf-inference/models/openai/whisper-large-v3", sent.Path);
        Assert.Equal("audio/wav", sent.ContentType);
        Assert.Equal(wav, sent.Body);

        var streamed = new List<SpeechToTextResponseUpdate>();
        await foreach (var update in speech.GetStreamingTextAsync(new MemoryStream(wav), cancellationToken: Ct))
        {
            streamed.Add(update);
        }

        Assert.Equal("hello from the local server", string.Concat(streamed.Select(u => u.Text)));
    }

    [Fact]
    public async Task TextIsSpokenAsAudioContent()
    {
        var services = new ServiceCollection();
        services.AddHuggingFaceInference(o => { o.Client.RouterUrl = fixture.Server.BaseUrl; o.Client.HubUrl = fixture.Server.BaseUrl; o.Client.Token = ServerFixture.Token; o.Client.Provider = "hf-inference"; });
        services.AddHuggingFaceTextToSpeechClient(model: "espnet/kan-bayashi_ljspeech_vits").UseOpenTelemetry();
        services.AddHuggingFaceImageGenerator(model: "stabilityai/stable-diffusion-xl-base-1.0");
        services.AddHuggingFaceSpeechToTextClient(model: "openai/whisper-large-v3");
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var tts = provider.GetRequiredService<ITextToSpeechClient>();

        var response = await tts.GetAudioAsync("Hello there", cancellationToken: Ct);

        var audio = Assert.IsType<DataContent>(Assert.Single(response.Contents));
        Assert.Equal("audio/flac", audio.MediaType);
        Assert.Equal("fLaC", System.Text.Encoding.ASCII.GetString(audio.Data.Span[..4]));
        Assert.Equal("Hello there", JsonDocument.Parse(fixture.LastInference().Body).RootElement.GetProperty("inputs").GetString());
        Assert.NotNull(provider.GetRequiredService<IImageGenerator>().GetService<HuggingFaceImageGenerator>());
        Assert.NotNull(provider.GetRequiredService<ISpeechToTextClient>().GetService<HuggingFaceSpeechToTextClient>());
        await Assert.ThrowsAsync<ArgumentException>(() => tts.GetAudioAsync("", cancellationToken: Ct));
    }
}
