using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Diagnostics;
using HuggingFace.Inference.Endpoints;
using HuggingFace.Inference.Http;
using HuggingFace.Inference.Testing;
using HuggingFace.Inference.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// Every Refit interface of the library, built by Refit and called against the local server, over the
/// library's policy handler. A generator output Refit cannot implement compiles cleanly and fails only
/// here, at run time: so every interface is built, and every method of the management API is called.
/// </summary>
public class RefitClientTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every Refit interface in the library's assembly: the test below must cover each.</summary>
    private static readonly Type[] Interfaces = typeof(InferenceClient).Assembly.GetTypes()
        .Where(t => t.IsInterface && t.IsPublic && t.GetMethods().Any(m => m.GetCustomAttributes().Any(a => a is HttpMethodAttribute)))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToArray();

    private InferenceClientOptions Options(Action<InferenceClientOptions>? configure = null)
    {
        var options = new InferenceClientOptions { Token = ServerFixture.Token, MaxRetries = 2 };
        configure?.Invoke(options);
        return options;
    }

    private static HttpClient Http(Uri baseAddress, InferencePolicyHandler policies, params DelegatingHandler[] inner)
    {
        HttpMessageHandler chain = new SocketsHttpHandler { AllowAutoRedirect = false };
        foreach (var handler in inner.Reverse())
        {
            handler.InnerHandler = chain;
            chain = handler;
        }

        policies.InnerHandler = chain;
        return new HttpClient(policies) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    private T For<T>(string path = "", Action<InferenceClientOptions>? configure = null, params DelegatingHandler[] inner) =>
        RestService.For<T>(Http(new Uri(fixture.Server.BaseUrl, path), new InferencePolicyHandler(Options(configure)), inner), InferenceJsonContentSerializer.CreateSettings());

    [Fact]
    public void TheLibraryHasTheRefitInterfacesThisClassCalls()
    {
        Assert.Equal(
            [typeof(IHuggingFaceHubApi).FullName, typeof(IInferenceCatalogApi).FullName, typeof(IInferenceEndpointsApi).FullName, typeof(IHfInferenceApi).FullName,
             typeof(HuggingFace.Inference.Tei.ITextEmbeddingsInferenceApi).FullName, typeof(HuggingFace.Inference.Tgi.ITextGenerationInferenceApi).FullName],
            Interfaces.Select(t => t.FullName).ToArray());
    }

    [Fact]
    public void NoMethodOfAnyInterfaceFallsBackToTheReflectionBuilder()
    {
        // Refit's stub keeps a static Type[] per method it cannot build itself, and hands that method to
        // Refit.Reflection (not available here): a stub without one builds every request itself.
        foreach (var type in Interfaces)
        {
            var implementation = RestService.For(type, new HttpClient { BaseAddress = fixture.Server.BaseUrl }, InferenceJsonContentSerializer.CreateSettings()).GetType();
            Assert.True(type.IsAssignableFrom(implementation));
            var fallbacks = implementation.GetFields(BindingFlags.Static | BindingFlags.NonPublic).Where(f => f.FieldType == typeof(Type[])).Select(f => f.Name).ToList();
            Assert.True(fallbacks.Count == 0, $"{type.Name}: {fallbacks.Count} method(s) need the reflection request builder");
        }
    }

    [Fact]
    public async Task EveryOperationOfTheManagementApiRunsAgainstTheLocalServer()
    {
        var api = For<IInferenceEndpointsApi>();
        var ns = InferenceTestServer.User;
        var name = "refit-" + Guid.NewGuid().ToString("N")[..8];
        var body = new EndpointDefinition
        {
            Name = name,
            Type = InferenceEndpointType.Protected,
            Provider = new EndpointProvider { Vendor = "aws", Region = "us-east-1" },
            Compute = new EndpointCompute { Accelerator = EndpointAccelerator.Cpu, InstanceType = "intel-icl", InstanceSize = "x2", Scaling = new EndpointScaling { MinReplica = 0, MaxReplica = 1 } },
            Model = new EndpointModel { Repository = "gpt2", Framework = EndpointFramework.Pytorch, Image = new EndpointModelImage { Huggingface = System.Text.Json.JsonDocument.Parse("{}").RootElement } },
        };

        Assert.Equal(InferenceEndpointStatus.Pending, (await api.CreateEndpointAsync(ns, body, Ct)).Status.State);
        Assert.Equal(name, (await api.GetEndpointAsync(ns, name, Ct)).Name);
        Assert.Contains((await api.ListEndpointsAsync(ns, limit: 100, cancellationToken: Ct)).Items, e => e.Name == name);
        Assert.Contains("limit=100", fixture.Server.Requests.Last(r => r.Path == "/v2/endpoint/" + ns).Query);
        var updated = await api.UpdateEndpointAsync(ns, name, new EndpointUpdate { Compute = new EndpointComputeUpdate { InstanceSize = "x4" } }, Ct);
        Assert.Equal("x4", updated.Compute.InstanceSize);
        Assert.Equal(InferenceEndpointStatus.Paused, (await api.PauseEndpointAsync(ns, name, Ct)).Status.State);
        Assert.NotEqual(InferenceEndpointStatus.Paused, (await api.ResumeEndpointAsync(ns, name, Ct)).Status.State);
        Assert.Equal(InferenceEndpointStatus.ScaledToZero, (await api.ScaleToZeroEndpointAsync(ns, name, Ct)).Status.State);
        Assert.False(string.IsNullOrEmpty(await api.GetEndpointLogsAsync(ns, name, tail: 5, cancellationToken: Ct)));
        Assert.Contains("tail=5", fixture.Server.Requests.Last().Query);
        var metric = await api.GetEndpointMetricAsync(ns, name, MetricName.RequestCount.ToString(), new MetricsRequest { From = 1, To = 2 }, Ct);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Undefined, metric.ValueKind);
        Assert.EndsWith("/metrics/request-count", fixture.Server.Requests.Last().Path);
        Assert.NotNull(await api.ListHardwareAsync(ns, Ct));
        await api.DeleteEndpointAsync(ns, name, Ct);
        var gone = await Assert.ThrowsAsync<HfHubHttpException>(() => api.GetEndpointAsync(ns, name, Ct));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        // Every call carried the token: the policy handler set it, not Refit.
        Assert.All(fixture.Server.Requests.Where(r => r.Path.StartsWith("/v2/", StringComparison.Ordinal)), r => Assert.Equal("Bearer " + ServerFixture.Token, r.Header("authorization")));
    }

    [Fact]
    public async Task BothCatalogOperationsRunAgainstTheLocalServer()
    {
        var api = For<IInferenceCatalogApi>();
        Assert.Equal(InferenceTestServer.CatalogModels, (await api.ListCatalogAsync(Ct)).Models);
        var name = "refit-cat-" + Guid.NewGuid().ToString("N")[..6];
        var deployment = await api.DeployFromCatalogAsync(new CatalogDeployRequest { Namespace = InferenceTestServer.User, RepoId = InferenceTestServer.CatalogModels[0], EndpointName = name }, Ct);
        Assert.Equal(name, deployment.Endpoint.GetProperty("name").GetString());
        await For<IInferenceEndpointsApi>().DeleteEndpointAsync(InferenceTestServer.User, name, Ct);
    }

    [Fact]
    public async Task TheHubInterfaceSaysWhoTheTokenIs()
    {
        var whoAmI = await For<IHuggingFaceHubApi>().WhoAmIAsync(Ct);
        Assert.Equal(InferenceTestServer.User, whoAmI.GetProperty("name").GetString());
    }

    [Fact]
    public async Task TheTaskInterfaceSendsJsonBinaryAndReadsBinaryAnswers()
    {
        fixture.Server.Models["refit-org/classifier"] = "text-classification";
        fixture.Server.Models["refit-org/vision"] = "image-classification";
        fixture.Server.Models["refit-org/painter"] = "text-to-image";
        fixture.Server.Models["refit-org/summarizer"] = "summarization";
        var api = For<IHfInferenceApi>("hf-inference");

        // JSON body, the [[…]] envelope read as the list it wraps.
        var labels = await api.TextClassificationAsync("refit-org/classifier", new TextClassificationInput { Inputs = "I like you" }, Ct);
        Assert.Equal("POSITIVE", labels[0].Label);
        var sent = fixture.Server.Requests.Last(r => r.Path.StartsWith("/hf-inference/models/refit-org/classifier", StringComparison.Ordinal));
        Assert.Equal("/hf-inference/models/refit-org/classifier", sent.RawPath);
        Assert.Equal("{\"inputs\":\"I like you\"}", sent.BodyText);

        // A one-element list around the object the spec describes.
        var summary = await api.SummarizationAsync("refit-org/summarizer", new SummarizationInput { Inputs = "one two three" }, Ct);
        Assert.Equal("one two three", summary.SummaryText);

        // Binary body: raw bytes with the caller's Content-Type, not base64 JSON.
        var image = SampleMedia.Png([255, 0, 0]);
        using var content = new ByteArrayContent(image);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var classes = await api.ImageClassificationAsync("refit-org/vision", content, Ct);
        Assert.NotEmpty(classes);
        var upload = fixture.Server.Requests.Last(r => r.Path == "/hf-inference/models/refit-org/vision");
        Assert.Equal("image/png", upload.ContentType);
        Assert.Equal(image, upload.Body);

        // Binary answer, with the Accept header the manifest declares.
        using var picture = await api.TextToImageAsync("refit-org/painter", new TextToImageInput { Inputs = "a cat" }, Ct);
        Assert.Equal("image/png", picture.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(await picture.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("image/png", fixture.Server.Requests.Last(r => r.Path == "/hf-inference/models/refit-org/painter").Header("accept"));
    }

    [Fact]
    public async Task ErrorsAreHfHubHttpExceptionsWithStatusMessageAndRequestId()
    {
        fixture.Server.Enqueue(ScriptedResponse.Error(403, "You are not allowed", "req-refit-1"));
        var error = await Assert.ThrowsAsync<HfHubHttpException>(() => For<IHuggingFaceHubApi>().WhoAmIAsync(Ct));
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("You are not allowed", error.ServerMessage);
        Assert.Equal("req-refit-1", error.RequestId);
    }

    [Fact]
    public async Task ReadsAreRetriedAfter429AndWritesAreNotUnlessAsked()
    {
        var api = For<IInferenceEndpointsApi>();
        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(ScriptedResponse.TooManyRequests(retryAfterSeconds: 0));
        Assert.NotNull(await api.ListHardwareAsync(InferenceTestServer.User, Ct));
        Assert.Equal(2, fixture.Server.Requests.Count(r => r.Path.StartsWith("/v2/provider/", StringComparison.Ordinal)));

        fixture.Server.Enqueue(ScriptedResponse.TooManyRequests(retryAfterSeconds: 0));
        var refused = await Assert.ThrowsAsync<HfHubHttpException>(() => api.PauseEndpointAsync(InferenceTestServer.User, "whatever", Ct));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

        fixture.Server.Models["refit-org/retried"] = "text-classification";
        var tasks = RestService.For<IHfInferenceApi>(
            Http(new Uri(fixture.Server.BaseUrl, "hf-inference"), new InferencePolicyHandler(Options()) { RetryWrites = true }),
            InferenceJsonContentSerializer.CreateSettings());
        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(ScriptedResponse.TooManyRequests(retryAfterSeconds: 0));
        Assert.Equal("POSITIVE", (await tasks.TextClassificationAsync("refit-org/retried", new TextClassificationInput { Inputs = "good" }, Ct))[0].Label);
        Assert.Equal(2, fixture.Server.Requests.Count(r => r.Path == "/hf-inference/models/refit-org/retried"));
    }

    [Fact]
    public async Task AnswersLargerThanTheCapAreRefused()
    {
        Assert.True((await For<IHuggingFaceHubApi>().WhoAmIAsync(Ct)).GetRawText().Length > 16);
        var error = await Assert.ThrowsAsync<HfHubHttpException>(() => For<IHuggingFaceHubApi>(configure: o => o.MaxResponseBytes = 16).WhoAmIAsync(Ct));
        Assert.Contains("MaxResponseBytes (16 bytes)", error.Message);

        // Without a declared length too: the cap counts what is read.
        fixture.Server.Enqueue(new ScriptedResponse { Chunks = ["{\"name\":", "\"a-name-longer-than-sixteen-bytes\"}"], ContentType = "application/json" });
        var streamed = await Assert.ThrowsAsync<HfHubHttpException>(() => For<IHuggingFaceHubApi>(configure: o => o.MaxResponseBytes = 16).WhoAmIAsync(Ct));
        Assert.Contains("MaxResponseBytes (16 bytes)", streamed.Message);
    }

    [Fact]
    public async Task TheTokenDoesNotFollowARedirectToAnotherHost()
    {
        await using var otherHost = await InferenceTestServer.StartAsync(IPAddress.Parse("127.0.0.2"), Ct);
        fixture.Server.Enqueue(ScriptedResponse.Redirect(new Uri(otherHost.BaseUrl, "api/whoami-v2")));
        await Assert.ThrowsAnyAsync<Exception>(() => For<IHuggingFaceHubApi>().WhoAmIAsync(Ct));
        var followed = Assert.Single(otherHost.Requests);
        Assert.Equal("/api/whoami-v2", followed.Path);
        Assert.Null(followed.Header("authorization"));
    }

    [Fact]
    public async Task AUserHandlerAfterThePoliciesSeesEveryAttemptWithTheToken()
    {
        var counter = new CountingHandler();
        var api = For<IInferenceEndpointsApi>(inner: counter);
        fixture.Server.Enqueue(ScriptedResponse.TooManyRequests(retryAfterSeconds: 0));
        await api.ListHardwareAsync(InferenceTestServer.User, Ct);
        Assert.Equal(2, counter.Seen.Count);
        Assert.All(counter.Seen, authorization => Assert.Equal("Bearer " + ServerFixture.Token, authorization));
    }

    [Fact]
    public void ASynchronousSendGoesThroughThePoliciesToo()
    {
        using var http = Http(fixture.Server.BaseUrl, new InferencePolicyHandler(Options()));
        fixture.Server.ClearRequests();
        fixture.Server.Enqueue(ScriptedResponse.TooManyRequests(retryAfterSeconds: 0));
        using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, "api/whoami-v2"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, fixture.Server.Requests.Count(r => r.Path == "/api/whoami-v2"));
        Assert.Equal("Bearer " + ServerFixture.Token, fixture.Server.Requests.Last().Header("authorization"));

        fixture.Server.Enqueue(ScriptedResponse.Error(404, "nothing here", "req-sync-1"));
        Assert.Equal("req-sync-1", Assert.Throws<HfHubHttpException>(() => http.Send(new HttpRequestMessage(HttpMethod.Get, "api/whoami-v2"), Ct)).RequestId);
    }

    [Fact]
    public async Task EachCallIsOneActivityNamedAfterItsMethod()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == InferenceTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (activities) { activities.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        var api = For<IInferenceEndpointsApi>();
        await api.ListHardwareAsync(InferenceTestServer.User, Ct);
        await Assert.ThrowsAsync<HfHubHttpException>(() => api.GetEndpointAsync(InferenceTestServer.User, "does-not-exist-" + Guid.NewGuid().ToString("N")[..6], Ct));
        lock (activities)
        {
            // Management calls are no gen_ai operations: "endpoints {method}", the interface method as huggingface.operation.
            Assert.Contains(activities, a => a.DisplayName == "endpoints GET" && (string?)a.GetTagItem("huggingface.operation") == "ListHardware" && a.Status != ActivityStatusCode.Error && a.GetTagItem("gen_ai.operation.name") == null);
            Assert.Contains(activities, a => (string?)a.GetTagItem("huggingface.operation") == "GetEndpoint" && (string?)a.GetTagItem("error.type") == "404");
        }
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        public List<string?> Seen { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Seen)
            {
                Seen.Add(request.Headers.Authorization?.ToString());
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>The Refit interfaces from dependency injection: AddRefitGeneratedClient, the policies, a user's handler.</summary>
public class RefitDependencyInjectionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task EachInterfaceResolvesAndCallsThroughThePoliciesAndTheUsersHandler()
    {
        var ct = TestContext.Current.CancellationToken;
        var services = new ServiceCollection();
        var seen = new List<string>();
        Action<InferenceClientOptions> options = o => o.Token = ServerFixture.Token;
        services.AddInferenceEndpointsApi(options, fixture.Server.BaseUrl).AddHttpMessageHandler(() => new RecordingHandler(seen));
        services.AddHfInferenceApi(options, new Uri(fixture.Server.BaseUrl, "hf-inference"));
        services.AddHuggingFaceRefitClient<IHuggingFaceHubApi>(fixture.Server.BaseUrl, options);
        await using var provider = services.BuildServiceProvider();

        var endpoints = provider.GetRequiredService<IInferenceEndpointsApi>();
        fixture.Server.Enqueue(ScriptedResponse.TooManyRequests(retryAfterSeconds: 0));
        Assert.NotNull(await endpoints.ListHardwareAsync(InferenceTestServer.User, ct));
        Assert.Equal(["Bearer " + ServerFixture.Token, "Bearer " + ServerFixture.Token], seen); // two attempts, each with the token

        fixture.Server.Models["di-org/classifier"] = "text-classification";
        var tasks = provider.GetRequiredService<IHfInferenceApi>();
        Assert.Equal("POSITIVE", (await tasks.TextClassificationAsync("di-org/classifier", new TextClassificationInput { Inputs = "nice" }, ct))[0].Label);

        var hub = provider.GetRequiredService<IHuggingFaceHubApi>();
        Assert.Equal(InferenceTestServer.User, (await hub.WhoAmIAsync(ct)).GetProperty("name").GetString());
        fixture.Server.Enqueue(ScriptedResponse.Error(500, "broken", "req-di-1"));
        Assert.Equal("req-di-1", (await Assert.ThrowsAsync<HfHubHttpException>(() => hub.WhoAmIAsync(ct))).RequestId);
    }

    [Fact]
    public void BadOptionsFailAtRegistration()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentOutOfRangeException>(() => services.AddInferenceEndpointsApi(o => o.MaxRetries = -1));
        Assert.Equal("baseAddress", Assert.Throws<ArgumentException>(() => services.AddHuggingFaceRefitClient<IHuggingFaceHubApi>(new Uri("/relative", UriKind.Relative))).ParamName);
    }

    private sealed class RecordingHandler(List<string> seen) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (seen)
            {
                seen.Add(request.Headers.Authorization?.ToString() ?? "none");
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
