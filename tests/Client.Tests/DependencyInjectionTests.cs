using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HuggingFace.Inference.DependencyInjection;
using HuggingFace.Inference.Endpoints;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using System.Text.Json;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>Every registered service resolves from a built ServiceProvider and makes a call.</summary>
public class DependencyInjectionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task EveryServiceResolvesFromConfigurationAndWorks()
    {
        var ct = TestContext.Current.CancellationToken;
        fixture.Server.Models["sentence-transformers/all-MiniLM-L6-v2"] = "feature-extraction"; // the Hub maps it to hf-inference
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HuggingFace:Token"] = ServerFixture.Token,
            ["HuggingFace:RouterUrl"] = fixture.Server.BaseUrl.ToString(),
            ["HuggingFace:HubUrl"] = fixture.Server.BaseUrl.ToString(),
            ["HuggingFace:Timeout"] = "00:00:30",
            ["HuggingFace:MaxRetries"] = "1",
            ["HuggingFace:ChatModel"] = "meta-llama/Llama-3.1-8B-Instruct",
            ["HuggingFace:EmbeddingModel"] = "sentence-transformers/all-MiniLM-L6-v2",
            ["HuggingFace:EmbeddingBatchSize"] = "2",
            ["HuggingFace:Endpoints:ApiUrl"] = fixture.Server.BaseUrl.ToString(),
            ["HuggingFace:Endpoints:HubUrl"] = fixture.Server.BaseUrl.ToString(),
        }).Build();

        var services = new ServiceCollection();
        services.AddHuggingFaceInference(configuration.GetSection("HuggingFace"));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var client = provider.GetRequiredService<InferenceClient>();
        Assert.Equal("POSITIVE", (await client.TextClassificationAsync("I like it", cancellationToken: ct))[0].Label);
        Assert.Equal("Bearer " + ServerFixture.Token, fixture.LastInference().Header("authorization"));
        Assert.Equal(TimeSpan.FromSeconds(30), client.Options.Timeout);
        Assert.Equal(1, client.Options.MaxRetries);

        var chat = provider.GetRequiredService<IChatClient>();
        Assert.Equal("The capital of France is Paris.", (await chat.GetResponseAsync("What is the capital of France?", cancellationToken: ct)).Text);
        Assert.Equal("/v1/chat/completions", fixture.LastInference().RawPath);

        var embeddings = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        Assert.Equal(3, (await embeddings.GenerateAsync(["a", "b", "c"], cancellationToken: ct)).Count);

        var endpoints = provider.GetRequiredService<InferenceEndpointsClient>();
        var hardware = await endpoints.ListHardwareAsync(cancellationToken: ct);
        Assert.NotEmpty(hardware.Vendors);
    }

    [Fact]
    public async Task OptionsFromCodeAndBadValuesFailTheHostsStart()
    {
        var services = new ServiceCollection();
        services.AddHuggingFaceInference(o =>
        {
            o.Client.Model = "my/model";
            o.Client.SendToken = false;
        });
        services.Configure<HuggingFaceInferenceOptions>(o => o.ChatModel = "from/configure");
        using (var provider = services.BuildServiceProvider())
        {
            Assert.Equal("my/model", provider.GetRequiredService<InferenceClient>().Options.Model);
            Assert.Equal("from/configure", provider.GetRequiredService<IOptions<HuggingFaceInferenceOptions>>().Value.ChatModel);
        }

        // A value that does not parse, and options the client refuses, stop the host at start, naming the key.
        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["HuggingFace:Timeout"] = "soon" }).Build();
        var parse = await Assert.ThrowsAsync<FormatException>(() => StartAsync(s => s.AddHuggingFaceInference(bad.GetSection("HuggingFace"))));
        Assert.Contains("Timeout", parse.Message);

        var invalid = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(s => s.AddHuggingFaceInference(o => { o.Client.Model = "a/b"; o.Client.BaseUrl = new Uri("http://localhost/v1"); })));
        Assert.Contains("BaseUrl", invalid.Message);
        var keyed = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(s => s.AddKeyedHuggingFaceInference("fal", o => o.EmbeddingBatchSize = 0)));
        Assert.Contains("'fal'", keyed.Message);
        Assert.Contains("EmbeddingBatchSize", keyed.Message);

        // Nothing wrong: the host starts.
        await StartAsync(s => s.AddHuggingFaceInference(o => o.Client.SendToken = false));
    }

    [Fact]
    public void ReloadedConfigurationReachesClientsResolvedAfterwards()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["HuggingFace:Model"] = "first/model", ["HuggingFace:Token"] = "hf_x" }).Build();
        var services = new ServiceCollection();
        services.AddHuggingFaceInference(configuration.GetSection("HuggingFace"));
        using var provider = services.BuildServiceProvider();
        var before = provider.GetRequiredService<InferenceClient>();

        configuration["HuggingFace:Model"] = "second/model";
        configuration.Reload();

        Assert.Equal("second/model", provider.GetRequiredService<InferenceClient>().Options.Model);
        Assert.Equal("first/model", before.Options.Model); // a client keeps the options it was made with
    }

    [Fact]
    public async Task KeyedRegistrationsResolveWithFromKeyedServicesAndUseTheirOwnHttpClient()
    {
        var ct = TestContext.Current.CancellationToken;
        var sent = new Dictionary<string, int>();
        var services = new ServiceCollection();
        services.AddHuggingFaceInference(o => Local(o, "default/chat"));
        services.AddKeyedHuggingFaceInference("fal", o => { Local(o, "fal/chat"); o.Client.Provider = "fal-ai"; });
        services.AddHttpClient(HuggingFaceServiceCollectionExtensions.HttpClientNameFor("fal")).AddHttpMessageHandler(() => new CountingHandler(sent, "fal"));
        services.AddHttpClient(HuggingFaceServiceCollectionExtensions.HttpClientName).AddHttpMessageHandler(() => new CountingHandler(sent, "default"));
        services.AddTransient<KeyedConsumer>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var consumer = provider.GetRequiredService<KeyedConsumer>();
        Assert.Equal("fal-ai", consumer.Fal.Options.Provider);
        Assert.Equal("auto", consumer.Default.Options.Provider);

        var model = "keyed/flux-" + Guid.NewGuid().ToString("N")[..8];
        fixture.Server.ProviderMappings[model] = [new ProviderMappingEntry("fal-ai", "fal-ai/flux/dev", "text-to-image")];
        var image = await consumer.Fal.TextToImageAsync("a cat", model: model, cancellationToken: ct);
        Assert.True(image.Bytes.Length > 0);
        Assert.Equal("/fal-ai/fal-ai/flux/dev", fixture.LastInference().Path);
        Assert.True(sent.GetValueOrDefault("fal") >= 2, "the Hub mapping and the call go through the keyed HttpClient");
        Assert.Equal(0, sent.GetValueOrDefault("default"));
        Assert.NotNull(consumer.FalChat.GetService<HuggingFace.Inference.AI.HuggingFaceChatClient>());
        Assert.Equal("fal/chat", consumer.FalChat.GetService<ChatClientMetadata>()!.DefaultModelId);

        await provider.GetRequiredService<IChatClient>().GetResponseAsync("Hello", cancellationToken: ct);
        Assert.Equal("default/chat", JsonDocument.Parse(fixture.LastInference().Body).RootElement.GetProperty("model").GetString());
        Assert.Equal(1, sent.GetValueOrDefault("default"));
        Assert.Same(provider.GetRequiredKeyedService<InferenceEndpointsClient>("fal").GetType(), typeof(InferenceEndpointsClient));
    }

    [Fact]
    public async Task AddHuggingFaceChatClientComposesAPipelineThatReplacesThePlainOne()
    {
        var ct = TestContext.Current.CancellationToken;
        var services = new ServiceCollection();
        fixture.Server.Models["sentence-transformers/all-MiniLM-L6-v2"] = "feature-extraction"; // the Hub maps it to hf-inference
        services.AddHuggingFaceInference(o => Local(o, "pipeline/di"));
        services.AddHuggingFaceChatClient().UseFunctionInvocation().UseOpenTelemetry();
        services.AddHuggingFaceEmbeddingGenerator(model: "sentence-transformers/all-MiniLM-L6-v2").UseOpenTelemetry();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var chat = Assert.Single(provider.GetServices<IChatClient>());
        Assert.NotNull(chat.GetService<FunctionInvokingChatClient>());
        Assert.NotNull(chat.GetService<HuggingFace.Inference.AI.HuggingFaceChatClient>());
        var invoked = 0;
        var tool = AIFunctionFactory.Create((string location) => { invoked++; return "sunny"; }, "get_current_weather");
        var answer = await chat.GetResponseAsync("Weather in Paris?", new ChatOptions { Tools = [tool] }, ct);
        Assert.Equal(1, invoked);
        Assert.Equal("According to the tool: sunny", answer.Text);

        var embeddings = Assert.Single(provider.GetServices<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Equal(2, (await embeddings.GenerateAsync(["a", "b"], cancellationToken: ct)).Count);
        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddHuggingFaceChatClient(key: "nobody"));
    }

    [Fact]
    public async Task TheHostsResilienceHandlerRetriesAndOursStepsAside()
    {
        var ct = TestContext.Current.CancellationToken;
        const string model = "distilbert/distilbert-base-uncased-finetuned-sst-2-english";

        async Task<int> RequestsFor429s(bool? hostRetries, int maxRetries, bool viaDefaults)
        {
            var services = new ServiceCollection();
            services.AddHuggingFaceInference(o => { Local(o, null); o.Client.Provider = "hf-inference"; o.Client.MaxRetries = maxRetries; o.HostRetries = hostRetries; });
            void Resilience(IHttpClientBuilder http) => http.AddStandardResilienceHandler(r =>
            {
                r.Retry.MaxRetryAttempts = 2;
                r.Retry.Delay = TimeSpan.FromMilliseconds(1);
                r.Retry.UseJitter = false;
                r.Retry.BackoffType = Polly.DelayBackoffType.Constant;
            });
            if (viaDefaults)
            {
                services.ConfigureHttpClientDefaults(Resilience);
            }
            else
            {
                Resilience(services.AddHttpClient(HuggingFaceServiceCollectionExtensions.HttpClientName));
            }

            await using var provider = services.BuildServiceProvider();
            var client = provider.GetRequiredService<InferenceClient>();
            client.Transport.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            fixture.Server.ClearScript();
            fixture.Server.Enqueue(Enumerable.Range(0, 12).Select(_ => ScriptedResponse.TooManyRequests(0)).ToArray());
            fixture.Server.ClearRequests();
            var error = await Assert.ThrowsAnyAsync<HfHubHttpException>(() => client.TextClassificationAsync("I like it", model: model, cancellationToken: ct));
            Assert.Equal(429, (int)error.StatusCode);
            fixture.Server.ClearScript();
            return fixture.Server.Requests.Count;
        }

        // The resilience handler's 1 + 2 attempts, once: our retries are off because the handler is there.
        Assert.Equal(3, await RequestsFor429s(hostRetries: null, maxRetries: 2, viaDefaults: false));
        Assert.Equal(3, await RequestsFor429s(hostRetries: null, maxRetries: 2, viaDefaults: true));

        // Told that the host does not retry, ours run around the handler's: (1 + 1) × 3, the multiplication avoided above.
        Assert.Equal(6, await RequestsFor429s(hostRetries: false, maxRetries: 1, viaDefaults: false));
    }

    private void Local(HuggingFaceInferenceOptions options, string? chatModel)
    {
        options.Client.RouterUrl = fixture.Server.BaseUrl;
        options.Client.HubUrl = fixture.Server.BaseUrl;
        options.Client.Token = ServerFixture.Token;
        options.ChatModel = chatModel;
    }

    private static async Task StartAsync(Action<IServiceCollection> register)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        register(builder.Services);
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    private sealed class KeyedConsumer(
        InferenceClient @default,
        [FromKeyedServices("fal")] InferenceClient fal,
        [FromKeyedServices("fal")] IChatClient falChat)
    {
        public InferenceClient Default { get; } = @default;

        public InferenceClient Fal { get; } = fal;

        public IChatClient FalChat { get; } = falChat;
    }

    private sealed class CountingHandler(Dictionary<string, int> counts, string name) : System.Net.Http.DelegatingHandler
    {
        protected override Task<System.Net.Http.HttpResponseMessage> SendAsync(System.Net.Http.HttpRequestMessage request, System.Threading.CancellationToken cancellationToken)
        {
            lock (counts)
            {
                counts[name] = counts.GetValueOrDefault(name) + 1;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
