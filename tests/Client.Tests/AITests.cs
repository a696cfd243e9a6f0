using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.AI;
using Microsoft.Extensions.AI;

namespace HuggingFace.Inference.Tests;

/// <summary>The Microsoft.Extensions.AI adapters against the local server.</summary>
public class AITests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private JsonElement LastBody() => JsonDocument.Parse(fixture.LastInference().Body).RootElement;

    [Fact]
    public async Task ChatMessagesAndOptionsBecomeTheChatRequest()
    {
        using var client = fixture.Client();
        IChatClient chat = client.AsChatClient("meta-llama/Llama-3.1-8B-Instruct");

        var response = await chat.GetResponseAsync(
            [
                new ChatMessage(ChatRole.User, "Hello"),
                new ChatMessage(ChatRole.Assistant, "Hi! How can I help?"),
                new ChatMessage(ChatRole.User, "What is the capital of France?"),
            ],
            new ChatOptions { Instructions = "Answer briefly.", Temperature = 0.5f, TopP = 0.9f, MaxOutputTokens = 64, Seed = 42, StopSequences = ["\n\n"], TopK = 5 },
            Ct);

        Assert.Equal("/v1/chat/completions", fixture.LastInference().RawPath);
        var body = LastBody();
        Assert.Equal(["system", "user", "assistant", "user"], body.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("Answer briefly.", body.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal(0.5, body.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(64, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal(42UL, body.GetProperty("seed").GetUInt64());
        Assert.Equal("\n\n", body.GetProperty("stop")[0].GetString());
        Assert.Equal(5, body.GetProperty("top_k").GetInt32());

        Assert.Equal("The capital of France is Paris.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.True(response.Usage!.TotalTokenCount > 0);
        Assert.Equal("chatcmpl-local", response.ResponseId);
        var metadata = (ChatClientMetadata)chat.GetService(typeof(ChatClientMetadata))!;
        Assert.Equal("huggingface", metadata.ProviderName);
        Assert.Equal("meta-llama/Llama-3.1-8B-Instruct", metadata.DefaultModelId);
        Assert.Same(client, chat.GetService(typeof(InferenceClient)));
    }

    [Fact]
    public async Task StreamingYieldsTextUpdatesThenUsage()
    {
        using var client = fixture.Client();
        var chat = client.AsChatClient();
        var text = new StringBuilder();
        UsageDetails? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in chat.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "What is the capital of France?")], cancellationToken: Ct))
        {
            text.Append(update.Text);
            usage ??= update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details;
            finish ??= update.FinishReason;
        }

        Assert.Equal("The capital of France is Paris.", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.True(usage?.TotalTokenCount > 0);
        Assert.True(LastBody().GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public async Task ToolsGoOutAsDeclarationsAndComeBackAsFunctionCalls()
    {
        using var client = fixture.Client();
        var chat = client.AsChatClient();
        var weather = new Declaration("get_current_weather", "Get the weather", """{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}""");

        var response = await chat.GetResponseAsync([new ChatMessage(ChatRole.User, "Weather in Paris?")], new ChatOptions { Tools = [weather], ToolMode = ChatToolMode.RequireSpecific("get_current_weather") }, Ct);

        var body = LastBody();
        Assert.Equal("get_current_weather", body.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("location", body.GetProperty("tools")[0].GetProperty("function").GetProperty("parameters").GetProperty("required")[0].GetString());
        Assert.Equal("get_current_weather", body.GetProperty("tool_choice").GetProperty("function").GetProperty("name").GetString());
        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("call_0", call.CallId);
        Assert.Equal("Paris, France", ((JsonElement)call.Arguments!["location"]!).GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);

        // The call and its result, sent back: an assistant message with tool_calls, then a tool message.
        // The server refuses (400) a call whose arguments are not a JSON string, as OpenAI does.
        var second = await chat.GetResponseAsync(
            [
                new ChatMessage(ChatRole.User, "Weather in Paris?"),
                new ChatMessage(ChatRole.Assistant, [call]),
                new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_0", "22 °C and sunny")]),
            ],
            new ChatOptions { ToolMode = ChatToolMode.None, Tools = [weather] },
            Ct);
        var messages = LastBody().GetProperty("messages");
        Assert.Equal("get_current_weather", messages[1].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
        var sentCall = messages[1].GetProperty("tool_calls")[0];
        Assert.Equal("call_0", sentCall.GetProperty("id").GetString());
        Assert.Equal("function", sentCall.GetProperty("type").GetString());
        Assert.False(sentCall.GetProperty("function").TryGetProperty("parameters", out _));
        var arguments = sentCall.GetProperty("function").GetProperty("arguments");
        Assert.Equal(JsonValueKind.String, arguments.ValueKind);
        Assert.Equal("Paris, France", JsonDocument.Parse(arguments.GetString()!).RootElement.GetProperty("location").GetString());
        Assert.Equal("tool", messages[2].GetProperty("role").GetString());
        Assert.Equal("call_0", messages[2].GetProperty("tool_call_id").GetString());
        Assert.Equal("22 °C and sunny", messages[2].GetProperty("content").GetString());
        Assert.Equal("none", LastBody().GetProperty("tool_choice").GetString());
        Assert.Equal("According to the tool: 22 °C and sunny", second.Text);

        var streamed = new List<FunctionCallContent>();
        await foreach (var update in chat.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Weather?")], new ChatOptions { Tools = [weather] }, Ct))
        {
            streamed.AddRange(update.Contents.OfType<FunctionCallContent>());
        }

        Assert.Equal("get_current_weather", Assert.Single(streamed).Name);
    }

    [Fact]
    public async Task ImagesAndResponseFormatsMap()
    {
        using var client = fixture.Client();
        var chat = client.AsChatClient();
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

        var described = await chat.GetResponseAsync([new ChatMessage(ChatRole.User, [new TextContent("Describe this."), new DataContent(png, "image/png"), new UriContent(new Uri("https://example.com/cat.png"), "image/png")])], cancellationToken: Ct);
        var content = LastBody().GetProperty("messages")[0].GetProperty("content");
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(png), content[1].GetProperty("image_url").GetProperty("url").GetString());
        Assert.Equal("https://example.com/cat.png", content[2].GetProperty("image_url").GetProperty("url").GetString());
        Assert.Equal("The image shows a cat.", described.Text);

        var schema = JsonDocument.Parse("""{"type":"object","properties":{"answer":{"type":"string"}}}""").RootElement;
        var json = await chat.GetResponseAsync([new ChatMessage(ChatRole.User, "Capital of France?")], new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "capital") }, Ct);
        var format = LastBody().GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("capital", format.GetProperty("json_schema").GetProperty("name").GetString());
        Assert.Equal("Paris", JsonDocument.Parse(json.Text).RootElement.GetProperty("answer").GetString());
    }

    [Fact]
    public async Task CancellingAStreamStopsIt()
    {
        using var client = fixture.Client();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var chat = client.AsChatClient();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in chat.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "What is the capital of France?")], cancellationToken: cancel.Token))
            {
                cancel.Cancel();
            }
        });
    }

    [Fact]
    public async Task EmbeddingsAreBatchedAndOneVectorPerText()
    {
        using var client = fixture.Client(o => o.Provider = "hf-inference"); // counts inference requests: no Hub call
        IEmbeddingGenerator<string, Embedding<float>> generator = client.AsEmbeddingGenerator("sentence-transformers/all-MiniLM-L6-v2", batchSize: 2);
        fixture.Server.ClearRequests();

        var embeddings = await generator.GenerateAsync(["one", "two", "three", "four", "five"], cancellationToken: Ct);

        Assert.Equal(5, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(8, e.Vector.Length));
        Assert.Equal(3, fixture.Server.Requests.Count);
        Assert.Equal(2, JsonDocument.Parse(fixture.Server.Requests[0].Body).RootElement.GetProperty("inputs").GetArrayLength());
        Assert.Equal(1, JsonDocument.Parse(fixture.Server.Requests[2].Body).RootElement.GetProperty("inputs").GetArrayLength());
        Assert.Equal("huggingface", ((EmbeddingGeneratorMetadata)generator.GetService(typeof(EmbeddingGeneratorMetadata))!).ProviderName);
        Assert.Throws<ArgumentOutOfRangeException>(() => client.AsEmbeddingGenerator(batchSize: 0));
    }

    private sealed class Declaration(string name, string description, string schema) : AIFunctionDeclaration
    {
        public override string Name => name;

        public override string Description => description;

        public override JsonElement JsonSchema { get; } = JsonDocument.Parse(schema).RootElement;
    }
}
