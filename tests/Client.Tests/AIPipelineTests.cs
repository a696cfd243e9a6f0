using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.AI;
using HuggingFace.Inference.Diagnostics;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// Our IChatClient as users compose it with Microsoft.Extensions.AI: function invocation and
/// OpenTelemetry around it, against the local server, with the wire of both turns checked.
/// </summary>
public class AIPipelineTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FunctionInvocationRunsTheToolAndSendsItsResultBack()
    {
        var model = "pipeline/tools-" + Guid.NewGuid().ToString("N")[..8];
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource("pipeline-test", InferenceTelemetry.Name).AddInMemoryExporter(spans).Build();
        using var client = fixture.Client();
        var invocations = new List<string>();
        var weather = AIFunctionFactory.Create((string location) => { invocations.Add(location); return "22 °C and sunny in " + location; }, "get_current_weather", "The weather now");
        using var chat = new ChatClientBuilder(client.AsChatClient(model)).UseFunctionInvocation().UseOpenTelemetry(sourceName: "pipeline-test").Build();

        var response = await chat.GetResponseAsync("What's the weather in Paris?", new ChatOptions { Tools = [weather] }, Ct);

        // The tool ran once, with the model's arguments, and the final answer quotes its result.
        Assert.Equal(["Paris, France"], invocations);
        Assert.Equal("According to the tool: 22 °C and sunny in Paris, France", response.Text);

        // Two requests: the question, then the question, the call and the result.
        var turns = fixture.Server.Requests.Where(r => r.Path == "/v1/chat/completions" && r.BodyText.Contains(model, StringComparison.Ordinal)).Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(2, turns.Count);
        Assert.Equal("get_current_weather", turns[0].GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
        var messages = turns[1].GetProperty("messages");
        Assert.Equal(["user", "assistant", "tool"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        var call = messages[1].GetProperty("tool_calls")[0];
        var arguments = call.GetProperty("function").GetProperty("arguments");
        Assert.Equal(JsonValueKind.String, arguments.ValueKind);
        Assert.Equal("Paris, France", JsonDocument.Parse(arguments.GetString()!).RootElement.GetProperty("location").GetString());
        Assert.Equal(call.GetProperty("id").GetString(), messages[2].GetProperty("tool_call_id").GetString());
        Assert.Equal("22 °C and sunny in Paris, France", messages[2].GetProperty("content").GetString());

        // Microsoft.Extensions.AI's chat span is the parent of each of our client's two chat spans.
        tracing.ForceFlush();
        var ours = spans.Where(s => s.Source.Name == InferenceTelemetry.Name && (string?)s.GetTagItem("gen_ai.request.model") == model).ToList();
        var theirs = spans.Where(s => s.Source.Name == "pipeline-test" && (string?)s.GetTagItem("gen_ai.request.model") == model).ToList();
        Assert.Equal(2, ours.Count);
        Assert.NotEmpty(theirs);
        Assert.All(ours, span => Assert.Contains(theirs, parent => parent.SpanId == span.ParentSpanId));
        Assert.Contains(spans, s => s.Source.Name == "pipeline-test" && (string?)s.GetTagItem("gen_ai.operation.name") == "execute_tool");
    }

    [Fact]
    public async Task StreamingThroughThePipelineInvokesTheToolAndStreamsTheAnswer()
    {
        var model = "pipeline/stream-" + Guid.NewGuid().ToString("N")[..8];
        using var client = fixture.Client();
        var invoked = 0;
        var weather = AIFunctionFactory.Create((string location) => { invoked++; return "rain in " + location; }, "get_current_weather");
        using var chat = new ChatClientBuilder(client.AsChatClient(model)).UseFunctionInvocation().UseOpenTelemetry().Build();

        var text = new StringBuilder();
        var updates = 0;
        await foreach (var update in chat.GetStreamingResponseAsync("Weather in Paris?", new ChatOptions { Tools = [weather] }, Ct))
        {
            text.Append(update.Text);
            updates++;
        }

        Assert.Equal(1, invoked);
        Assert.Equal("According to the tool: rain in Paris, France", text.ToString());
        Assert.True(updates > 5, $"the answer came in {updates} updates, not word by word");
        var second = fixture.Server.Requests.Last(r => r.Path == "/v1/chat/completions" && r.BodyText.Contains(model, StringComparison.Ordinal));
        var body = JsonDocument.Parse(second.Body).RootElement;
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.Equal(JsonValueKind.String, body.GetProperty("messages")[1].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").ValueKind);
    }

    [Fact]
    public async Task AToolCallWithoutStringArgumentsIsRefusedByTheServerAsByOpenAI()
    {
        // What the spec's own type made clients send: the local server must be able to tell, or the tests above prove nothing.
        using var client = fixture.Client();
        var error = await Assert.ThrowsAnyAsync<HfHubHttpException>(() => client.ChatCompletionAsync(new ChatCompletionInput
        {
            Model = "pipeline/refused",
            Messages =
            [
                new ChatCompletionInputMessage { Role = "user", Content = "Weather?" },
                new ChatCompletionInputMessage
                {
                    Role = "assistant",
                    ToolCalls = [new ChatCompletionInputToolCall
                    {
                        Id = "call_0",
                        Type = "function",
                        Function = new ChatCompletionInputFunctionCall
                        {
                            Name = "get_current_weather",
                            Arguments = null!,
                            AdditionalProperties = new Dictionary<string, JsonElement> { ["parameters"] = JsonDocument.Parse("""{"location":"Paris"}""").RootElement },
                        },
                    }],
                },
            ],
        }, Ct));

        Assert.Equal(400, (int)error.StatusCode);
        Assert.Contains("function.arguments", error.ServerMessage);
    }
}
