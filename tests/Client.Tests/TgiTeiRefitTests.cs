using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.DependencyInjection;
using HuggingFace.Inference.Http;
using HuggingFace.Inference.Serialization;
using HuggingFace.Inference.Testing;
using Microsoft.Extensions.DependencyInjection;
using Refit;
using Tei = HuggingFace.Inference.Tei;
using Tgi = HuggingFace.Inference.Tgi;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// The TGI and TEI Refit interfaces (from the servers' own OpenAPI documents, specs/tgi-openapi.json and
/// specs/tei-openapi.json), built by Refit and called against a local Kestrel server (127.0.0.1, port 0)
/// standing in for a TGI or TEI server: what went on the wire, and what the answer became.
/// </summary>
public class TgiTeiRefitTests
{
    private const string Token = "hf_tgi_tei_test_token";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static T For<T>(InferenceTestServer server, string path) =>
        RestService.For<T>(
            new HttpClient(new InferencePolicyHandler(new InferenceClientOptions { Token = Token, MaxRetries = 0 }) { InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false } })
            {
                BaseAddress = new Uri(server.BaseUrl, path),
                Timeout = Timeout.InfiniteTimeSpan,
            },
            InferenceJsonContentSerializer.CreateSettings());

    [Fact]
    public async Task TgiGenerateSendsTheRecordedRequestAndReadsTheRecordedAnswer()
    {
        // huggingface_hub's recording of a TGI generation with details; /generate answers the one object
        // that the hf-inference route wraps in a list, so that object is what the local server replays.
        var recorded = RecordedTraffic.Load().First(e => e.Task == "text-generation" && e.Kind == "inference" && e.Status == 200 && !e.IsSse
            && e.RequestBody is { } body && body.Contains("\"details\": true", StringComparison.Ordinal) && !body.Contains("best_of\": 2", StringComparison.Ordinal)
            && e.ResponseBody is { } answer && answer.StartsWith("[{", StringComparison.Ordinal) && answer.Contains("\"tokens\"", StringComparison.Ordinal));
        var element = JsonNode.Parse(recorded.ResponseBody!)!.AsArray()[0]!;
        await using var server = await InferenceTestServer.StartAsync();
        server.Enqueue(new ScriptedResponse { Body = element.ToJsonString() });
        var api = For<Tgi.ITextGenerationInferenceApi>(server, "tgi/");

        // The recorded request, read into the generated Tgi.GenerateRequest and sent again: the same JSON
        // (its "stream": false, not in TGI's schema, travels in AdditionalProperties).
        var request = JsonSerializer.Deserialize<Tgi.GenerateRequest>(recorded.RequestBody!, InferenceJson.Options)!;
        Assert.Equal(1, request.Parameters!.MaxNewTokens);
        var generated = await api.GenerateAsync(request, Ct);

        var sent = Assert.Single(server.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/tgi/generate", sent.Path);
        Assert.Equal("application/json", sent.ContentType);
        Assert.Equal("Bearer " + Token, sent.Header("authorization"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(recorded.RequestBody!), JsonNode.Parse(sent.BodyText)), sent.BodyText);

        Assert.Equal((string?)element["generated_text"], generated.GeneratedText);
        Assert.Equal(Tgi.FinishReason.Length, generated.Details!.FinishReason);
        Assert.Equal((int)element["details"]!["generated_tokens"]!, generated.Details.GeneratedTokens);
        Assert.Equal((string?)element["details"]!["tokens"]![0]!["text"], generated.Details.Tokens[0].Text);
        Assert.Null(generated.Details.Prefill[0].Logprob);
    }

    [Fact]
    public async Task TgiStreamHealthAndMetricsUseTheirWireForms()
    {
        await using var server = await InferenceTestServer.StartAsync();
        var api = For<Tgi.ITextGenerationInferenceApi>(server, "tgi/");

        // /generate_stream is the unread answer: the events are the caller's to read as they come.
        server.Enqueue(new ScriptedResponse
        {
            ContentType = "text/event-stream",
            Chunks = ["data:{\"token\":{\"id\":1,\"text\":\"Hi\",\"logprob\":-0.5,\"special\":false},\"generated_text\":null,\"details\":null}\n\n",
                      "data:{\"token\":{\"id\":2,\"text\":\"!\",\"logprob\":-0.1,\"special\":false},\"generated_text\":\"Hi!\",\"details\":null}\n\n"],
        });
        using (var stream = await api.GenerateStreamAsync(new Tgi.GenerateRequest { Inputs = "Say hi", Parameters = new Tgi.GenerateParameters { MaxNewTokens = 2 } }, Ct))
        {
            Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
            var text = await stream.Content.ReadAsStringAsync(Ct);
            Assert.Contains("\"generated_text\":\"Hi!\"", text, StringComparison.Ordinal);
        }

        Assert.Equal("{\"inputs\":\"Say hi\",\"parameters\":{\"max_new_tokens\":2}}", server.Requests.Last().BodyText);

        server.Enqueue(new ScriptedResponse { Body = null });
        await api.HealthAsync(Ct);
        Assert.Equal(("GET", "/tgi/health"), (server.Requests.Last().Method, server.Requests.Last().Path));

        server.Enqueue(new ScriptedResponse { ContentType = "text/plain", Body = "tgi_request_count 3\n" });
        Assert.Equal("tgi_request_count 3\n", await api.MetricsAsync(Ct));

        server.Enqueue(ScriptedResponse.Error(503, "unhealthy", "req-tgi-1"));
        var error = await Assert.ThrowsAsync<HfHubHttpException>(() => api.HealthAsync(Ct));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal("unhealthy", error.ServerMessage);
    }

    [Fact]
    public async Task TeiEmbedSendsTheInputsAndReadsTheMatrix()
    {
        await using var server = await InferenceTestServer.StartAsync();
        server.Enqueue(new ScriptedResponse { Body = "[[0.25,-1.5,2],[3,0.125,-4]]" });
        var api = For<Tei.ITextEmbeddingsInferenceApi>(server, "tei/");

        // TEI's inputs are a string, token ids or a list of either (a union the generator keeps as JSON).
        var matrix = await api.EmbedAsync(new Tei.EmbedRequest { Inputs = JsonSerializer.SerializeToElement(new[] { "first", "second" }), Normalize = true }, Ct);

        var sent = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/tei/embed"), (sent.Method, sent.Path));
        Assert.Equal("{\"inputs\":[\"first\",\"second\"],\"normalize\":true}", sent.BodyText);
        Assert.Equal([2, 3], matrix.Shape);
        Assert.Equal([3, 0.125, -4], matrix.Vector(1).ToArray());

        server.Enqueue(new ScriptedResponse { Body = "[{\"index\":1,\"score\":0.9},{\"index\":0,\"score\":0.1}]" });
        var ranks = await api.RerankAsync(new Tei.RerankRequest { Query = "q", Texts = ["a", "b"] }, Ct);
        Assert.Equal([1L, 0L], ranks.Select(r => (long)r.Index).ToArray());
        Assert.Equal("{\"query\":\"q\",\"texts\":[\"a\",\"b\"]}", server.Requests.Last().BodyText);
        Assert.Equal("/tei/rerank", server.Requests.Last().Path);
    }

    [Fact]
    public async Task TeiOpenAiEmbeddingsReplayARecordedExchange()
    {
        // TEI's /v1/embeddings speaks OpenAI's embeddings wire; sambanova's recorded exchange is one.
        var recorded = RecordedTraffic.Load().First(e => e.Task == "feature-extraction" && e.Url.EndsWith("/v1/embeddings", StringComparison.Ordinal) && e.Status == 200);
        await using var server = await InferenceTestServer.StartAsync();
        server.Enqueue(new ScriptedResponse { Body = recorded.ResponseBody });
        var api = For<Tei.ITextEmbeddingsInferenceApi>(server, "tei/");

        var request = JsonSerializer.Deserialize<Tei.OpenAICompatRequest>(recorded.RequestBody!, InferenceJson.Options)!;
        var answer = await api.OpenaiEmbedAsync(request, Ct);

        var sent = Assert.Single(server.Requests);
        Assert.Equal("/tei/v1/embeddings", sent.Path);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(recorded.RequestBody!), JsonNode.Parse(sent.BodyText)), sent.BodyText);
        var expected = JsonNode.Parse(recorded.ResponseBody!)!;
        Assert.Equal((string?)expected["model"], answer.Model);
        Assert.Equal(expected["data"]!.AsArray().Count, answer.Data.Count);
        Assert.True(JsonNode.DeepEquals(expected, JsonSerializer.SerializeToNode(answer, InferenceJson.Options)), "the answer did not round-trip losslessly");
    }

    [Fact]
    public async Task BothInterfacesRegisterWithDependencyInjection()
    {
        await using var server = await InferenceTestServer.StartAsync();
        var services = new ServiceCollection();
        services.AddTextGenerationInferenceApi(new Uri(server.BaseUrl, "tgi/"), o => o.Token = Token);
        services.AddTextEmbeddingsInferenceApi(new Uri(server.BaseUrl, "tei/"), o => o.Token = Token);
        await using var provider = services.BuildServiceProvider();

        server.Enqueue(new ScriptedResponse { Body = "{\"generated_text\":\"Paris\"}" });
        Assert.Equal("Paris", (await provider.GetRequiredService<Tgi.ITextGenerationInferenceApi>().GenerateAsync(new Tgi.GenerateRequest { Inputs = "The capital of France is" }, Ct)).GeneratedText);
        server.Enqueue(new ScriptedResponse { Body = "[[1,2]]" });
        var embedded = await provider.GetRequiredService<Tei.ITextEmbeddingsInferenceApi>().EmbedAsync(new Tei.EmbedRequest { Inputs = JsonSerializer.SerializeToElement("x") }, Ct);
        Assert.Equal([1, 2], embedded.Vector(0).ToArray());

        Assert.Equal(["/tgi/generate", "/tei/embed"], server.Requests.Select(r => r.Path).ToArray());
        Assert.All(server.Requests, r => Assert.Equal("Bearer " + Token, r.Header("authorization")));
    }
}
