using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>What every call shares: errors, 503 "loading" retries, the timeout, cancellation, arguments, the token.</summary>
public class TransportTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task ErrorsCarryStatusServerMessageRequestIdAndBodyButNeverTheToken()
    {
        using var client = fixture.Client();
        fixture.Server.Enqueue(ScriptedResponse.Error(422, "Input validation error: `inputs` must be non-empty", requestId: "req-42"));

        var error = await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("x", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.StatusCode);
        Assert.Equal("Input validation error: `inputs` must be non-empty", error.ServerMessage);
        Assert.Equal("req-42", error.RequestId);
        Assert.Contains("must be non-empty", error.ResponseBody);
        Assert.Contains("422", error.Message);
        Assert.Contains("req-42", error.Message);
        Assert.DoesNotContain(ServerFixture.Token, error.ToString());
    }

    [Fact]
    public async Task ErrorMessagesAreReadFromEveryShapeTheServicesUse()
    {
        using var client = fixture.Client();
        var ct = TestContext.Current.CancellationToken;

        fixture.Server.Enqueue(new ScriptedResponse { Status = 400, Body = """{"error":{"message":"Bad tool call","http_status_code":400}}""" });
        Assert.Equal("Bad tool call", (await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("x", cancellationToken: ct))).ServerMessage);

        fixture.Server.Enqueue(new ScriptedResponse { Status = 400, Body = """{"errors":[{"message":"first"},{"message":"second"}]}""" });
        Assert.Equal("first; second", (await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("x", cancellationToken: ct))).ServerMessage);

        fixture.Server.Enqueue(new ScriptedResponse { Status = 502, Body = "<html>Bad gateway</html>", ContentType = "text/html", Headers = new System.Collections.Generic.Dictionary<string, string> { ["X-Error-Message"] = "Upstream down" } });
        var gateway = await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("x", cancellationToken: ct));
        Assert.Equal(HttpStatusCode.BadGateway, gateway.StatusCode);
        Assert.Equal("Upstream down", gateway.ServerMessage);
        Assert.StartsWith("local-", gateway.RequestId);
    }

    [Fact]
    public async Task ModelLoadingIsRetriedUntilTheModelAnswers()
    {
        using var client = fixture.Client();
        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(ScriptedResponse.Loading(0.01), ScriptedResponse.Loading(0.01));

        var output = await client.TextClassificationAsync("I like you", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("POSITIVE", output[0].Label);
        Assert.Equal(3, fixture.Server.Requests.Count);
        Assert.All(fixture.Server.Requests, r => Assert.Equal("""{"inputs":"I like you"}""", r.BodyText));
    }

    [Fact]
    public void ModelLoadingIsRetriedBySynchronousCallsToo()
    {
        using var client = fixture.Client();
        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(ScriptedResponse.Loading(0.01));

        Assert.Equal("POSITIVE", client.TextClassification("I like you", cancellationToken: TestContext.Current.CancellationToken)[0].Label);
        Assert.Equal(2, fixture.Server.Requests.Count);
    }

    [Fact]
    public async Task A503ThatIsNotLoadingIsAnError()
    {
        using var client = fixture.Client();
        fixture.Server.Enqueue(ScriptedResponse.Error(503, "Service overloaded"));
        var error = await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("x", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
    }

    [Fact]
    public async Task TheTimeoutCoversSlowAnswersAndEndlessLoading()
    {
        using var client = fixture.Client(o => o.Timeout = TimeSpan.FromMilliseconds(300));
        var ct = TestContext.Current.CancellationToken;

        fixture.Server.Enqueue(ScriptedResponse.Slow(TimeSpan.FromSeconds(10)));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<InferenceTimeoutException>(() => client.TextClassificationAsync("x", cancellationToken: ct));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");

        fixture.Server.Enqueue(Enumerable.Repeat(ScriptedResponse.Loading(0.05), 200).ToArray());
        watch.Restart();
        var loading = await Assert.ThrowsAsync<InferenceTimeoutException>(() => client.TextClassificationAsync("x", cancellationToken: ct));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
        Assert.Contains("00:00:00.3", loading.Message);
        fixture.Server.ClearScript();
    }

    [Fact]
    public async Task CancellationIsHonouredAndIsNotATimeout()
    {
        using var client = fixture.Client(o => o.Timeout = TimeSpan.FromSeconds(30));
        fixture.Server.Enqueue(ScriptedResponse.Slow(TimeSpan.FromSeconds(10)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.TextClassificationAsync("x", cancellationToken: cancel.Token));
        Assert.IsNotType<InferenceTimeoutException>(error);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task InvalidArgumentsFailBeforeAnyRequestIsSent()
    {
        using var client = fixture.Client();
        fixture.Server.ClearRequests();
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal("text", (await Assert.ThrowsAsync<ArgumentNullException>(() => client.TextClassificationAsync(null!, cancellationToken: ct))).ParamName);
        Assert.Equal("labels", (await Assert.ThrowsAsync<ArgumentNullException>(() => client.ZeroShotClassificationAsync("x", null!, cancellationToken: ct))).ParamName);
        Assert.Equal("model", (await Assert.ThrowsAsync<ArgumentException>(() => client.TextClassificationAsync("x", model: "../../admin", cancellationToken: ct))).ParamName);
        Assert.Equal("model", (await Assert.ThrowsAsync<ArgumentException>(() => client.TextClassificationAsync("x", model: "org/model?x=1", cancellationToken: ct))).ParamName);
        Assert.Throws<FileNotFoundException>(() => InferenceInput.FromFile(new FileInfo(Path.Combine(Path.GetTempPath(), "no-such-file-" + Guid.NewGuid()))));
        Assert.Equal("file", Assert.Throws<ArgumentException>(() => InferenceInput.FromFile(new FileInfo(Path.GetTempPath()))).ParamName);
        Assert.Equal("url", Assert.Throws<ArgumentException>(() => InferenceInput.FromUrl(new Uri("ftp://example.com/cat.png"))).ParamName);
        Assert.Equal("bytes", Assert.Throws<ArgumentException>(() => InferenceInput.FromBytes(Array.Empty<byte>())).ParamName);
        Assert.Empty(fixture.Server.Requests);
    }

    [Fact]
    public void OptionsThatContradictEachOtherAreRefused()
    {
        var both = Assert.Throws<ArgumentException>(() => new InferenceClient(new InferenceClientOptions { Model = "a/b", BaseUrl = new Uri("http://localhost/v1") }));
        Assert.Equal("BaseUrl", both.ParamName);
        Assert.Equal("RouterUrl", Assert.Throws<ArgumentException>(() => new InferenceClient(new InferenceClientOptions { RouterUrl = new Uri("ftp://router") })).ParamName);
        Assert.Equal("Timeout", Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceClient(new InferenceClientOptions { Timeout = TimeSpan.Zero })).ParamName);
    }

    [Fact]
    public async Task AClientIsNotChangedByLaterChangesToItsOptions()
    {
        var options = new InferenceClientOptions { RouterUrl = fixture.Server.BaseUrl, Token = ServerFixture.Token };
        using var client = new InferenceClient(options);
        options.RouterUrl = new Uri("http://127.0.0.1:9/");
        options.Headers["X-Late"] = "1";

        await client.TextClassificationAsync("x", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Null(fixture.LastInference().Header("x-late"));
        Assert.NotSame(options, client.Options);
    }

    [Fact]
    public async Task NoTokenIsSentWhenTurnedOff()
    {
        using var client = fixture.Client(o => o.SendToken = false);
        await client.TextClassificationAsync("x", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Null(fixture.LastInference().Header("authorization"));
    }

    [Fact]
    public void AnUnknownTaskHasNoRecommendedModel()
    {
        var error = Assert.Throws<ArgumentException>(() => Http.RecommendedModels.For("text-to-3d"));
        Assert.Equal("task", error.ParamName);
        Assert.Contains("text-to-3d", error.Message);
        Assert.Equal("facebook/bart-large-mnli", Http.RecommendedModels.For("zero-shot-classification"));
    }
}

/// <summary>Token discovery reads process-wide environment variables, so these tests run alone.</summary>
[Collection(nameof(EnvironmentCollection))]
public class TokenDiscoveryTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task TheTokenComesFromOptionsThenHfTokenThenTheLegacyVariableThenTheTokenFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"hf-token-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, "  hf_from_file\n", TestContext.Current.CancellationToken);
        using var environment = new EnvironmentScope(("HF_TOKEN", null), ("HUGGING_FACE_HUB_TOKEN", null), ("HF_TOKEN_PATH", file));
        try
        {
            Assert.Equal("Bearer hf_from_file", await SentAuthorization());
            Environment.SetEnvironmentVariable("HUGGING_FACE_HUB_TOKEN", "hf_legacy");
            Assert.Equal("Bearer hf_legacy", await SentAuthorization());
            Environment.SetEnvironmentVariable("HF_TOKEN", " hf_env ");
            Assert.Equal("Bearer hf_env", await SentAuthorization());
            Assert.Equal("Bearer hf_explicit", await SentAuthorization("hf_explicit"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task<string?> SentAuthorization(string? token = null)
    {
        using var client = new InferenceClient(new InferenceClientOptions { RouterUrl = fixture.Server.BaseUrl, Token = token });
        await client.TextClassificationAsync("x", cancellationToken: TestContext.Current.CancellationToken);
        return fixture.LastInference().Header("authorization");
    }

    private sealed class EnvironmentScope : IDisposable
    {
        private readonly (string Name, string? Value)[] _saved;

        public EnvironmentScope(params (string Name, string? Value)[] values)
        {
            _saved = values.Select(v => (v.Name, Environment.GetEnvironmentVariable(v.Name))).ToArray();
            foreach (var (name, value) in values)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, value) in _saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}

[CollectionDefinition(nameof(EnvironmentCollection), DisableParallelization = true)]
public class EnvironmentCollection;
