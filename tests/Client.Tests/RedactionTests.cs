using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// What an exception or a log line carries: URLs without their query or user info, server text without
/// the client's own token, and a server message cut to a readable length in Message.
/// </summary>
public class RedactionTests : IClassFixture<ServerFixture>
{
    private const string Secret = "s3cr3t-query-key";

    private readonly ServerFixture fixture;

    public RedactionTests(ServerFixture fixture)
    {
        this.fixture = fixture;
        fixture.Server.ClearScript();
    }

    private string EndpointWithSecrets() =>
        new UriBuilder(fixture.Server.EndpointUrl("text-classification")) { Query = "api_key=" + Secret, UserName = "user", Password = Secret + "-password" }.Uri.ToString();

    private static void AssertNoSecret(HfHubHttpException error)
    {
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.RequestUri?.ToString() ?? string.Empty, StringComparison.Ordinal);
        Assert.NotNull(error.RequestUri);
    }

    [Fact]
    public async Task AnUnreadableAnswerFromAUrlWithAKeyInItsQueryDoesNotRepeatTheKey()
    {
        var logs = new CapturingLoggerFactory();
        using var client = fixture.Client(o => o.LoggerFactory = logs);
        fixture.Server.Enqueue(new ScriptedResponse { Body = "<html>not json</html>", ContentType = "text/html" });
        AssertNoSecret(await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("x", model: EndpointWithSecrets(), cancellationToken: TestContext.Current.CancellationToken)));
        Assert.All(logs.Lines, line => Assert.DoesNotContain(Secret, line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnOversizedAnswerFromAUrlWithAKeyInItsQueryDoesNotRepeatTheKey()
    {
        using var client = fixture.Client(o => o.MaxResponseBytes = 1024);
        fixture.Server.Enqueue(HostileAnswers.Endless(1_000_000, "application/json"));
        AssertNoSecret(await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("x", model: EndpointWithSecrets(), cancellationToken: TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task AnAnswerMissingAMemberFromAUrlWithAKeyInItsQueryDoesNotRepeatTheKey()
    {
        using var client = fixture.Client();
        fixture.Server.Enqueue(new ScriptedResponse { Body = "null" });
        AssertNoSecret(await Assert.ThrowsAsync<InferenceResponseException>(() => client.TextClassificationAsync("x", model: EndpointWithSecrets(), cancellationToken: TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task AnEndpointUrlWithAKeyInItsQueryReachesNoSpanNameOrTag()
    {
        var stopped = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == Diagnostics.InferenceTelemetry.Name,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        using var client = fixture.Client();
        var model = EndpointWithSecrets();
        await client.TextClassificationAsync("x", model: model, cancellationToken: TestContext.Current.CancellationToken);
        var mine = stopped.Where(a => a.GetTagItem("gen_ai.request.model") is string m && m.Contains("/endpoints/text-classification", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(mine);
        Assert.All(mine, a =>
        {
            Assert.DoesNotContain(Secret, a.DisplayName, StringComparison.Ordinal);
            Assert.All(a.Tags, tag => Assert.DoesNotContain(Secret, tag.Value ?? string.Empty, StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task AServerEchoingTheAuthorizationHeaderDoesNotPutTheTokenIntoTheError()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = fixture.Client();
        var echo = "Bearer " + ServerFixture.Token;
        fixture.Server.Enqueue(ScriptedResponse.Error(401, $"Invalid credentials in Authorization header: {echo}"));
        var error = await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("x", cancellationToken: ct));
        Assert.DoesNotContain(ServerFixture.Token, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ServerFixture.Token, error.ServerMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(ServerFixture.Token, error.ResponseBody, StringComparison.Ordinal);
        Assert.Contains("[redacted token]", error.ServerMessage, StringComparison.Ordinal);

        // In a header, and in a 200 answer that does not read.
        fixture.Server.Enqueue(new ScriptedResponse { Status = 502, Body = "<html/>", ContentType = "text/html", Headers = new Dictionary<string, string> { ["X-Error-Message"] = echo } });
        Assert.DoesNotContain(ServerFixture.Token, (await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("x", cancellationToken: ct))).ToString(), StringComparison.Ordinal);
        fixture.Server.Enqueue(new ScriptedResponse { Body = "{\"you sent\":\"" + echo + "\"", ContentType = "application/json" });
        var unreadable = await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("x", cancellationToken: ct));
        Assert.DoesNotContain(ServerFixture.Token, unreadable.ToString() + unreadable.ResponseBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A48KbServerMessageIsCutInMessageAndKeptWholeInServerMessage()
    {
        using var client = fixture.Client();
        var huge = string.Concat(Enumerable.Repeat("trouble ", 6 * 1024));
        fixture.Server.Enqueue(ScriptedResponse.Error(500, huge));
        var error = await Assert.ThrowsAsync<HfHubHttpException>(() => client.TextClassificationAsync("x", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(huge, error.ServerMessage);
        Assert.InRange(error.Message.Length, 100, 2048);
        Assert.Contains("more characters in ServerMessage", error.Message, StringComparison.Ordinal);
    }
}
