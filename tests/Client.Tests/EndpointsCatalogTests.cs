using System;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Endpoints;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>The Inference Catalog (huggingface_hub's list_inference_catalog and create_inference_endpoint_from_catalog) against the local fake.</summary>
public class EndpointsCatalogTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private InferenceEndpointsClient Client(string? token = ServerFixture.Token) =>
        new(new InferenceEndpointsClientOptions { ApiUrl = fixture.Server.BaseUrl, HubUrl = fixture.Server.BaseUrl, CatalogUrl = fixture.Server.BaseUrl, Token = token });

    [Fact]
    public async Task TheCatalogListsItsModels()
    {
        using var client = Client();
        Assert.Equal(InferenceTestServer.CatalogModels, await client.ListCatalogAsync(Ct));
        Assert.Equal("/api/catalog", fixture.Server.Requests.Last().Path);
    }

    [Fact]
    public async Task ACatalogModelDeploysAsAnEndpointThatRuns()
    {
        using var client = Client();
        var name = "cat-" + Guid.NewGuid().ToString("N")[..8];
        var endpoint = await client.CreateFromCatalogAsync(InferenceTestServer.CatalogModels[0], name, EndpointAccelerator.Cpu, cancellationToken: Ct);
        Assert.Equal(name, endpoint.Name);
        Assert.Equal(InferenceTestServer.User, endpoint.Namespace);
        Assert.Equal(InferenceTestServer.CatalogModels[0], endpoint.Repository);
        Assert.Equal(InferenceEndpointStatus.Pending, endpoint.Status);

        // The body is huggingface_hub's: namespace (the token's owner), repoId, endpointName, accelerator.
        var sent = fixture.Server.Requests.Last(r => r.Path == "/api/catalog/deploy");
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal(InferenceTestServer.User, body.RootElement.GetProperty("namespace").GetString());
        Assert.Equal(InferenceTestServer.CatalogModels[0], body.RootElement.GetProperty("repoId").GetString());
        Assert.Equal(name, body.RootElement.GetProperty("endpointName").GetString());
        Assert.Equal("cpu", body.RootElement.GetProperty("accelerator").GetString());
        Assert.Equal("Bearer " + ServerFixture.Token, sent.Header("authorization"));

        await endpoint.WaitAsync(TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(10), Ct);
        Assert.Equal("POSITIVE", (await endpoint.Client.TextClassificationAsync("I like it", cancellationToken: Ct))[0].Label);
        await endpoint.DeleteAsync(Ct);
    }

    [Fact]
    public async Task OptionalFieldsAreLeftOutAndErrorsCarryTheServersMessage()
    {
        using var client = Client();
        var endpoint = await client.CreateFromCatalogAsync(InferenceTestServer.CatalogModels[1], @namespace: InferenceTestServer.User, cancellationToken: Ct);
        using (var body = JsonDocument.Parse(fixture.Server.Requests.Last(r => r.Path == "/api/catalog/deploy").Body))
        {
            Assert.False(body.RootElement.TryGetProperty("endpointName", out _));
            Assert.False(body.RootElement.TryGetProperty("accelerator", out _));
        }

        Assert.Equal("llama-3-1-8b-instruct", endpoint.Name);
        await endpoint.DeleteAsync(Ct);

        var refused = await Assert.ThrowsAsync<HfHubHttpException>(() => client.CreateFromCatalogAsync("not/in-the-catalog", cancellationToken: Ct));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("not in the catalog", refused.ServerMessage);
        Assert.Equal("name", (await Assert.ThrowsAsync<ArgumentException>(() => client.CreateFromCatalogAsync(InferenceTestServer.CatalogModels[0], "a/b", cancellationToken: Ct))).ParamName);
        Assert.Equal("repoId", (await Assert.ThrowsAsync<ArgumentException>(() => client.CreateFromCatalogAsync(" ", cancellationToken: Ct))).ParamName);
    }
}
