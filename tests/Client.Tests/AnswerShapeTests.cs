using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// Answers the spec does not allow (null, a required member missing, a wrong shape) fail with a typed
/// error naming the task and the member: never a NullReferenceException, never a silent null. The
/// answers are recorded ones (../shared/reference/recorded.jsonl) with a member removed.
/// </summary>
public class AnswerShapeTests : IClassFixture<ServerFixture>
{
    private static readonly ChatCompletionInputMessage[] Hello = [new() { Role = "user", Content = "hi" }];

    private readonly ServerFixture fixture;

    public AnswerShapeTests(ServerFixture fixture)
    {
        this.fixture = fixture;
        fixture.Server.ClearScript();
    }

    private static JsonObject RecordedAnswer(string task, Func<JsonNode, bool> fits)
    {
        var answer = RecordedTraffic.Load()
            .Where(e => e.Task == task && e.Status == 200 && !e.IsSse && e.ResponseBody != null && RecordedTraffic.IsJson(e.ResponseBody))
            .Select(e => JsonNode.Parse(e.ResponseBody!)!)
            .First(fits);
        return answer as JsonObject ?? (JsonObject)answer.AsArray()[0]!.DeepClone();
    }

    [Fact]
    public async Task AChatAnswerWithoutChoicesNamesTheTaskAndTheMember()
    {
        var answer = RecordedAnswer("chat-completion", a => a is JsonObject o && o["choices"] is JsonArray);
        answer.Remove("choices");
        using var client = fixture.Client();
        fixture.Server.Enqueue(new ScriptedResponse { Body = answer.ToJsonString() });

        var error = await Assert.ThrowsAsync<InferenceResponseException>(() => client.ChatCompletionAsync(Hello, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("chat-completion", error.Task);
        Assert.Equal("choices", error.Member);
        Assert.Contains("choices", error.Message, StringComparison.Ordinal);
        Assert.Equal(answer.ToJsonString(), error.ResponseBody);
    }

    [Fact]
    public void TheSynchronousTwinGivesTheSameTypedError()
    {
        var answer = RecordedAnswer("chat-completion", a => a is JsonObject o && o["choices"] is JsonArray);
        answer["choices"] = null;
        using var client = fixture.Client();
        fixture.Server.Enqueue(new ScriptedResponse { Body = answer.ToJsonString() });
        Assert.Equal("choices", Assert.Throws<InferenceResponseException>(() => client.ChatCompletion(Hello, cancellationToken: TestContext.Current.CancellationToken)).Member);
    }

    [Fact]
    public async Task ATextGenerationAnswerWithoutGeneratedTextNamesTheMember()
    {
        var answer = RecordedAnswer("text-generation", a => (a as JsonObject ?? a.AsArray().FirstOrDefault() as JsonObject)?["generated_text"] != null);
        answer.Remove("generated_text");
        using var client = fixture.Client();
        fixture.Server.Enqueue(new ScriptedResponse { Body = new JsonArray(answer.DeepClone()).ToJsonString() });
        var error = await Assert.ThrowsAsync<InferenceResponseException>(() => client.TextGenerationAsync("Once", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("text-generation", error.Task);
        Assert.Equal("generated_text", error.Member);
    }

    [Fact]
    public async Task AListAnswerWhoseElementLacksARequiredMemberNamesTheElement()
    {
        using var client = fixture.Client();
        fixture.Server.Enqueue(new ScriptedResponse { Body = """[{"label":"POSITIVE","score":0.9},{"score":0.1}]""" });
        var error = await Assert.ThrowsAsync<InferenceResponseException>(() => client.TextClassificationAsync("x", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("text-classification", error.Task);
        Assert.Equal("[1].label", error.Member);
    }

    [Fact]
    public async Task AChatAnswerWhoseChoiceLacksItsMessageNamesTheNestedMember()
    {
        var answer = RecordedAnswer("chat-completion", a => a is JsonObject o && o["choices"]?[0]?["message"] is JsonObject);
        answer["choices"]![0]!.AsObject().Remove("message");
        using var client = fixture.Client();
        fixture.Server.Enqueue(new ScriptedResponse { Body = answer.ToJsonString() });
        var error = await Assert.ThrowsAsync<InferenceResponseException>(() => client.ChatCompletionAsync(Hello, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("chat-completion", error.Task);
        Assert.Equal("choices[0].message", error.Member);
    }

    [Fact]
    public async Task AMemberMissingTwoRecordsDownIsNamedByItsWholePath()
    {
        var answer = RecordedAnswer("chat-completion", a => a is JsonObject o && o["choices"]?[0]?["message"]?["role"] != null);
        answer["choices"]![0]!["message"]!["role"] = null;
        using var client = fixture.Client();
        fixture.Server.Enqueue(new ScriptedResponse { Body = answer.ToJsonString() });
        var error = await Assert.ThrowsAsync<InferenceResponseException>(() => client.ChatCompletionAsync(Hello, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("choices[0].message.role", error.Member);
    }

    [Fact]
    public async Task AListElementsNestedRecordIsCheckedAndAnOptionalNestedRecordMayBeAbsent()
    {
        using var client = fixture.Client();
        // Object detection: each element's box is a required record, and each box's members are numbers.
        fixture.Server.Enqueue(new ScriptedResponse { Body = """[{"label":"cat","score":0.9,"box":{"xmin":1,"ymin":2,"xmax":3,"ymax":4}},{"label":"dog","score":0.8}]""" });
        var error = await Assert.ThrowsAsync<InferenceResponseException>(() => client.ObjectDetectionAsync(new byte[] { 1, 2, 3 }, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("object-detection", error.Task);
        Assert.Equal("[1].box", error.Member);

        // A chat answer whose message has no tool_calls (optional) reads.
        var answer = RecordedAnswer("chat-completion", a => a is JsonObject o && o["choices"]?[0]?["message"] is JsonObject);
        answer["choices"]![0]!["message"]!.AsObject().Remove("tool_calls");
        fixture.Server.Enqueue(new ScriptedResponse { Body = answer.ToJsonString() });
        var read = await client.ChatCompletionAsync(Hello, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Null(read.Choices[0].Message.ToolCalls);
    }

    [Fact]
    public async Task TheLegacyZeroShotFormIsReadAsTheSpecsList()
    {
        using var client = fixture.Client();
        fixture.Server.Enqueue(new ScriptedResponse { Body = """{"sequence":"a text","labels":["science","sport"],"scores":[0.9,0.1]}""" });
        var output = await client.ZeroShotClassificationAsync("a text", ["science", "sport"], cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["science", "sport"], output.Select(o => o.Label));
        Assert.Equal([0.9, 0.1], output.Select(o => o.Score));
    }

    [Fact]
    public async Task NullAnswersAreTypedErrorsForEveryKindOfTask()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = fixture.Client();

        fixture.Server.Enqueue(new ScriptedResponse { Body = "null" });
        Assert.Equal("$", (await Assert.ThrowsAsync<InferenceResponseException>(() => client.ChatCompletionAsync(Hello, cancellationToken: ct))).Member);

        fixture.Server.Enqueue(new ScriptedResponse { Body = "null" });
        var generation = await Assert.ThrowsAsync<InferenceResponseException>(() => client.TextGenerationAsync("Once", cancellationToken: ct));
        Assert.Equal(("text-generation", "$"), (generation.Task, generation.Member));

        fixture.Server.Enqueue(new ScriptedResponse { Body = "null" });
        Assert.Equal("$", (await Assert.ThrowsAsync<InferenceResponseException>(() => client.TextClassificationAsync("x", cancellationToken: ct))).Member);

        fixture.Server.Enqueue(new ScriptedResponse { Body = "[null]" });
        Assert.IsType<InferenceResponseException>(await Assert.ThrowsAnyAsync<HfHubHttpException>(() => client.TextClassificationAsync("x", cancellationToken: ct)));
    }

    [Fact]
    public async Task AWrongShapeIsAClearErrorNotACrash()
    {
        using var client = fixture.Client();
        fixture.Server.Enqueue(new ScriptedResponse { Body = """{"id":"1","created":1,"model":"m","system_fingerprint":"","choices":"none"}""" });
        var error = await Assert.ThrowsAnyAsync<HfHubHttpException>(() => client.ChatCompletionAsync(Hello, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("could not be read as ChatCompletionOutput", error.Message, StringComparison.Ordinal);
    }
}
