// HuggingFace.Inference quickstart.
//   dotnet run --project samples/Quickstart            offline: a local Hugging Face-compatible server
//   dotnet run --project samples/Quickstart -- --live  the real serverless API (needs HF_TOKEN)
// Every method and type used here is generated at build time from the task specs in specs/.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using HuggingFace.Inference;
using HuggingFace.Inference.Serialization;
using HuggingFace.Inference.Testing;
using HuggingFace.Inference.Chat;
using HuggingFace.Inference.Vision;

var live = args.Contains("--live");
if (live && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("HF_TOKEN")))
{
    Console.Error.WriteLine("--live calls the real Hugging Face API: set HF_TOKEN first.");
    return 2;
}

await using var server = live ? null : await InferenceTestServer.StartAsync();
var options = new InferenceClientOptions { Timeout = TimeSpan.FromSeconds(60) };
if (server != null)
{
    // The local server stands in for the router, the Hub (which providers serve a model) and the providers.
    options.RouterUrl = server.BaseUrl;
    options.HubUrl = server.BaseUrl;
    options.SendToken = false;
    server.ProviderMappings["Wan-AI/Wan2.2-T2V-A14B"] = [new ProviderMappingEntry("fal-ai", "fal-ai/wan/v2.2-a14b/text-to-video", "text-to-video")];
    server.JobPollsBeforeDone = 3; // the video job waits in fal's queue for two polls, then runs for one
}

using var client = new InferenceClient(options);
Console.WriteLine(live ? "Calling the real serverless API (router.huggingface.co)." : $"Calling a local Hugging Face-compatible server at {server!.BaseUrl} (offline).");

var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

await Run("text classification", async () =>
{
    var labels = await client.TextClassificationAsync("I like you. I love you");
    return string.Join(", ", labels.Select(l => $"{l.Label} {l.Score:P1}"));
});
await Run("token classification", async () =>
    string.Join(", ", (await client.TokenClassificationAsync("My name is Sarah Jessica Parker but you can call me Jessica")).Select(e => $"{e.Word}: {e.EntityGroup}")));
await Run("fill mask", async () => (await client.FillMaskAsync("The goal of life is [MASK]."))[0].Sequence);
await Run("summarization", async () => (await client.SummarizationAsync("The tower is 324 metres (1,063 ft) tall, about the same height as an 81-storey building, and the tallest structure in Paris.")).SummaryText);
await Run("translation", async () => (await client.TranslationAsync("My name is Wolfgang and I live in Berlin", model: "google-t5/t5-base")).TranslationText);
await Run("question answering", async () =>
{
    var answer = (await client.QuestionAnsweringAsync("What is my name?", "My name is Clara and I live in Berkeley."))[0];
    return $"{answer.Answer} ({answer.Score:P1})";
});
await Run("table question answering", async () =>
{
    var table = new Dictionary<string, IReadOnlyList<string>> { ["Repository"] = ["Transformers", "Datasets", "Tokenizers"], ["Stars"] = ["36542", "4512", "3934"] };
    return (await client.TableQuestionAnsweringAsync(table, "How many stars does the transformers repository have?"))[0].Answer;
});
await Run("zero-shot classification", async () =>
{
    var labels = await client.ZeroShotClassificationAsync("A new model offers an explanation for how the Galilean satellites formed.", ["space & cosmos", "scientific discovery", "microbiology"]);
    return string.Join(", ", labels.Select(l => $"{l.Label} {l.Score:P0}"));
});
await Run("sentence similarity", async () =>
    string.Join(", ", (await client.SentenceSimilarityAsync("That is a happy person", ["That is a happy dog", "Today is a sunny day"])).Select(s => ((double)s).ToString("F3"))));
await Run("feature extraction", async () =>
{
    var embeddings = await client.FeatureExtractionAsync(new[] { "Today is a sunny day", "That is a happy person" });
    return $"shape [{string.Join(", ", embeddings.Shape)}], first values {string.Join(", ", embeddings.Vector(0)[..3].ToArray().Select(v => v.ToString("F4")))}";
});
if (!live)
{
    // Image and audio models need real inputs; offline, the local server answers any bytes.
    await Run("image classification", async () => (await client.ImageClassificationAsync(png))[0].Label);
    await Run("object detection", async () =>
    {
        var found = (await client.ObjectDetectionAsync(server!.FileUrl("cat.png")))[0];
        return $"{found.Label} at ({found.Box.Xmin}, {found.Box.Ymin})-({found.Box.Xmax}, {found.Box.Ymax})";
    });
    await Run("text to image", async () =>
    {
        var image = await client.TextToImageAsync("An astronaut riding a horse on the moon", new TextToImageParameters { Width = 512, Height = 512 });
        return $"{image.Bytes.Length} bytes of {image.ContentType}";
    });
    await Run("speech recognition", async () => (await client.AutomaticSpeechRecognitionAsync(server!.FileUrl("speech.flac"))).Text);

    // Provider "auto": the Hub says fal-ai serves this model; fal queues the job, the client polls it to its end.
    // The job's progress on one line, rewritten in place: queue position, status, time, polls.
    await Run("text to video (fal-ai)", async () =>
    {
        using (client.ReportJobProgress(new LineProgress("text to video (fal-ai)")))
        {
            var video = await client.TextToVideoAsync("A cat surfing a wave", model: "Wan-AI/Wan2.2-T2V-A14B");
            LineProgress.Clear();
            return $"{video.Bytes.Length} bytes of {video.ContentType}, after {server!.JobPolls} status polls";
        }
    });
}

Console.WriteLine();
Console.Write("chat, streamed token by token: ");
var chat = new ChatCompletionInput
{
    Model = "meta-llama/Llama-3.1-8B-Instruct",
    Messages = [new ChatCompletionInputMessage { Role = "user", Content = "What is the capital of France?" }],
    MaxTokens = 32,
};
await foreach (var chunk in client.ChatCompletionStreamAsync(chat))
{
    Console.Write(chunk.Choices.Count > 0 ? chunk.Choices[0].Delta.Content : null);
}

Console.WriteLine();
Console.WriteLine();
Console.WriteLine("The request and answer types are exact: that chat request, written as the chat-completion spec says:");
Console.WriteLine(JsonSerializer.Serialize(chat, InferenceJson.Options));
return 0;

static async Task Run(string task, Func<Task<string>> call)
{
    try
    {
        Console.WriteLine($"{task,-26} {await call()}");
    }
    catch (HfHubHttpException error)
    {
        Console.WriteLine($"{task,-26} failed: {error.Message}");
    }
}

/// <summary>Writes each job report over the previous one (a carriage return, no new line), on the caller's thread.</summary>
sealed class LineProgress(string task) : IProgress<ProviderJobProgress>
{
    public void Report(ProviderJobProgress value)
    {
        var place = value.QueuePosition is { } position ? $" (queue position {position})" : string.Empty;
        Console.Write($"\r{task,-26} {value.Status.ToString().ToLowerInvariant()}{place}, {value.Elapsed.TotalSeconds:0.0} s, {value.Polls} poll{(value.Polls == 1 ? "" : "s")}   ");
    }

    public static void Clear() => Console.Write("\r" + new string(' ', 79) + "\r");
}
