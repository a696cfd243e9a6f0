using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// Every non-streaming async method of the client beyond the tasks has a synchronous twin on the transport's blocking
/// path (HttpClient.Send; a twin that awaited real asynchronous work would throw InvalidOperationException instead).
/// </summary>
public class UtilitySyncTwinTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static System.Threading.CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record HandlerInput([property: System.Text.Json.Serialization.JsonPropertyName("inputs")] string Inputs);

    [Fact]
    public async Task GetEndpointInfoAndHealthCheckAnswerAsTheirAsyncTwins()
    {
        using var client = fixture.Client(o => o.InferenceApiUrl = fixture.Server.BaseUrl);
        var endpoint = fixture.Server.EndpointUrl("text-classification").ToString();

        var info = client.GetEndpointInfo(endpoint, Ct);
        Assert.Equal("/endpoints/text-classification/info", fixture.Server.Requests.Last().Path);
        Assert.Equal((await client.GetEndpointInfoAsync(endpoint, Ct)).GetRawText(), info.GetRawText());
        Assert.Equal("question-answering", client.GetEndpointInfo("deepset/roberta-base-squad2", Ct).GetProperty("task").GetString());

        Assert.True(client.HealthCheck(endpoint, Ct));
        Assert.Equal("/endpoints/text-classification/health", fixture.Server.Requests.Last().Path);
        Assert.False(client.HealthCheck(fixture.Server.EndpointUrl("no-such-task").ToString().Replace("endpoints", "nowhere"), Ct));
        Assert.Equal("model", Assert.Throws<ArgumentException>(() => client.HealthCheck("deepset/roberta-base-squad2", Ct)).ParamName);
    }

    [Fact]
    public async Task GetModelStatusAndListDeployedModelsAnswerAsTheirAsyncTwins()
    {
        using var client = fixture.Client(o => o.InferenceApiUrl = fixture.Server.BaseUrl);

        var status = client.GetModelStatus("deepset/roberta-base-squad2", Ct);
        Assert.Equal("/status/deepset/roberta-base-squad2", fixture.Server.Requests.Last().Path);
        var expected = await client.GetModelStatusAsync("deepset/roberta-base-squad2", Ct);
        Assert.Equal((expected.Loaded, expected.State, expected.Framework, expected.ComputeType.GetRawText()), (status.Loaded, status.State, status.Framework, status.ComputeType.GetRawText()));
        Assert.Throws<HfHubHttpException>(() => client.GetModelStatus("nobody/nothing", Ct));
        Assert.Equal("model", Assert.Throws<ArgumentException>(() => client.GetModelStatus(fixture.Server.EndpointUrl("x").ToString(), Ct)).ParamName);

        var deployed = client.ListDeployedModels(["transformers"], Ct);
        Assert.Contains("deepset/roberta-base-squad2", deployed["question-answering"]);
        Assert.Equal((await client.ListDeployedModelsAsync(["transformers"], Ct)).Keys, deployed.Keys);
    }

    [Fact]
    public async Task SendPostsYourOwnSchemaAsSendAsyncDoes()
    {
        using var client = fixture.Client();
        var endpoint = fixture.Server.EndpointUrl("text-classification").ToString();

        var answer = client.Send<HandlerInput, JsonElement>(new HandlerInput("I like you"), endpoint, "my-handler", Ct);
        var request = fixture.LastInference();
        Assert.Equal("/endpoints/text-classification", request.Path);
        Assert.Equal("""{"inputs":"I like you"}""", request.BodyText);
        Assert.Equal("Bearer " + ServerFixture.Token, request.Header("authorization"));
        Assert.Equal((await client.SendAsync<HandlerInput, JsonElement>(new HandlerInput("I like you"), endpoint, "my-handler", Ct)).GetRawText(), answer.GetRawText());

        Assert.Equal("input", Assert.Throws<ArgumentNullException>(() => client.Send<HandlerInput, JsonElement>(null!, endpoint, cancellationToken: Ct)).ParamName);
        Assert.Equal("model", Assert.Throws<ArgumentException>(() => client.Send<HandlerInput, JsonElement>(new HandlerInput("x"), cancellationToken: Ct)).ParamName);
    }

    [Fact]
    public void EveryPublicNonStreamingAsyncMethodHasASyncTwin()
    {
        var methods = typeof(InferenceClient).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly);
        var missing = methods
            .Where(m => m.Name.EndsWith("Async", StringComparison.Ordinal) && typeof(Task).IsAssignableFrom(m.ReturnType))
            .Where(m => !methods.Any(twin => twin.Name == m.Name[..^"Async".Length]
                && twin.GetParameters().Select(p => p.ParameterType.Name).SequenceEqual(m.GetParameters().Select(p => p.ParameterType.Name))))
            .Select(m => m.Name + "(" + string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name)) + ")")
            .Distinct()
            .ToList();

        Assert.True(missing.Count == 0, "no synchronous twin: " + string.Join("; ", missing));
    }
}
