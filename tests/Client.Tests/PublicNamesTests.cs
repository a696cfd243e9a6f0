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
    [InlineData("EndpointState")] // renamed to Python's InferenceEndpointStatus
    [InlineData("EndpointType")] // renamed to Python's InferenceEndpointType
    public void NoPublicTypeHasAName(string name) => Assert.DoesNotContain(name, Names);

}
