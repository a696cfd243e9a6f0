using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.AI;
using HuggingFace.Inference.Samples.Rag;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Samples.Tests;

/// <summary>The RAG sample against the local server: batched embeddings, the cache, the numbered sources and the citation.</summary>
public sealed class RagTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheCorpusIsEmbeddedInBatchesOnceAndTheAnswerCitesItsSources()
    {
        await using var server = await InferenceTestServer.StartAsync(Ct);
        using var client = new InferenceClient(new InferenceClientOptions { RouterUrl = server.BaseUrl, HubUrl = server.BaseUrl, SendToken = false, Provider = "hf-inference" });
        var cachePath = Path.Combine(Path.GetTempPath(), "rag-test-" + Guid.NewGuid().ToString("N") + ".json");
        var corpus = RagPipeline.Read(Path.Combine(AppContext.BaseDirectory, "corpus"));
        const string Model = "sentence-transformers/all-MiniLM-L6-v2";
        try
        {
            Assert.Equal(8, corpus.Count);
            Assert.All(corpus, p => Assert.Matches(@"^\w+\.md#\d$", p.Source));

            var rag = new RagPipeline(client.AsEmbeddingGenerator(batchSize: 4), client.AsChatClient("meta-llama/Llama-3.1-8B-Instruct"), Model, new EmbeddingCache(cachePath));
            var first = await rag.AskAsync(corpus, "What happens when the model is loading?", cancellationToken: Ct);

            // 8 passages and the question, 4 a request: 3 requests.
            var embedded = server.Requests.Where(r => r.Path.Contains("/feature-extraction", StringComparison.Ordinal) || r.Path.EndsWith(Model, StringComparison.Ordinal)).ToList();
            Assert.Equal(3, embedded.Count);
            Assert.Equal([4, 4, 1], embedded.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("inputs").GetArrayLength()));
            Assert.Equal((8, 0), (first.Embedded, first.FromCache));

            // The prompt numbers the retrieved passages; the answer cites [1], which is the first of them.
            Assert.Equal(3, first.Sources.Count);
            var prompt = JsonDocument.Parse(server.Requests.Last(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).Body).RootElement.GetProperty("messages")[0].GetProperty("content").GetString()!;
            for (var i = 0; i < 3; i++)
            {
                Assert.Contains($"[{i + 1}] {first.Sources[i].Text}\n", prompt);
            }

            Assert.EndsWith("[1].", first.Answer);
            Assert.StartsWith(first.Answer[..^" [1].".Length], first.Sources[0].Text);

            // A second run (a new cache object reading the same file) embeds only the question.
            server.ClearRequests();
            var again = new RagPipeline(client.AsEmbeddingGenerator(batchSize: 4), client.AsChatClient("meta-llama/Llama-3.1-8B-Instruct"), Model, new EmbeddingCache(cachePath));
            var second = await again.AskAsync(corpus, "What happens when the model is loading?", cancellationToken: Ct);
            Assert.Equal((0, 8), (second.Embedded, second.FromCache));
            var once = Assert.Single(server.Requests, r => r.Method == "POST" && !r.Path.EndsWith("/chat/completions", StringComparison.Ordinal));
            Assert.Equal(1, JsonDocument.Parse(once.Body).RootElement.GetProperty("inputs").GetArrayLength());
            Assert.Equal(first.Sources, second.Sources);
        }
        finally
        {
            File.Delete(cachePath);
        }
    }
}
