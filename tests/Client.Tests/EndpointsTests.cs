using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Endpoints;
using HuggingFace.Inference.Testing;
using HuggingFace.Inference.Testing.Shared;

namespace HuggingFace.Inference.Tests;

/// <summary>Inference Endpoints management against the local fake of the management API and its state machine.</summary>
public class EndpointsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan Quick = TimeSpan.FromMilliseconds(10);

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private InferenceEndpointsClient Client(string? token = ServerFixture.Token) =>
        new(new InferenceEndpointsClientOptions { ApiUrl = fixture.Server.BaseUrl, HubUrl = fixture.Server.BaseUrl, Token = token });

    private static string NewName() => "ep-" + Guid.NewGuid().ToString("N")[..10];

    private static Task<InferenceEndpoint> CreateAsync(InferenceEndpointsClient client, string name, string repository = "distilbert/distilbert-base-uncased-finetuned-sst-2-english", CancellationToken ct = default) =>
        client.CreateAsync(name, repository, "pytorch", "cpu", "x2", "intel-icl", "us-east-1", "aws", task: EndpointTask.TextClassification, cancellationToken: ct);

    [Fact]
    public async Task AnEndpointLivesThroughCreateWaitInferPauseResumeScaleToZeroAndDelete()
    {
        using var client = Client();
        var name = NewName();

        var endpoint = await CreateAsync(client, name, ct: Ct);
        Assert.Equal(InferenceEndpointStatus.Pending, endpoint.Status);
        Assert.Equal(InferenceTestServer.User, endpoint.Namespace);
        Assert.Null(endpoint.Url);
        Assert.Throws<InferenceEndpointException>(() => endpoint.Client);

        await endpoint.WaitAsync(TimeSpan.FromSeconds(10), Quick, Ct);
        Assert.Equal(InferenceEndpointStatus.Running, endpoint.Status);
        Assert.EndsWith("/managed/" + name, endpoint.Url);
        var labels = await endpoint.Client.TextClassificationAsync("I like you", cancellationToken: Ct);
        Assert.Equal("POSITIVE", labels[0].Label);
        Assert.Equal("Bearer " + ServerFixture.Token, fixture.Server.Requests.Last(r => r.Path == "/managed/" + name).Header("authorization"));

        Assert.Equal(InferenceEndpointStatus.Paused, (await endpoint.PauseAsync(Ct)).Status);
        Assert.Throws<InferenceEndpointException>(() => endpoint.Client);
        Assert.Equal(InferenceEndpointStatus.Initializing, (await endpoint.ResumeAsync(cancellationToken: Ct)).Status);
        await endpoint.WaitAsync(TimeSpan.FromSeconds(10), Quick, Ct);
        Assert.Equal(InferenceEndpointStatus.ScaledToZero, (await endpoint.ScaleToZeroAsync(Ct)).Status);

        await endpoint.DeleteAsync(Ct);
        var gone = await Assert.ThrowsAsync<HfHubHttpException>(() => client.GetAsync(name, cancellationToken: Ct));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task WaitingEndsInFailureTimeoutOrCancellation()
    {
        using var client = Client();

        var failing = await CreateAsync(client, NewName(), InferenceTestServer.FailingRepository, Ct);
        var failed = await Assert.ThrowsAsync<InferenceEndpointException>(() => failing.WaitAsync(TimeSpan.FromSeconds(10), Quick, Ct));
        Assert.Equal(InferenceEndpointStatus.Failed, failed.State);
        Assert.Contains("failing/model not found", failed.Message);

        var paused = await CreateAsync(client, NewName(), ct: Ct);
        await paused.PauseAsync(Ct);
        var timeout = await Assert.ThrowsAsync<InferenceEndpointTimeoutException>(() => paused.WaitAsync(TimeSpan.FromMilliseconds(200), Quick, Ct));
        Assert.Equal(InferenceEndpointStatus.Paused, timeout.State);

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => paused.WaitAsync(null, Quick, cancel.Token));
    }

    [Fact]
    public async Task UpdatesSendOnlyWhatChangesAndAFailedUpdateIsReported()
    {
        using var client = Client();
        var endpoint = await CreateAsync(client, NewName(), ct: Ct);
        await endpoint.WaitAsync(TimeSpan.FromSeconds(10), Quick, Ct);

        await endpoint.UpdateAsync(minReplica: 0, scaleToZeroTimeout: 30, cancellationToken: Ct);
        var request = fixture.Server.Requests.Last(r => r.Method == "PUT");
        Assert.Equal("""{"compute":{"scaling":{"minReplica":0,"scaleToZeroTimeout":30}}}""", request.BodyText);
        Assert.Equal(InferenceEndpointStatus.Updating, endpoint.Status);
        await endpoint.WaitAsync(TimeSpan.FromSeconds(10), Quick, Ct);
        Assert.Equal(30, endpoint.Raw.Compute.Scaling.ScaleToZeroTimeout);

        await endpoint.UpdateAsync(repository: InferenceTestServer.FailingRepository, cancellationToken: Ct);
        var error = await Assert.ThrowsAsync<InferenceEndpointException>(() => endpoint.WaitAsync(TimeSpan.FromSeconds(10), Quick, Ct));
        Assert.Equal(InferenceEndpointStatus.UpdateFailed, error.State);
    }

    [Fact]
    public async Task ResumingARunningEndpointIsFineUnlessToldOtherwise()
    {
        using var client = Client();
        var endpoint = await CreateAsync(client, NewName(), ct: Ct);
        await endpoint.WaitAsync(TimeSpan.FromSeconds(10), Quick, Ct);

        Assert.Equal(InferenceEndpointStatus.Running, (await endpoint.ResumeAsync(cancellationToken: Ct)).Status);
        var error = await Assert.ThrowsAsync<HfHubHttpException>(() => endpoint.ResumeAsync(runningOk: false, Ct));
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("already running", error.ServerMessage);
    }

    [Fact]
    public async Task ListingReadsEveryPageAndTheNamespaceIsAskedOnce()
    {
        using var client = Client();
        const string Namespace = "paging-org";
        var names = Enumerable.Range(0, 5).Select(_ => NewName()).ToList();
        foreach (var name in names)
        {
            await client.CreateAsync(name, "gpt2", "pytorch", "cpu", "x1", "intel-icl", "us-east-1", "aws", @namespace: Namespace, cancellationToken: Ct);
        }

        fixture.Server.ClearRequests();
        var listed = await client.ListAsync(Namespace, Ct);
        Assert.Equal(names.Order(StringComparer.Ordinal), listed.Select(e => e.Name));
        Assert.Equal(3, fixture.Server.Requests.Count(r => r.Path == "/v2/endpoint/" + Namespace));

        fixture.Server.ClearRequests();
        await client.ListAsync(cancellationToken: Ct);
        await client.ListHardwareAsync(cancellationToken: Ct);
        Assert.Single(fixture.Server.Requests, r => r.Path == "/api/whoami-v2");

        using var anonymous = new InferenceEndpointsClient(new InferenceEndpointsClientOptions { ApiUrl = fixture.Server.BaseUrl, HubUrl = fixture.Server.BaseUrl, Token = null });
        if (Environment.GetEnvironmentVariable("HF_TOKEN") == null && Environment.GetEnvironmentVariable("HUGGING_FACE_HUB_TOKEN") == null)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => anonymous.ListAsync(cancellationToken: Ct));
        }
    }

    [Fact]
    public async Task HardwareLogsAndMetrics()
    {
        using var client = Client();
        var hardware = await client.ListHardwareAsync(cancellationToken: Ct);
        Assert.Equal("intel-icl", hardware.Vendors[0].Regions[0].Computes[0].InstanceType);

        var endpoint = await CreateAsync(client, NewName(), ct: Ct);
        Assert.Contains("INFO ready", await endpoint.GetLogsAsync(tail: 10, cancellationToken: Ct));
        Assert.Contains("tail=10", fixture.Server.Requests.Last().Query);
        var metric = await endpoint.GetMetricAsync(MetricName.RequestCount, DateTimeOffset.FromUnixTimeSeconds(1704067200), DateTimeOffset.FromUnixTimeSeconds(1704067800), "1m", Ct);
        Assert.Equal("request-count", metric.GetProperty("metric").GetString());
        Assert.Equal("""{"from":1704067200,"to":1704067800,"step":"1m"}""", fixture.Server.Requests.Last().BodyText);
    }

    [Fact]
    public async Task NamesThatCouldLeaveTheirPathAreRefusedBeforeAnyRequest()
    {
        using var client = Client();
        fixture.Server.ClearRequests();
        Assert.Equal("name", (await Assert.ThrowsAsync<ArgumentException>(() => client.GetAsync("../admin", "org", Ct))).ParamName);
        Assert.Equal("name", (await Assert.ThrowsAsync<ArgumentException>(() => client.GetAsync("a/b", "org", Ct))).ParamName);
        Assert.Equal("namespace", (await Assert.ThrowsAsync<ArgumentException>(() => client.GetAsync("ok", "..", Ct))).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => { _ = client.CreateAsync("bad name", "gpt2", "pytorch", "cpu", "x1", "intel-icl", "us-east-1", "aws", cancellationToken: Ct); }).ParamName);
        Assert.Empty(fixture.Server.Requests);
    }

    [Fact]
    public async Task CreateAndUpdateBodiesUseTheFieldsTheApiKnows()
    {
        var fixturesPath = Path.Combine(RepoPaths.Reference, "endpoints-fixtures.json");
        var referencePath = Path.Combine(RepoPaths.Reference, "endpoints-openapi.json");
        if (!File.Exists(fixturesPath) || !File.Exists(referencePath))
        {
            Assert.Skip("needs ../shared/reference/endpoints-fixtures.json and endpoints-openapi.json beside the repository");
        }

        using var client = Client();
        var endpoint = await CreateAsync(client, NewName(), ct: Ct);
        var created = JsonDocument.Parse(fixture.Server.Requests.Last(r => r.Method == "POST").Body).RootElement;

        // Every member we send on create is one a real endpoint record has (the Python client's fixture).
        var fixturePaths = Paths(JsonDocument.Parse(File.ReadAllText(fixturesPath)).RootElement.GetProperty("MOCK_INITIALIZING")).ToHashSet();
        Assert.Contains("compute.scaling.minReplica", Paths(created));
        Assert.DoesNotContain(Paths(created), p => !fixturePaths.Contains(p));

        // Every member we send on update is in the API's EndpointUpdate schema (2023), or one of the later
        // additions our specs/endpoints-openapi.json documents (scaleToZeroTimeout).
        await endpoint.UpdateAsync(instanceSize: "x4", maxReplica: 2, repository: "gpt2", revision: "main", cancellationToken: Ct);
        var update = JsonDocument.Parse(fixture.Server.Requests.Last(r => r.Method == "PUT").Body).RootElement;
        var reference = JsonDocument.Parse(File.ReadAllText(referencePath)).RootElement.GetProperty("components").GetProperty("schemas");
        var known = SchemaPaths(reference, "EndpointUpdate", string.Empty).ToHashSet();
        Assert.DoesNotContain(Paths(update), p => !known.Contains(p));
        Assert.Contains("compute.instanceSize", Paths(update));
        Assert.Contains("model.revision", Paths(update));
    }

    [Fact]
    public async Task AnEndpointCanBeMadeFromARawRecord()
    {
        using var client = Client();
        var created = await CreateAsync(client, NewName(), ct: Ct);
        var copy = InferenceEndpoint.FromRaw(created.Raw, created.Namespace, client);
        Assert.Equal(created.Name, copy.Name);
        await copy.FetchAsync(Ct);
        Assert.NotEqual(InferenceEndpointStatus.Pending, copy.Status);
        Assert.Equal(created.Raw.Model.Repository, copy.Repository);
        Assert.True(copy.CreatedAt <= DateTimeOffset.UtcNow);
    }

    /// <summary>Dotted paths of an object's leaf members (objects recursed, everything else a leaf).</summary>
    private static IEnumerable<string> Paths(JsonElement element, string prefix = "")
    {
        foreach (var member in element.EnumerateObject())
        {
            var path = prefix.Length == 0 ? member.Name : prefix + "." + member.Name;
            if (member.Value.ValueKind == JsonValueKind.Object && member.Value.EnumerateObject().Any() && member.Name != "image")
            {
                foreach (var nested in Paths(member.Value, path))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return path;
            }
        }
    }

    private static IEnumerable<string> SchemaPaths(JsonElement schemas, string name, string prefix)
    {
        foreach (var property in schemas.GetProperty(name).GetProperty("properties").EnumerateObject())
        {
            var path = prefix.Length == 0 ? property.Name : prefix + "." + property.Name;
            var target = property.Value.TryGetProperty("allOf", out var allOf) ? allOf[0] : property.Value;
            if (target.TryGetProperty("$ref", out var reference) && schemas.GetProperty(reference.GetString()!.Split('/').Last()).TryGetProperty("properties", out _) && property.Name != "image")
            {
                foreach (var nested in SchemaPaths(schemas, reference.GetString()!.Split('/').Last(), path))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return path;
            }
        }
    }
}
