// The image, speech-to-text and text-to-speech registrations use Microsoft.Extensions.AI's experimental interfaces (MEAI001).
#pragma warning disable MEAI001
using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using HuggingFace.Inference.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace HuggingFace.Inference.DependencyInjection;

/// <summary>
/// Microsoft.Extensions.AI registrations over a registration of <see cref="HuggingFaceServiceCollectionExtensions.AddHuggingFaceInference(IServiceCollection, Action{HuggingFaceInferenceOptions}?)"/>
/// (or its keyed form): each returns Microsoft.Extensions.AI's builder, so that a pipeline is composed the usual way
/// (<c>.UseFunctionInvocation().UseOpenTelemetry()</c>). The chat and embedding registrations replace the plain ones
/// that <c>AddHuggingFaceInference</c> made for the same key.
/// </summary>
public static class HuggingFaceAIServiceCollectionExtensions
{
    private const string Experimental = "MEAI001";
    private const string ExperimentalUrl = "https://aka.ms/dotnet-extensions-warnings/{0}";

    /// <summary>Registers <see cref="IChatClient"/> over the registration's client (keyed by <paramref name="key"/> when given) through <c>AddChatClient</c>.</summary>
    /// <exception cref="InvalidOperationException">No <c>AddHuggingFaceInference</c> registration for <paramref name="key"/>.</exception>
    public static ChatClientBuilder AddHuggingFaceChatClient(this IServiceCollection services, string? key = null, string? model = null, ServiceLifetime lifetime = ServiceLifetime.Transient)
    {
        var factories = Registration(services, key);
        RemovePlain(services, typeof(IChatClient), key);
        IChatClient Create(IServiceProvider sp) => new HuggingFaceChatClient(factories.Inference(sp), model ?? HuggingFaceServiceCollectionExtensions.OptionsOf(sp, factories.Name).ChatModel);
        return key == null ? services.AddChatClient(Create, lifetime) : services.AddKeyedChatClient(key, Create, lifetime);
    }

    /// <summary>Registers <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over feature extraction through <c>AddEmbeddingGenerator</c>.</summary>
    /// <exception cref="InvalidOperationException">No <c>AddHuggingFaceInference</c> registration for <paramref name="key"/>.</exception>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddHuggingFaceEmbeddingGenerator(this IServiceCollection services, string? key = null, string? model = null, ServiceLifetime lifetime = ServiceLifetime.Transient)
    {
        var factories = Registration(services, key);
        RemovePlain(services, typeof(IEmbeddingGenerator<string, Embedding<float>>), key);
        IEmbeddingGenerator<string, Embedding<float>> Create(IServiceProvider sp)
        {
            var options = HuggingFaceServiceCollectionExtensions.OptionsOf(sp, factories.Name);
            return new HuggingFaceEmbeddingGenerator(factories.Inference(sp), model ?? options.EmbeddingModel, options.EmbeddingBatchSize);
        }

        return key == null ? services.AddEmbeddingGenerator(Create, lifetime) : services.AddKeyedEmbeddingGenerator(key, Create, lifetime);
    }

    /// <summary>Registers <see cref="IImageGenerator"/> over text-to-image (image-to-image with an original image). Experimental in Microsoft.Extensions.AI.</summary>
    [Experimental(Experimental, UrlFormat = ExperimentalUrl)]
    public static ImageGeneratorBuilder AddHuggingFaceImageGenerator(this IServiceCollection services, string? key = null, string? model = null, ServiceLifetime lifetime = ServiceLifetime.Transient)
    {
        var factories = Registration(services, key);
        IImageGenerator Create(IServiceProvider sp) => new HuggingFaceImageGenerator(factories.Inference(sp), model);
        return key == null ? services.AddImageGenerator(Create, lifetime) : services.AddKeyedImageGenerator(key, Create, lifetime);
    }

    /// <summary>Registers <see cref="ISpeechToTextClient"/> over automatic speech recognition. Experimental in Microsoft.Extensions.AI.</summary>
    [Experimental(Experimental, UrlFormat = ExperimentalUrl)]
    public static SpeechToTextClientBuilder AddHuggingFaceSpeechToTextClient(this IServiceCollection services, string? key = null, string? model = null, ServiceLifetime lifetime = ServiceLifetime.Transient)
    {
        var factories = Registration(services, key);
        ISpeechToTextClient Create(IServiceProvider sp) => new HuggingFaceSpeechToTextClient(factories.Inference(sp), model);
        return key == null ? services.AddSpeechToTextClient(Create, lifetime) : services.AddKeyedSpeechToTextClient(key, Create, lifetime);
    }

    /// <summary>Registers <see cref="ITextToSpeechClient"/> over text-to-speech. Experimental in Microsoft.Extensions.AI.</summary>
    [Experimental(Experimental, UrlFormat = ExperimentalUrl)]
    public static TextToSpeechClientBuilder AddHuggingFaceTextToSpeechClient(this IServiceCollection services, string? key = null, string? model = null, ServiceLifetime lifetime = ServiceLifetime.Transient)
    {
        var factories = Registration(services, key);
        ITextToSpeechClient Create(IServiceProvider sp) => new HuggingFaceTextToSpeechClient(factories.Inference(sp), model);
        return key == null ? services.AddTextToSpeechClient(Create, lifetime) : services.AddKeyedTextToSpeechClient(key, Create, lifetime);
    }

    private static HuggingFaceServiceCollectionExtensions.ClientFactories Registration(IServiceCollection services, string? key)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.Where(d => d.ServiceType == typeof(InferenceClient) && Equals(d.ServiceKey, key))
                .Select(d => (d.IsKeyedService ? d.KeyedImplementationFactory?.Target : d.ImplementationFactory?.Target) as HuggingFaceServiceCollectionExtensions.ClientFactories)
                .LastOrDefault(f => f != null)
            ?? throw new InvalidOperationException(key == null
                ? "Call services.AddHuggingFaceInference(...) before registering a Microsoft.Extensions.AI client over it."
                : $"Call services.AddKeyedHuggingFaceInference(\"{key}\", ...) before registering a Microsoft.Extensions.AI client over it.");
    }

    /// <summary>Removes the plain registration AddHuggingFaceInference made for the key, so that one IChatClient (or generator) resolves.</summary>
    private static void RemovePlain(IServiceCollection services, Type serviceType, string? key)
    {
        for (var i = services.Count - 1; i >= 0; i--)
        {
            var descriptor = services[i];
            var target = descriptor.IsKeyedService ? descriptor.KeyedImplementationFactory?.Target : descriptor.ImplementationFactory?.Target;
            if (descriptor.ServiceType == serviceType && Equals(descriptor.ServiceKey, key) && target is HuggingFaceServiceCollectionExtensions.ClientFactories)
            {
                services.RemoveAt(i);
            }
        }
    }
}
