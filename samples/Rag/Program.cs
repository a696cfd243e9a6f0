// Retrieval-augmented answers with citations over the Markdown files in corpus/.
//   dotnet run --project samples/Rag                               offline: a local Hugging Face-compatible server
//   dotnet run --project samples/Rag -- "How are 503 answers handled?"
//   dotnet run --project samples/Rag -- --live "…"                the real router (needs HF_TOKEN)
// Embeddings are cached in rag-embeddings.json beside the program: a second run embeds only the question.
using System;
using System.IO;
using System.Linq;
using HuggingFace.Inference;
using HuggingFace.Inference.AI;
using HuggingFace.Inference.Samples.Rag;
using HuggingFace.Inference.Testing;

var live = args.Contains("--live");
var question = args.FirstOrDefault(a => a != "--live") ?? "What happens when the model is loading?";
await using var local = live ? null : await InferenceTestServer.StartAsync();
var options = new InferenceClientOptions();
if (local != null)
{
    options.RouterUrl = local.BaseUrl;
    options.HubUrl = local.BaseUrl;
    options.SendToken = false;
    options.Provider = "hf-inference";
}

using var client = new InferenceClient(options);
const string EmbeddingModel = "sentence-transformers/all-MiniLM-L6-v2";
var cache = new EmbeddingCache(Path.Combine(AppContext.BaseDirectory, "rag-embeddings.json"));
var rag = new RagPipeline(client.AsEmbeddingGenerator(batchSize: 4), client.AsChatClient("meta-llama/Llama-3.1-8B-Instruct"), EmbeddingModel, cache);
var corpus = RagPipeline.Read(Path.Combine(AppContext.BaseDirectory, "corpus"));

var result = await rag.AskAsync(corpus, question);
Console.WriteLine($"Q: {question}");
Console.WriteLine($"A: {result.Answer}");
Console.WriteLine();
for (var i = 0; i < result.Sources.Count; i++)
{
    Console.WriteLine($"[{i + 1}] {result.Sources[i].Source}: {result.Sources[i].Text}");
}

Console.WriteLine();
Console.WriteLine($"{corpus.Count} passages: {result.Embedded} embedded now, {result.FromCache} from the cache.");
