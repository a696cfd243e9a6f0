using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>Chat completion and text generation, plain and streamed, against the local server.</summary>
public class ChatTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly ChatCompletionInputMessage Question = new() { Role = "user", Content = "What is the capital of France?" };

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ChatGoesToTheModelsChatRouteWithTheModelFirst()
    {
        using var client = fixture.Client();
        var output = await client.ChatCompletionAsync(new ChatCompletionInput { Model = "meta-llama/Llama-3.1-8B-Instruct", Messages = [Question], MaxTokens = 32 }, Ct);

        var request = fixture.LastInference();
        Assert.Equal("/v1/chat/completions", request.RawPath); // Provider "auto": the router chooses
        Assert.StartsWith("""{"model":"meta-llama/Llama-3.1-8B-Instruct",""", request.BodyText);
        Assert.DoesNotContain("\"stream\"", request.BodyText);
        Assert.Equal(32, JsonDocument.Parse(request.Body).RootElement.GetProperty("max_tokens").GetInt32());
        Assert.Equal("The capital of France is Paris.", output.Choices[0].Message.Content);
        Assert.Equal("stop", output.Choices[0].FinishReason);
        Assert.True(output.Usage!.TotalTokens > 0);

        var same = await client.ChatCompletionAsync([Question], "meta-llama/Llama-3.1-8B-Instruct", Ct);
        Assert.Equal(output.Choices[0].Message.Content, same.Choices[0].Message.Content);
        var openAiStyle = await client.Chat.Completions.CreateAsync(new ChatCompletionInput { Messages = [Question] }, Ct);
        Assert.Equal("The capital of France is Paris.", openAiStyle.Choices[0].Message.Content);
        Assert.Equal("The capital of France is Paris.", client.ChatCompletion([Question], cancellationToken: Ct).Choices[0].Message.Content);
    }

    [Fact]
    public async Task StreamsYieldEveryTokenAndStopAtDone()
    {
        using var client = fixture.Client();
        var text = new StringBuilder();
        var events = 0;
        await foreach (var chunk in client.ChatCompletionStreamAsync([Question], cancellationToken: Ct))
        {
            events++;
            text.Append(chunk.Choices[0].Delta.Content);
        }

        Assert.Equal("The capital of France is Paris.", text.ToString());
        Assert.Equal(7, events);
        var request = fixture.LastInference();
        Assert.Equal("text/event-stream", request.Header("accept"));
        Assert.True(JsonDocument.Parse(request.Body).RootElement.GetProperty("stream").GetBoolean());

        var sync = string.Concat(client.ChatCompletionStream([Question], cancellationToken: Ct).Select(c => c.Choices[0].Delta.Content));
        Assert.Equal("The capital of France is Paris.", sync);
        var openAi = new List<ChatCompletionStreamOutput>();
        await foreach (var chunk in client.Chat.Completions.CreateStreamingAsync(new ChatCompletionInput { Messages = [Question], StreamOptions = new ChatCompletionInputStreamOptions { IncludeUsage = true } }, Ct))
        {
            openAi.Add(chunk);
        }

        Assert.Empty(openAi[^1].Choices);
        Assert.True(openAi[^1].Usage!.TotalTokens > 0);
    }

    [Fact]
    public async Task ToolsAndResponseFormatsRoundTrip()
    {
        using var client = fixture.Client();
        var parameters = JsonDocument.Parse("""{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}""").RootElement;
        var request = new ChatCompletionInput
        {
            Messages = [new ChatCompletionInputMessage { Role = "user", Content = "What's the weather like in Paris?" }],
            Tools = [new ChatCompletionInputTool { Type = "function", Function = new ChatCompletionInputFunctionDefinition { Name = "get_current_weather", Description = "Get the weather", Parameters = parameters } }],
            ToolChoice = "auto",
            ToolPrompt = "You have access to these tools:",
        };
        var output = await client.ChatCompletionAsync(request, Ct);

        var sent = JsonDocument.Parse(fixture.LastInference().Body).RootElement;
        Assert.Equal("auto", sent.GetProperty("tool_choice").GetString());
        Assert.Equal("location", sent.GetProperty("tools")[0].GetProperty("function").GetProperty("parameters").GetProperty("required")[0].GetString());
        var call = Assert.Single(output.Choices[0].Message.ToolCalls!);
        Assert.Equal("get_current_weather", call.Function.Name);
        Assert.Equal("Paris, France", JsonDocument.Parse(call.Function.Arguments).RootElement.GetProperty("location").GetString());

        var streamed = new List<ChatCompletionStreamOutput>();
        await foreach (var chunk in client.ChatCompletionStreamAsync(request, Ct))
        {
            streamed.Add(chunk);
        }

        Assert.Equal("get_current_weather", streamed.Single().Choices[0].Delta.ToolCalls![0].Function.Name);

        var json = await client.ChatCompletionAsync(new ChatCompletionInput
        {
            Messages = [Question],
            ResponseFormat = new ChatCompletionInputGrammarType
            {
                Type = ChatCompletionInputGrammarTypeType.JsonSchema,
                JsonSchema = new ChatCompletionInputJsonSchemaConfig { Name = "answer", Schema = parameters, Strict = true },
            },
        }, Ct);
        var format = JsonDocument.Parse(fixture.LastInference().Body).RootElement.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.True(format.GetProperty("json_schema").GetProperty("strict").GetBoolean());
        Assert.Equal("Paris", JsonDocument.Parse(json.Choices[0].Message.Content!).RootElement.GetProperty("answer").GetString());
    }

    [Fact]
    public async Task VisionMessagesCarryImagesByUrlOrInline()
    {
        using var client = fixture.Client();
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        var output = await client.ChatCompletionAsync([new ChatCompletionInputMessage
        {
            Role = "user",
            Content = new[]
            {
                ChatCompletionInputMessageChunk.FromText("Describe this image in one sentence."),
                ChatCompletionInputMessageChunk.FromImageUrl(new Uri("https://example.com/cat.png")),
                ChatCompletionInputMessageChunk.FromImageBytes(png),
            },
        }], cancellationToken: Ct);

        var content = JsonDocument.Parse(fixture.LastInference().Body).RootElement.GetProperty("messages")[0].GetProperty("content");
        Assert.Equal("text", content[0].GetProperty("type").GetString());
        Assert.Equal("https://example.com/cat.png", content[1].GetProperty("image_url").GetProperty("url").GetString());
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(png), content[2].GetProperty("image_url").GetProperty("url").GetString());
        Assert.Equal("The image shows a cat.", output.Choices[0].Message.Content);
    }

    [Fact]
    public async Task ImageChunksComeFromAnyInferenceInput()
    {
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"hf-chat-{Guid.NewGuid():N}.png");
        await System.IO.File.WriteAllBytesAsync(path, png, Ct);
        try
        {
            var fromFile = await ChatCompletionInputMessageChunk.FromImageAsync(new System.IO.FileInfo(path), Ct);
            Assert.Equal("data:image/png;base64," + Convert.ToBase64String(png), fromFile.ImageUrl!.Url);
            var fromUrl = await ChatCompletionInputMessageChunk.FromImageAsync(new Uri("https://example.com/cat.png"), Ct);
            Assert.Equal("https://example.com/cat.png", fromUrl.ImageUrl!.Url);
            Assert.Equal(ChatCompletionInputMessageChunkType.ImageUrl, fromUrl.Type);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Theory]
    [InlineData("endpoints/chat", "/endpoints/chat/v1/chat/completions")]
    [InlineData("endpoints/chat/", "/endpoints/chat/v1/chat/completions")]
    [InlineData("endpoints/chat/v1", "/endpoints/chat/v1/chat/completions")]
    [InlineData("endpoints/chat/v1/chat/completions", "/endpoints/chat/v1/chat/completions")]
    [InlineData("endpoints/chat/v1?api-version=2", "/endpoints/chat/v1/chat/completions")]
    public async Task UrlModelsFollowTheChatUrlRules(string relative, string expectedPath)
    {
        using var client = fixture.Client();
        var model = new Uri(fixture.Server.BaseUrl, relative).ToString();
        await client.ChatCompletionAsync([Question], model, Ct);

        var request = fixture.LastInference();
        Assert.Equal(expectedPath, request.RawPath);
        Assert.Equal(relative.Contains('?') ? "?api-version=2" : string.Empty, request.Query);
        Assert.StartsWith("""{"model":"tgi",""", request.BodyText);
    }

    [Fact]
    public async Task ABaseUrlIsAnOpenAiCompatibleServerThatNamesTheModelInTheBody()
    {
        using var client = fixture.Client(o => o.BaseUrl = new Uri(fixture.Server.BaseUrl, "v1"));
        await client.ChatCompletionAsync(new ChatCompletionInput { Model = "my-served-model", Messages = [Question] }, Ct);

        Assert.Equal("/v1/chat/completions", fixture.LastInference().RawPath);
        Assert.StartsWith("""{"model":"my-served-model",""", fixture.LastInference().BodyText);
    }

    [Fact]
    public async Task TheFirstTokenArrivesBeforeTheNextIsSent()
    {
        using var client = fixture.Client();
        fixture.Server.Enqueue(ScriptedResponse.Stream(
            TimeSpan.FromSeconds(2),
            "data: {\"id\":\"1\",\"created\":1,\"model\":\"m\",\"system_fingerprint\":\"\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello\"}}]}\n\n",
            "data: {\"id\":\"1\",\"created\":1,\"model\":\"m\",\"system_fingerprint\":\"\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\" world\"}}]}\n\n",
            "data: [DONE]\n\n"));

        var watch = Stopwatch.StartNew();
        var arrivals = new List<TimeSpan>();
        await foreach (var _ in client.ChatCompletionStreamAsync([Question], cancellationToken: Ct))
        {
            arrivals.Add(watch.Elapsed);
        }

        Assert.Equal(2, arrivals.Count);
        // The second event is sent 2 s after the first: the first must have arrived well before.
        Assert.True(arrivals[0] < TimeSpan.FromSeconds(1), $"first token after {arrivals[0]}");
        Assert.True(arrivals[1] - arrivals[0] > TimeSpan.FromSeconds(1.5), $"events {arrivals[1] - arrivals[0]} apart");
    }

    [Fact]
    public async Task LeavingTheLoopOrCancellingClosesTheConnection()
    {
        using var client = fixture.Client();
        fixture.Server.StreamEventDelay = TimeSpan.FromMilliseconds(500);
        try
        {
            var before = fixture.Server.Disconnects;
            await foreach (var _ in client.ChatCompletionStreamAsync([Question], cancellationToken: Ct))
            {
                break;
            }

            Assert.True(await fixture.Server.WaitForDisconnectsAsync(before + 1, TimeSpan.FromSeconds(5)), "the server did not see the client leave");

            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var received = 0;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var _ in client.ChatCompletionStreamAsync([Question], cancellationToken: cancel.Token))
                {
                    received++;
                    cancel.Cancel();
                }
            });
            Assert.Equal(1, received);
            Assert.True(await fixture.Server.WaitForDisconnectsAsync(before + 2, TimeSpan.FromSeconds(5)), "the server did not see the cancelled stream end");
        }
        finally
        {
            fixture.Server.StreamEventDelay = TimeSpan.Zero;
        }
    }

    [Theory]
    [InlineData("{\"error\":\"Request failed during generation: Server error: CUDA out of memory\",\"error_type\":\"generation\"}", typeof(GenerationException), "CUDA out of memory")]
    [InlineData("{\"error\":\"Model is overloaded\",\"error_type\":\"overloaded\"}", typeof(OverloadedException), "Model is overloaded")]
    [InlineData("{\"error\":\"Input validation error: `top_p` must be > 0.0\",\"error_type\":\"validation\"}", typeof(TextGenerationValidationException), "top_p")]
    [InlineData("{\"error\":\"stopped\",\"error_type\":\"incomplete_generation\"}", typeof(IncompleteGenerationException), "stopped")]
    [InlineData("{\"error\":\"something else\",\"error_type\":\"surprise\"}", typeof(TextGenerationException), "something else")]
    [InlineData("{\"error\":{\"message\":\"Template error: unknown filter\",\"http_status_code\":422}}", typeof(TextGenerationException), "Template error")]
    public async Task ErrorsInsideAStreamBecomeTypedExceptions(string errorEvent, Type expected, string message)
    {
        using var client = fixture.Client();
        fixture.Server.Enqueue(ScriptedResponse.Stream(
            TimeSpan.Zero,
            ": keep-alive\r\n\r\n",
            "data:{\"id\":\"1\",\"created\":1,\"model\":\"m\",\"system_fingerprint\":\"\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"}}]}\r\n\r\n",
            "data: " + errorEvent + "\n\n"));

        var received = new List<string?>();
        var error = await Assert.ThrowsAnyAsync<TextGenerationException>(async () =>
        {
            await foreach (var chunk in client.ChatCompletionStreamAsync([Question], cancellationToken: Ct))
            {
                received.Add(chunk.Choices[0].Delta.Content);
            }
        });

        Assert.Equal(["Hi"], received);
        Assert.IsType(expected, error);
        Assert.Contains(message, error.ServerMessage);
    }

    [Fact]
    public async Task EventsWithoutTheirBlankLinesAreNotLost()
    {
        using var client = fixture.Client();
        const string First = "{\"id\":\"1\",\"created\":1,\"model\":\"m\",\"system_fingerprint\":\"\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Deep\"}}]}";
        const string Second = "{\"id\":\"1\",\"created\":1,\"model\":\"m\",\"system_fingerprint\":\"\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\" Learning\"}}]}";

        // Two events with no blank line between them, and no blank line after the last.
        fixture.Server.Enqueue(ScriptedResponse.Stream(TimeSpan.Zero, "data:" + First + "\ndata:" + Second));
        var text = new StringBuilder();
        await foreach (var chunk in client.ChatCompletionStreamAsync([Question], cancellationToken: Ct))
        {
            text.Append(chunk.Choices[0].Delta.Content);
        }

        Assert.Equal("Deep Learning", text.ToString());

        // A stream cut in the middle of its last event is an error, not a silently shorter answer.
        fixture.Server.Enqueue(ScriptedResponse.Stream(TimeSpan.Zero, "data:" + First + "\n\n", "data:" + Second[..40]));
        var received = new List<string?>();
        await Assert.ThrowsAnyAsync<JsonException>(async () =>
        {
            await foreach (var chunk in client.ChatCompletionStreamAsync([Question], cancellationToken: Ct))
            {
                received.Add(chunk.Choices[0].Delta.Content);
            }
        });
        Assert.Equal(["Deep"], received);
    }

    [Fact]
    public async Task ErrorsBeforeTheStreamStartsAreHttpErrors()
    {
        using var client = fixture.Client();
        fixture.Server.Enqueue(ScriptedResponse.Error(422, "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096"));
        var error = await Assert.ThrowsAsync<InferenceProviderException>(async () =>
        {
            await foreach (var _ in client.ChatCompletionStreamAsync([Question], cancellationToken: Ct))
            {
            }
        });
        Assert.Equal(422, (int)error.StatusCode);
        Assert.Contains("max_new_tokens", error.ServerMessage);
    }

    [Fact]
    public async Task ParametersTheModelDoesNotUseAreDroppedOnceAndTheCallRetried()
    {
        using var client = fixture.Client();
        const string Refusal = "The following `model_kwargs` are not used by the model: ['watermark', 'stop'] (note: typos in the generate arguments will also show up in this list)";
        var parameters = new TextGenerationInputGenerateParameters { MaxNewTokens = 5, Watermark = true, Stop = ["\n"] };

        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(ScriptedResponse.Error(400, Refusal));
        var output = await client.TextGenerationAsync("The capital of France is", parameters, cancellationToken: Ct);
        Assert.Equal(" Paris. It is known for the Eiffel Tower.", output.GeneratedText);
        Assert.Equal(2, fixture.Server.Requests.Count);
        Assert.Equal("{\"inputs\":\"The capital of France is\",\"parameters\":{\"max_new_tokens\":5}}", fixture.Server.Requests[1].BodyText);

        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(ScriptedResponse.Error(400, Refusal));
        var tokens = 0;
        await foreach (var _ in client.TextGenerationStreamAsync("The capital of France is", parameters, cancellationToken: Ct))
        {
            tokens++;
        }

        Assert.True(tokens > 0);
        Assert.DoesNotContain("watermark", fixture.Server.Requests[1].BodyText);

        // Another 400 is not retried.
        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(ScriptedResponse.Error(400, "Input validation error"));
        await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextGenerationAsync("x", parameters, cancellationToken: Ct));
        Assert.Single(fixture.Server.Requests);
    }

    [Fact]
    public async Task InvalidChatRequestsFailBeforeAnyRequest()
    {
        using var client = fixture.Client();
        fixture.Server.ClearRequests();
        Assert.Equal("request", (await Assert.ThrowsAsync<ArgumentNullException>(() => client.ChatCompletionAsync((ChatCompletionInput)null!, Ct))).ParamName);
        Assert.Equal("request", Assert.Throws<ArgumentException>(() => client.ChatCompletionStreamAsync(new ChatCompletionInput { Messages = [] }, Ct)).ParamName);
        Assert.Empty(fixture.Server.Requests);
    }

    [Fact]
    public async Task TextGenerationReadsTheListAnswerAndStreamsTgiEvents()
    {
        using var client = fixture.Client();
        var output = await client.TextGenerationAsync("The capital of France is", new TextGenerationInputGenerateParameters { MaxNewTokens = 12, Details = true }, cancellationToken: Ct);

        Assert.Equal("/hf-inference/models/meta-llama/Llama-3.1-8B-Instruct", fixture.LastInference().RawPath);
        Assert.Equal("""{"inputs":"The capital of France is","parameters":{"details":true,"max_new_tokens":12}}""", fixture.LastInference().BodyText);
        Assert.Equal(" Paris. It is known for the Eiffel Tower.", output.GeneratedText);
        Assert.Equal("length", output.Details!.FinishReason.Value);

        var tokens = new StringBuilder();
        TextGenerationStreamOutput? last = null;
        await foreach (var item in client.TextGenerationStreamAsync("The capital of France is", cancellationToken: Ct))
        {
            tokens.Append(item.Token.Text);
            last = item;
        }

        Assert.True(JsonDocument.Parse(fixture.LastInference().Body).RootElement.GetProperty("stream").GetBoolean());
        Assert.Equal(last!.GeneratedText, tokens.ToString());
        Assert.Equal(tokens.ToString(), string.Concat(client.TextGenerationStream("The capital of France is", cancellationToken: Ct).Select(t => t.Token.Text)));
        Assert.Equal(output.GeneratedText, client.TextGeneration("The capital of France is", cancellationToken: Ct).GeneratedText);
    }
}
