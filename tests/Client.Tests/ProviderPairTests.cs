using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Providers;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// Every (provider, task) pair of the registry (specs/providers/*.json), called through the router with
/// "{id}:{provider}" against the local server's provider routes: the submit's line, headers and body as the
/// registry describes them, the job's polls, the result download without credentials, and a typed answer
/// that carries the server's tag of the request. hf-inference is covered by the task tests; openai is
/// direct only and has its own test.
/// </summary>
public class ProviderPairTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private static readonly byte[] Wav = SampleMedia.Wav(new byte[200]); // 100 silent 16 kHz samples

    /// <summary>Pairs that cannot pass because of a client or server defect (see the report): provider/task → the defect.</summary>
    /// <summary>Pairs that cannot pass yet, with why (none today: each found defect was fixed).</summary>
    private static readonly Dictionary<string, string> KnownDefects = new(StringComparer.Ordinal);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private InferenceTestServer Server => fixture.Server;

    /// <summary>Every routed pair of the registry but hf-inference's.</summary>
    public static TheoryData<string, string> Pairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var (provider, task) in AllPairs())
        {
            data.Add(provider, task);
        }

        return data;
    }

    private static IEnumerable<(string Provider, string Task)> AllPairs() =>
        from provider in ProviderRegistry.All
        where provider.Name != InferenceProviders.HfInference && !provider.DirectOnly
        from entry in provider.Tasks
        select (provider.Name, entry.Task);

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task EveryPairSendsTheRegistrysRequestAndReadsATypedAnswer(string provider, string task)
    {
        if (KnownDefects.TryGetValue(provider + "/" + task, out var defect))
        {
            Assert.Skip("known defect: " + defect);
        }

        await RunPairAsync(provider, task);
    }

    [Fact]
    public async Task AllPairsSucceed()
    {
        var pairs = AllPairs().ToList();
        var passed = 0;
        var failures = new List<string>();
        foreach (var (provider, task) in pairs)
        {
            try
            {
                await RunPairAsync(provider, task);
                passed++;
            }
            catch (Exception error) when (error is not OperationCanceledException || !Ct.IsCancellationRequested)
            {
                var known = KnownDefects.TryGetValue(provider + "/" + task, out var defect) ? " [known defect: " + defect + "]" : string.Empty;
                failures.Add($"{provider}/{task}: {error.GetType().Name}: {error.Message.Split('\n')[0]}{known}");
            }
        }

        foreach (var failure in failures)
        {
            output.WriteLine("FAILED " + failure);
        }

        output.WriteLine($"provider pairs: {passed}/{pairs.Count}");
        if (failures.Count > 0 && failures.Count == KnownDefects.Count && failures.All(f => f.Contains("[known defect:", StringComparison.Ordinal)))
        {
            Assert.Skip($"known defects: provider pairs {passed}/{pairs.Count}; failing: {string.Join("; ", failures)}");
        }

        Assert.True(passed == pairs.Count, $"provider pairs: {passed}/{pairs.Count}\n{string.Join("\n", failures)}");
    }

    [Fact]
    public async Task OpenAiIsCalledDirectlyWithItsOwnKeyAndModelName()
    {
        const string key = "sk-openai-test-key";
        using var client = fixture.Client(o =>
        {
            o.Token = key;
            o.ProviderUrls["openai"] = new Uri(Server.BaseUrl, "direct/openai");
        });
        var before = Server.Requests.Count;
        var answer = await client.ChatCompletionAsync([new ChatCompletionInputMessage { Role = "user", Content = "Say hello to openai" }], "gpt-4o-mini:openai", Ct);

        var sent = Server.Requests.Skip(before).ToList();
        var request = Assert.Single(sent);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/direct/openai/v1/chat/completions", request.Path);
        Assert.Equal("Bearer " + key, request.Header("authorization"));
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("gpt-4o-mini", body.GetProperty("model").GetString());
        Assert.Contains("Say hello to openai", request.BodyText);
        Assert.NotEmpty(answer.Choices);
        Assert.DoesNotContain(sent, r => r.Path.StartsWith("/api/models/", StringComparison.Ordinal));
    }

    private static string ProviderIdFor(string provider, string task) => provider switch
    {
        "replicate" => "owner/name-" + task,
        "fal-ai" => "fal-ai/x/" + task,
        _ => $"{provider}-org/model-x-{task}",
    };

    /// <summary>Forms whose JSON body names the provider's model in <c>model</c>.</summary>
    private static bool HasModelMember(ProviderRequestForm form) => form is ProviderRequestForm.OpenAiChat or ProviderRequestForm.OpenAiCompletion
        or ProviderRequestForm.OpenAiEmbeddings or ProviderRequestForm.OpenAiImage or ProviderRequestForm.OpenAiSpeech
        or ProviderRequestForm.TogetherVideo or ProviderRequestForm.ZaiImage or ProviderRequestForm.ZaiOcr;

    /// <summary>Runs one pair and asserts the whole exchange; throws on any mismatch.</summary>
    private async Task RunPairAsync(string providerName, string task)
    {
        var provider = ProviderRegistry.Find(providerName)!;
        var entry = provider.Find(task)!;
        var model = $"pairs-org/{providerName}-{task}-{Guid.NewGuid().ToString("N")[..8]}";
        var providerId = ProviderIdFor(providerName, task);
        Server.ProviderMappings[model] = [new ProviderMappingEntry(providerName, providerId, task == "chat-completion" ? "conversational" : task)];
        var call = model + ":" + providerName;
        var prompt = $"pair {providerName} {task} {Guid.NewGuid().ToString("N")[..6]}";

        // chat with "auto" goes to the router's own /v1/chat/completions; a named provider takes its own chat route.
        using var client = fixture.Client(o =>
        {
            if (task == "chat-completion")
            {
                o.Provider = providerName;
            }
        });

        var before = Server.Requests.Count;
        var polls = Server.JobPolls;
        var downloads = Server.OutputDownloads.Count;
        var authorizedDownloads = Server.AuthorizedOutputDownloads;

        InferenceBinaryOutput? binary = null;
        string? expectedTag = InferenceTestServer.OutputTag(prompt);
        string? expectedMedia = null;
        string inputMarker = prompt;
        switch (task)
        {
            case "chat-completion":
                var chat = await client.ChatCompletionAsync([new ChatCompletionInputMessage { Role = "user", Content = prompt }], call, Ct);
                Assert.NotEmpty(chat.Choices);
                Assert.False(string.IsNullOrEmpty(chat.Choices[0].Message.Content?.ToString()), "empty chat message");
                break;
            case "text-generation":
                var generated = await client.TextGenerationAsync(prompt, new TextGenerationInputGenerateParameters { MaxNewTokens = 8 }, call, Ct);
                Assert.False(string.IsNullOrEmpty(generated.GeneratedText), "empty generated_text");
                break;
            case "feature-extraction":
                var embeddings = await client.FeatureExtractionAsync(prompt, model: call, cancellationToken: Ct);
                Assert.True(embeddings.Count >= 1, "no embeddings");
                Assert.True(embeddings.Row(0).Length > 0, "empty embedding row");
                break;
            case "text-to-image":
                binary = await client.TextToImageAsync(prompt, model: call, cancellationToken: Ct);
                expectedMedia = "image/png";
                break;
            case "image-to-image":
                binary = await client.ImageToImageAsync(Png, new ImageToImageParameters { Prompt = prompt }, call, Ct);
                expectedMedia = "image/png";
                break;
            case "text-to-speech":
                binary = await client.TextToSpeechAsync(prompt, model: call, cancellationToken: Ct);
                expectedMedia = "audio/wav";
                break;
            case "automatic-speech-recognition":
                var transcript = await client.AutomaticSpeechRecognitionAsync(Wav, model: call, cancellationToken: Ct);
                Assert.False(string.IsNullOrEmpty(transcript.Text), "empty transcript");
                inputMarker = Convert.ToBase64String(Wav);
                break;
            case "image-segmentation":
                var segments = await client.ImageSegmentationAsync(Png, model: call, cancellationToken: Ct);
                Assert.NotEmpty(segments);
                Assert.False(string.IsNullOrEmpty(segments[0].Mask), "empty mask");
                inputMarker = Convert.ToBase64String(Png);
                break;
            case "text-to-video":
                binary = await client.TextToVideoAsync(prompt, model: call, cancellationToken: Ct);
                expectedMedia = "video/mp4";
                break;
            case "image-to-video":
                binary = await client.ImageToVideoAsync(Png, new ImageToVideoParameters { Prompt = prompt }, call, Ct);
                expectedMedia = "video/mp4";
                break;
            case "image-text-to-image":
                binary = await client.ImageTextToImageAsync(Png, prompt, model: call, cancellationToken: Ct);
                expectedMedia = "image/png";
                break;
            case "image-text-to-video":
                binary = await client.ImageTextToVideoAsync(Png, prompt, model: call, cancellationToken: Ct);
                expectedMedia = "video/mp4";
                break;
            case "text-to-audio":
                binary = await client.TextToAudioAsync(prompt, model: call, cancellationToken: Ct);
                expectedMedia = "audio/wav";
                break;
            case "audio-to-audio":
                var tracks = await client.AudioToAudioAsync(Wav, model: call, cancellationToken: Ct);
                Assert.NotEmpty(tracks);
                var track = tracks[0].Blob.ToArray();
                Assert.NotEmpty(track);
                Assert.Contains(InferenceTestServer.OutputTag("data:audio/x-wav;base64," + Convert.ToBase64String(Wav)), Encoding.ASCII.GetString(track), StringComparison.Ordinal); // fal takes WAV labelled audio/x-wav
                inputMarker = Convert.ToBase64String(Wav);
                break;
            case "image-to-text":
                var text = await client.ImageToTextAsync(Png, model: call, cancellationToken: Ct);
                Assert.False(string.IsNullOrEmpty(text.GeneratedText), "empty generated_text");
                inputMarker = Convert.ToBase64String(Png);
                break;
            default:
                throw new InvalidOperationException($"No call for task {task}: add it to ProviderPairTests.");
        }

        var sent = Server.Requests.Skip(before).ToList();

        // The Hub mapping was asked for the model.
        Assert.Contains(sent, r => r.Method == "GET" && r.Path == "/api/models/" + model);

        // The submit: the registry's route under the router's /{provider}, the fal queue through _subdomain=queue.
        var expectedPath = "/" + providerName + entry.Route.Replace("{providerId}", providerId, StringComparison.Ordinal).Replace("{model}", model, StringComparison.Ordinal);
        var submit = sent.FirstOrDefault(r => r.Method == "POST" && r.Path.StartsWith("/" + providerName + "/", StringComparison.Ordinal));
        Assert.True(submit != null, $"no POST under /{providerName}/; requests: {string.Join(", ", sent.Select(r => r.Method + " " + r.Path + r.Query))}");
        Assert.Equal(expectedPath, submit.Path);
        Assert.Equal(entry.Job == ProviderJobForm.FalQueue ? "?_subdomain=queue" : string.Empty, submit.Query);

        // Credentials and the provider's own headers on every call to the provider (not on result downloads).
        foreach (var request in sent.Where(r => r.Path.StartsWith("/" + providerName + "/", StringComparison.Ordinal)))
        {
            Assert.Equal("Bearer " + ServerFixture.Token, request.Header("authorization"));
        }

        foreach (var (name, value) in provider.Headers)
        {
            Assert.Equal(value, submit.Header(name));
        }

        // The provider's model in the body (or the path), and the input in the body.
        if (HasModelMember(entry.Request))
        {
            Assert.Equal("application/json", submit.ContentType);
            Assert.Equal(providerId, JsonDocument.Parse(submit.Body).RootElement.GetProperty("model").GetString());
        }
        else if (entry.Request == ProviderRequestForm.OpenAiTranscription)
        {
            Assert.Equal("multipart/form-data", submit.ContentType);
            Assert.Contains("name=\"model\"\r\n\r\n" + providerId + "\r\n", submit.BodyText, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(providerId, submit.Path, StringComparison.Ordinal);
        }

        if (entry.Request == ProviderRequestForm.OpenAiTranscription)
        {
            Assert.True(submit.Body.AsSpan().IndexOf(Wav) >= 0, "the audio is not in the multipart body");
        }
        else
        {
            Assert.Contains(inputMarker, submit.BodyText, StringComparison.Ordinal);
        }

        if (entry.Request == ProviderRequestForm.Replicate)
        {
            Assert.Contains("wait", submit.Header("prefer") ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        }

        // Jobs were polled; result files were fetched without credentials.
        if (entry.Job != ProviderJobForm.None)
        {
            Assert.True(Server.JobPolls > polls, $"no job polls ({entry.Job})");
        }

        Assert.Equal(authorizedDownloads, Server.AuthorizedOutputDownloads);

        if (binary != null)
        {
            Assert.Equal(expectedMedia, binary.ContentType);
            var bytes = binary.ToArray();
            Assert.NotEmpty(bytes);
            Assert.Contains(expectedTag, Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
            if (entry.Answer is not (ProviderAnswerForm.OpenAiImage or ProviderAnswerForm.Bytes))
            {
                Assert.True(Server.OutputDownloads.Count > downloads, "the result file was not downloaded");
            }
        }
    }
}
