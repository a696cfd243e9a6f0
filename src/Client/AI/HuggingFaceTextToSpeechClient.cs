// Microsoft.Extensions.AI marks this interface experimental (MEAI001); so is the adapter, with the same id.
#pragma warning disable MEAI001
using System;
using System.Diagnostics.CodeAnalysis;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace HuggingFace.Inference.AI;

/// <summary>
/// <see cref="ITextToSpeechClient"/> (Microsoft.Extensions.AI, experimental there: MEAI001) over text-to-speech:
/// the answer's audio as one <see cref="DataContent"/> with the media type the server named. The service answers
/// whole files, so the streaming form yields the one file once it has arrived. The <see cref="InferenceClient"/>
/// is not owned.
/// </summary>
[Experimental("MEAI001", UrlFormat = "https://aka.ms/dotnet-extensions-warnings/{0}")]
public sealed class HuggingFaceTextToSpeechClient : ITextToSpeechClient
{
    private readonly InferenceClient _client;
    private readonly string? _model;

    /// <summary>A text-to-speech client over <paramref name="client"/>, with <paramref name="model"/> unless <see cref="TextToSpeechOptions.ModelId"/> says otherwise.</summary>
    public HuggingFaceTextToSpeechClient(InferenceClient client, string? model = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _model = model;
        Metadata = new TextToSpeechClientMetadata("huggingface", client.Options.RouterUrl, model ?? client.Options.Model);
    }

    /// <summary>The provider ("huggingface"), its URL, and the default model.</summary>
    public TextToSpeechClientMetadata Metadata { get; }

    /// <inheritdoc/>
    public async Task<TextToSpeechResponse> GetAudioAsync(string text, TextToSpeechOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var model = options?.ModelId ?? _model;
        var audio = await _client.TextToSpeechAsync(text, model: model, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new TextToSpeechResponse([new DataContent(audio.Bytes, audio.ContentType ?? "audio/wav") { RawRepresentation = audio }])
        {
            ModelId = model ?? Metadata.DefaultModelId,
            RawRepresentation = audio,
        };
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<TextToSpeechResponseUpdate> GetStreamingAudioAsync(string text, TextToSpeechOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetAudioAsync(text, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToTextToSpeechResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        AdapterServices.Get(serviceType, serviceKey, Metadata, _client, this);

    /// <summary>Nothing to release: the <see cref="InferenceClient"/> belongs to the caller.</summary>
    public void Dispose()
    {
    }
}
