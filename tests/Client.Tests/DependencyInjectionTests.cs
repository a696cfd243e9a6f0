using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HuggingFace.Inference.DependencyInjection;
using HuggingFace.Inference.Endpoints;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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
    public void OptionsFromCodeAndBadConfigurationValues()
    {
        var services = new ServiceCollection();
        services.AddHuggingFaceInference(o =>
        {
            o.Client.Model = "my/model";
            o.Client.SendToken = false;
        });
        using var provider = services.BuildServiceProvider();
        Assert.Equal("my/model", provider.GetRequiredService<InferenceClient>().Options.Model);

        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Timeout"] = "soon" }).Build();
        var error = Assert.Throws<FormatException>(() => new ServiceCollection().AddHuggingFaceInference(bad));
        Assert.Contains("Timeout", error.Message);
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddHuggingFaceInference(o => { o.Client.Model = "a/b"; o.Client.BaseUrl = new Uri("http://localhost/v1"); }));
    }
}
