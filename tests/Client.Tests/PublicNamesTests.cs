using System.Linq;
using Xunit;

namespace HuggingFace.Inference.Tests;

/// <summary>Public names users meet: Python's where they migrate from it, none that a typical .NET app already imports.</summary>
public class PublicNamesTests
{
    private static readonly string[] Names = typeof(InferenceClient).Assembly.GetExportedTypes().Select(t => t.Name).ToArray();

    [Theory]
    [InlineData("Endpoint")] // Microsoft.AspNetCore.Http.Endpoint
    [InlineData("ValidationException")] // System.ComponentModel.DataAnnotations
    [InlineData("TimeoutException")] // System: ours is InferenceTimeoutException
    [InlineData("EndpointState")] // renamed to Python's InferenceEndpointStatus
    [InlineData("EndpointType")] // renamed to Python's InferenceEndpointType
    public void NoPublicTypeHasAName(string name) => Assert.DoesNotContain(name, Names);


    [Fact]
    public void GeneratedCodesPlumbingIsHiddenFromIntelliSense()
    {
        // Public only because generated code in other assemblies (bring-your-own schema) calls it.
        var plumbing = typeof(InferenceClient).Assembly.GetExportedTypes()
            .Where(t => t.Name.Contains("Converter", System.StringComparison.Ordinal) || t.Name.StartsWith("Wire", System.StringComparison.Ordinal) || t == typeof(Http.InferenceTask))
            .ToArray();
        Assert.True(plumbing.Length >= 8, string.Join(", ", plumbing.Select(t => t.Name)));
        Assert.All(plumbing, t => Assert.Equal(
            System.ComponentModel.EditorBrowsableState.Never,
            (t.GetCustomAttributes(typeof(System.ComponentModel.EditorBrowsableAttribute), false).SingleOrDefault() as System.ComponentModel.EditorBrowsableAttribute)?.State));
    }
}
