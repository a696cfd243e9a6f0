using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using HuggingFace.Inference.Http;
using HuggingFace.Inference.Providers;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// The real provider traffic of ../shared/reference/recorded.jsonl, read the way the client reads each
/// provider's answers: every recorded answer of a provider still in the registry goes through the
/// registry's answer form for its (provider, task) (output files the answers point to are served as a
/// stand-in PNG, counted), every recorded stream event is read as a chunk, every error answer must give
/// its server message, and every Hub mapping answer must give entries. Providers removed from the router
/// in 2026 are left out, counted and named. Prints <c>provider conformance: N/M</c>.
/// </summary>
public class ProviderConformanceTests(ITestOutputHelper output)
{
    private static readonly byte[] StandInFile = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    [Fact]
    public async Task RecordedProviderAnswersReadAsTheClientReadsThem()
    {
        var exchanges = RecordedTraffic.Load();
        var failures = new List<string>();
        var passed = 0;
        var total = 0;
        var removed = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var exchange in exchanges.Where(e => e.Kind == "inference" && e.Provider != "None" && !e.Provider.StartsWith("hf-inference", StringComparison.Ordinal)))
        {
            var provider = ProviderRegistry.Find(exchange.Provider);
            if (provider == null)
            {
                removed[exchange.Provider] = removed.GetValueOrDefault(exchange.Provider) + 1;
                continue;
            }

            var task = exchange.Task == "conversational" ? "chat-completion" : exchange.Task;
            if (task == "chat-completion" && provider.Find(task) is { } chat && !new Uri(exchange.Url).AbsolutePath.EndsWith(chat.Route, StringComparison.Ordinal))
            {
                // A route the registry does not use (Cohere's own v2 /v2/chat, older paths): not what this client sends.
                removed[exchange.Provider + " on another route"] = removed.GetValueOrDefault(exchange.Provider + " on another route") + 1;
                continue;
            }

            total++;
            try
            {
                await CheckAsync(provider, exchange);
                passed++;
            }
            catch (Exception exception)
            {
                failures.Add(exchange + ": " + exception.GetType().Name + ": " + exception.Message);
            }
        }

        var mappings = exchanges.Where(e => e.Kind == "hub-api" && e.Url.Contains("inferenceProviderMapping", StringComparison.Ordinal) && e.Status == 200).ToList();
        foreach (var mapping in mappings)
        {
            total++;
            var id = new Uri(mapping.Url).AbsolutePath["/api/models/".Length..];
            var entries = ProviderMappingCache.Parse(id, Encoding.UTF8.GetBytes(mapping.ResponseBody ?? "{}"));
            if (entries.Count > 0 && entries.All(m => m.ProviderId.Length > 0 && m.Task.Length > 0))
            {
                passed++;
            }
            else
            {
                failures.Add(mapping + ": no mapping entries read");
            }
        }

        output.WriteLine($"provider conformance: {passed}/{total} ({total - mappings.Count} provider exchanges, {mappings.Count} Hub mapping answers)");
        output.WriteLine("left out (removed from the router in 2026, not Inference Providers, or a route the registry does not use): " + string.Join(", ", removed.Select(r => $"{r.Key} ({r.Value})")));
        Assert.True(total > 150, $"only {total} recorded provider exchanges were found");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static async Task CheckAsync(ProviderSpec provider, RecordedExchange exchange)
    {
        var task = exchange.Task == "conversational" ? "chat-completion" : exchange.Task;
        var entry = provider.Find(task) ?? throw new InvalidOperationException($"the registry has no {task} for {provider.Name}");
        if (exchange.Status >= 400)
        {
            using var response = new HttpResponseMessage((HttpStatusCode)exchange.Status) { Content = new StringContent(exchange.ResponseBody ?? string.Empty) };
            var message = ErrorParser.Message(response, exchange.ResponseBody);
            Assert.False(string.IsNullOrWhiteSpace(message), "no server message in " + exchange.ResponseBody);
            return;
        }

        var body = exchange.ResponseBody ?? throw new InvalidOperationException("no recorded answer");
        if (exchange.IsSse || body.TrimStart().StartsWith("data:", StringComparison.Ordinal))
        {
            // Read by the client's own stream reader (which also keeps events a recording ran together).
            var count = 0;
            await foreach (var chunk in StreamEvents.ReadAsync<ChatCompletionStreamOutput>(new System.IO.MemoryStream(Encoding.UTF8.GetBytes(body)), TestContext.Current.CancellationToken))
            {
                Assert.NotNull(chunk);
                count++;
            }

            Assert.True(count > 0, "no events");
            return;
        }

        if (entry.Answer == ProviderAnswerForm.OpenAiChat)
        {
            var chat = JsonSerializer.Deserialize<ChatCompletionOutput>(body, InferenceJson.ReadOptions)!;
            Assert.NotEmpty(chat.Choices);
            return;
        }

        var route = new ProviderRoute(provider, entry, "recorded/model", "recorded/provider-model", null, new Uri("https://router.invalid/" + provider.Name), Direct: false);
        var downloads = 0;
        var answer = Encoding.UTF8.GetBytes(body);
        if (entry.Job == ProviderJobForm.Replicate && JsonDocument.Parse(body).RootElement.GetProperty("output").ValueKind == JsonValueKind.Null)
        {
            // Still "starting": the job runner polls its urls.get, which must be there.
            Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(body).RootElement.GetProperty("urls").GetProperty("get").GetString()));
            return;
        }

        var result = await ProviderAnswers.ReadAsync(route, task, answer, exchange.ResponseContentType, (url, _) =>
        {
            downloads++;
            Assert.True(url.Scheme == Uri.UriSchemeHttps, url.ToString());
            return ValueTask.FromResult((StandInFile, (string?)"image/png"));
        }, TestContext.Current.CancellationToken);
        Assert.NotEmpty(result.Body);
        if (result.MediaType == "application/json")
        {
            using var read = JsonDocument.Parse(result.Body);
            if (task == "text-generation")
            {
                Assert.False(string.IsNullOrEmpty(read.RootElement.GetProperty("generated_text").GetString()));
            }
            else if (task == "automatic-speech-recognition")
            {
                Assert.NotNull(read.RootElement.GetProperty("text").GetString());
            }
        }
        else
        {
            Assert.True(downloads > 0 || result.Body.Length > 8, "no file read");
        }
    }
}
