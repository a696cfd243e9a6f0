using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>The client's methods beyond the tasks: raw posts, endpoint info and health, model status, deployed models.</summary>
public class UtilityMethodTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private InferenceClient LegacyClient(Action<InferenceClientOptions>? configure = null) =>
        fixture.Client(o =>
        {
            o.InferenceApiUrl = fixture.Server.BaseUrl;
            configure?.Invoke(o);
        });

    [Fact]
    public async Task PostSendsRawJsonOrBytesAndReturnsTheAnswerAsItCame()
    {
        using var client = fixture.Client();
        var ct = TestContext.Current.CancellationToken;

        var answer = await client.PostAsync(json: new { inputs = "I like you" }, task: "text-classification", cancellationToken: ct);
        Assert.Equal("application/json", answer.ContentType);
        Assert.Equal("""{"inputs":"I like you"}""", fixture.LastInference().BodyText);
        Assert.Equal("/hf-inference/models/distilbert/distilbert-base-uncased-finetuned-sst-2-english", fixture.LastInference().RawPath);
        Assert.Equal("POSITIVE", JsonDocument.Parse(answer.Bytes).RootElement[0][0].GetProperty("label").GetString());

        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        var detection = client.Post(data: png, model: fixture.Server.EndpointUrl("object-detection").ToString(), cancellationToken: ct);
        Assert.Equal(png, fixture.LastInference().Body);
        Assert.Contains("\"cat\"", System.Text.Encoding.UTF8.GetString(detection.Bytes.Span));

        Assert.Equal("data", (await Assert.ThrowsAsync<ArgumentException>(() => client.PostAsync(json: new { }, data: png, task: "x", cancellationToken: ct))).ParamName);
        Assert.Equal("model", (await Assert.ThrowsAsync<ArgumentException>(() => client.PostAsync(json: new { }, cancellationToken: ct))).ParamName);
    }

    [Fact]
    public async Task EndpointInfoAndHealthComeFromTheEndpointsRoutes()
    {
        using var client = fixture.Client();
        var ct = TestContext.Current.CancellationToken;
        var endpoint = fixture.Server.EndpointUrl("text-classification").ToString();

        var info = await client.GetEndpointInfoAsync(endpoint, ct);
        Assert.Equal("text-classification", info.GetProperty("task").GetString());
        Assert.Equal("/endpoints/text-classification/info", fixture.Server.Requests.Last().Path);

        Assert.True(await client.HealthCheckAsync(endpoint, ct));
        Assert.Equal("GET", fixture.Server.Requests.Last().Method);
        Assert.False(await client.HealthCheckAsync(fixture.Server.EndpointUrl("no-such-task").ToString().Replace("endpoints", "nowhere"), ct));
        Assert.Equal("model", (await Assert.ThrowsAsync<ArgumentException>(() => client.HealthCheckAsync("deepset/roberta-base-squad2", ct))).ParamName);
    }

    [Fact]
    public async Task ModelIdsUseTheLegacyApiForInfoStatusAndDeployedModels()
    {
        using var client = LegacyClient();
        var ct = TestContext.Current.CancellationToken;

        var info = await client.GetEndpointInfoAsync("deepset/roberta-base-squad2", ct);
        Assert.Equal("question-answering", info.GetProperty("task").GetString());

        var status = await client.GetModelStatusAsync("deepset/roberta-base-squad2", ct);
        Assert.True(status.Loaded);
        Assert.Equal("Loaded", status.State);
        Assert.Equal("cpu", status.ComputeType.GetString());
        Assert.Equal("/status/deepset/roberta-base-squad2", fixture.Server.Requests.Last().Path);
        await Assert.ThrowsAsync<HfHubHttpException>(() => client.GetModelStatusAsync("nobody/nothing", ct));
        Assert.Equal("model", (await Assert.ThrowsAsync<ArgumentException>(() => client.GetModelStatusAsync(fixture.Server.EndpointUrl("x").ToString(), ct))).ParamName);

        var deployed = await client.ListDeployedModelsAsync(["transformers"], ct);
        Assert.Contains("deepset/roberta-base-squad2", deployed["question-answering"]);
        Assert.Equal(deployed.Keys.Order(StringComparer.Ordinal), deployed.Keys);
    }

    [Fact]
    public void TheRecommendedModelTableIsPublic()
    {
        Assert.Equal("facebook/bart-large-cnn", InferenceClient.GetRecommendedModel("summarization"));
        Assert.Throws<ArgumentException>(() => InferenceClient.GetRecommendedModel("not-a-task"));
    }

    [Fact]
    public async Task SegmentationMasksDecodeToImages()
    {
        using var client = fixture.Client();
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        var segments = await client.ImageSegmentationAsync(png, cancellationToken: TestContext.Current.CancellationToken);
        var mask = segments[0].DecodeMask();
        Assert.Equal("image/png", mask.ContentType);
        Assert.Equal(png, mask.ToArray());
    }

#pragma warning disable CS0618 // The legacy client is obsolete on purpose; this tests it still works for migration.
    [Fact]
    public async Task TheLegacyInferenceApiPostsToThePipelineRoute()
    {
        using var api = new InferenceApi("distilbert/distilbert-base-uncased-finetuned-sst-2-english", task: "text-classification", token: ServerFixture.Token, options: new InferenceClientOptions { InferenceApiUrl = fixture.Server.BaseUrl });
        var answer = await api.CallAsync(inputs: "I like you", cancellationToken: TestContext.Current.CancellationToken);

        var request = fixture.Server.Requests.Last();
        Assert.Equal("/pipeline/text-classification/distilbert/distilbert-base-uncased-finetuned-sst-2-english", request.RawPath);
        Assert.Equal("""{"options":{"wait_for_model":true},"inputs":"I like you"}""", request.BodyText);
        Assert.Equal("Bearer " + ServerFixture.Token, request.Header("authorization"));
        Assert.Equal("POSITIVE", answer[0][0].GetProperty("label").GetString());
        Assert.True(typeof(InferenceApi).GetCustomAttributes(typeof(ObsoleteAttribute), false).Length == 1);
    }
#pragma warning restore CS0618
}
