using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace HuggingFace.Inference.Tests;

/// <summary>A client reads the options it was made with, frozen: neither the caller's object nor client.Options can change it.</summary>
public class OptionsSnapshotTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string OtherToken = "hf_other_token_9876543210";

    [Fact]
    public async Task ChangingTheOptionsPassedInAfterConstructionChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new InferenceClientOptions
        {
            RouterUrl = fixture.Server.BaseUrl,
            HubUrl = fixture.Server.BaseUrl,
            Model = fixture.Server.EndpointUrl("text-classification").ToString(),
            Token = ServerFixture.Token,
            BillTo = "first-org",
        };
        options.Headers["X-Kept"] = "first";
        using var client = new InferenceClient(options);

        options.Model = fixture.Server.EndpointUrl("changed-model").ToString();
        options.Token = OtherToken;
        options.BillTo = "second-org";
        options.SendToken = false;
        options.Headers["X-Kept"] = "second";
        options.Headers["X-Added"] = "later";
        options.Cookies["session"] = "later";

        await client.TextClassificationAsync("I like you", cancellationToken: ct);

        var request = fixture.LastInference();
        Assert.Equal("/endpoints/text-classification", request.Path);
        Assert.Equal("Bearer " + ServerFixture.Token, request.Header("authorization"));
        Assert.Equal("first-org", request.Header("x-hf-bill-to"));
        Assert.Equal("first", request.Header("x-kept"));
        Assert.Null(request.Header("x-added"));
        Assert.Null(request.Header("cookie"));

        // What the client shows is what it uses, not the caller's object.
        Assert.NotSame(options, client.Options);
        Assert.Equal(fixture.Server.EndpointUrl("text-classification").ToString(), client.Options.Model);
        Assert.Equal(ServerFixture.Token, client.Options.Token);
        Assert.Equal("first", client.Options.Headers["X-Kept"]);
    }

    [Fact]
    public async Task ClientOptionsIsReadOnlyAndTheCallsAreUnchangedAfterTryingToChangeIt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = fixture.Client(o =>
        {
            o.Model = fixture.Server.EndpointUrl("text-classification").ToString();
            o.Headers["X-Kept"] = "first";
        });

        var attempts = new List<Action>
        {
            () => client.Options.Model = fixture.Server.EndpointUrl("changed-model").ToString(),
            () => client.Options.Token = OtherToken,
            () => client.Options.ApiKey = OtherToken,
            () => client.Options.SendToken = false,
            () => client.Options.BillTo = "other-org",
            () => client.Options.RouterUrl = new Uri("https://elsewhere.example"),
            () => client.Options.Timeout = TimeSpan.FromMilliseconds(1),
            () => client.Options.MaxRetries = 0,
            () => client.Options.Provider = "together",
        };
        foreach (var attempt in attempts)
        {
            var error = Assert.Throws<InvalidOperationException>(attempt);
            Assert.Contains("read-only", error.Message);
        }

        Assert.Throws<NotSupportedException>(() => client.Options.Headers["X-Kept"] = "second");
        Assert.Throws<NotSupportedException>(() => client.Options.Headers.Add("X-Added", "later"));
        Assert.Throws<NotSupportedException>(() => client.Options.Cookies["session"] = "later");
        Assert.Throws<NotSupportedException>(() => client.Options.ProviderUrls["together"] = new Uri("https://elsewhere.example"));

        await client.TextClassificationAsync("I like you", cancellationToken: ct);

        var request = fixture.LastInference();
        Assert.Equal("/endpoints/text-classification", request.Path);
        Assert.Equal("Bearer " + ServerFixture.Token, request.Header("authorization"));
        Assert.Equal("first", request.Header("x-kept"));
        Assert.Null(request.Header("x-added"));
        Assert.Null(request.Header("x-hf-bill-to"));
    }

    [Fact]
    public void AClientCanBeMadeFromAnotherClientsOptions()
    {
        using var first = fixture.Client(o => o.Model = "deepset/roberta-base-squad2");
        using var second = new InferenceClient(first.Options);

        Assert.Equal("deepset/roberta-base-squad2", second.Options.Model);
        Assert.Throws<InvalidOperationException>(() => second.Options.Model = "other");
    }
}
