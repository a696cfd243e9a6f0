// The image, speech-to-text and text-to-speech views use Microsoft.Extensions.AI's experimental interfaces (MEAI001).
#pragma warning disable MEAI001
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;

namespace HuggingFace.Inference.AI;

/// <summary>Microsoft.Extensions.AI views of an <see cref="InferenceClient"/>.</summary>
public static class InferenceClientAIExtensions
{
    /// <summary>An <see cref="IChatClient"/> over the client's chat completion.</summary>
    public static IChatClient AsChatClient(this InferenceClient client, string? model = null) => new HuggingFaceChatClient(client, model);

    /// <summary>An <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over the client's feature extraction, batching <paramref name="batchSize"/> texts per request.</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> AsEmbeddingGenerator(this InferenceClient client, string? model = null, int batchSize = 32) =>
        new HuggingFaceEmbeddingGenerator(client, model, batchSize);

    /// <summary>An <see cref="IImageGenerator"/> over text-to-image (image-to-image with an original image). Experimental in Microsoft.Extensions.AI.</summary>
    [Experimental("MEAI001", UrlFormat = "https://aka.ms/dotnet-extensions-warnings/{0}")]
    public static IImageGenerator AsImageGenerator(this InferenceClient client, string? model = null) => new HuggingFaceImageGenerator(client, model);

    /// <summary>An <see cref="ISpeechToTextClient"/> over automatic speech recognition. Experimental in Microsoft.Extensions.AI.</summary>
    [Experimental("MEAI001", UrlFormat = "https://aka.ms/dotnet-extensions-warnings/{0}")]
    public static ISpeechToTextClient AsSpeechToTextClient(this InferenceClient client, string? model = null, string? audioMediaType = null) => new HuggingFaceSpeechToTextClient(client, model, audioMediaType);

    /// <summary>An <see cref="ITextToSpeechClient"/> over text-to-speech. Experimental in Microsoft.Extensions.AI.</summary>
    [Experimental("MEAI001", UrlFormat = "https://aka.ms/dotnet-extensions-warnings/{0}")]
    public static ITextToSpeechClient AsTextToSpeechClient(this InferenceClient client, string? model = null) => new HuggingFaceTextToSpeechClient(client, model);
}
