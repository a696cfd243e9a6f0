using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using HuggingFace.Inference.Endpoints;
using HuggingFace.Inference.Serialization;
using HuggingFace.Inference.Testing.Shared;

namespace HuggingFace.Inference.Tests;

/// <summary>The Inference Endpoints types generated from specs/endpoints-openapi.json.</summary>
public class EndpointTypesTests(ITestOutputHelper output)
{
    [Fact]
    public void EverySchemaOfTheOpenApiDocumentHasAType()
    {
        var schemas = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Specs, "endpoints-openapi.json"))).RootElement
            .GetProperty("components").GetProperty("schemas").EnumerateObject().Select(p => p.Name).ToList();
        var missing = schemas.Where(name => typeof(InferenceJson).Assembly.GetType("HuggingFace.Inference.Endpoints." + name) == null).ToList();
        output.WriteLine($"endpoint types: {schemas.Count - missing.Count}/{schemas.Count}");
        Assert.True(missing.Count == 0, "no type for " + string.Join(", ", missing));
    }

    [Fact]
    public void ThePythonClientsEndpointFixturesRoundTripLosslessly()
    {
        var path = Path.Combine(RepoPaths.Reference, "endpoints-fixtures.json");
        if (!File.Exists(path))
        {
            Assert.Skip($"needs ../shared/reference/endpoints-fixtures.json beside the repository ({path} is absent)");
        }

        var fixtures = JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateObject().Where(p => !p.Name.StartsWith('_')).ToList();
        var failures = fixtures
            .Select(f => (f.Name, Difference: LosslessTests.RoundTrip(f.Name == "MOCK_PROVIDERS" ? typeof(HardwareCatalog) : typeof(EndpointWithStatus), f.Value)))
            .Where(r => r.Difference != null)
            .ToList();
        output.WriteLine($"endpoint fixtures lossless: {fixtures.Count - failures.Count}/{fixtures.Count}");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Select(f => $"{f.Name}: {f.Difference}")));
    }

    [Fact]
    public void EndpointsReadAsUsersExpect()
    {
        var endpoint = JsonSerializer.Deserialize<EndpointWithStatus>("""
            {"name":"my-endpoint","type":"authenticated","provider":{"vendor":"aws","region":"us-east-1"},
             "compute":{"accelerator":"gpu","instanceType":"nvidia-a10g","instanceSize":"x1","scaling":{"minReplica":0,"maxReplica":1,"scaleToZeroTimeout":15}},
             "model":{"repository":"gpt2","framework":"pytorch","task":"text-generation","image":{"tgi":{"maxInputLength":1024}}},
             "status":{"createdAt":"2024-01-01T00:00:00Z","createdBy":{"id":"1","name":"me"},"updatedAt":"2024-01-01T00:00:00Z","updatedBy":{"id":"1","name":"me"},
                       "state":"scaledToZero","message":"Scaled to zero","readyReplica":0,"targetReplica":0,"url":"https://x.endpoints.huggingface.cloud"}}
            """, InferenceJson.Options)!;

        Assert.Equal(InferenceEndpointStatus.ScaledToZero, endpoint.Status.State);
        Assert.Equal(InferenceEndpointType.Authenticated, endpoint.Type);
        Assert.Equal(15, endpoint.Compute.Scaling.ScaleToZeroTimeout);
        Assert.Equal(1024, endpoint.Model.Image.Tgi!.MaxInputLength);
        Assert.Null(endpoint.Model.Image.Huggingface);
        Assert.Equal("https://x.endpoints.huggingface.cloud", endpoint.Status.Url);
    }
}
