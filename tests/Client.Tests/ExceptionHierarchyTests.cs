using System;
using System.Linq;
using System.Net;
using Xunit;

namespace HuggingFace.Inference.Tests;

/// <summary>The library's errors form one hierarchy that one catch takes, with one type for status codes.</summary>
public class ExceptionHierarchyTests
{
    private static readonly Type[] PublicExceptions = typeof(InferenceClient).Assembly.GetExportedTypes()
        .Where(t => typeof(Exception).IsAssignableFrom(t))
        .ToArray();

    [Fact]
    public void EveryPublicExceptionDerivesFromHuggingFaceException()
    {
        Assert.Contains(typeof(HfHubHttpException), PublicExceptions);
        Assert.Contains(typeof(InferenceTimeoutException), PublicExceptions);
        var outside = PublicExceptions.Where(t => !typeof(HuggingFaceException).IsAssignableFrom(t)).Select(t => t.FullName).ToArray();
        Assert.Empty(outside);
    }

    [Fact]
    public void EveryStatusCodeIsAnHttpStatusCode()
    {
        var statusCodes = PublicExceptions.Select(t => t.GetProperty("StatusCode")).Where(p => p != null).ToArray();
        Assert.True(statusCodes.Length >= 2, "HfHubHttpException and TextGenerationException both carry a StatusCode");
        Assert.All(statusCodes, p => Assert.True(p!.PropertyType == typeof(HttpStatusCode) || p.PropertyType == typeof(HttpStatusCode?), $"{p.DeclaringType}.StatusCode is {p.PropertyType}"));
    }
}
