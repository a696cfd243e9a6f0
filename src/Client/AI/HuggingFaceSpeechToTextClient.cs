// Microsoft.Extensions.AI marks this interface experimental (MEAI001); so is the adapter, with the same id.
#pragma warning disable MEAI001
using System;
using System.Diagnostics.CodeAnalysis;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace HuggingFace.Inference.AI;

/// <summary>
/// <see cref="ISpeechToTextClient"/> (Microsoft.Extensions.AI, experimental there: MEAI001) over automatic speech
/// recognition. The audio stream is sent as it is read, with <see cref="AudioMediaType"/> when set (else the
/// type is sniffed from its first bytes). The service answers whole transcripts, so the streaming form yields
/// the one transcript as updates once it has arrived. The <see cref="InferenceClient"/> is not owned.
/// </summary>
[Experimental("MEAI001", UrlFormat = "https://aka.ms/dotnet-extensions-warnings/{0}")]
public sealed class HuggingFaceSpeechToTextClient : ISpeechToTextClient
{
    private readonly InferenceClient _client;
    private readonly string? _model;

    /// <summary>A speech-to-text client over <paramref name="client"/>, with <paramref name="model"/> unless <see cref="SpeechToTextOptions.ModelId"/> says otherwise.</summary>
    public HuggingFaceSpeechToTextClient(InferenceClient client, string? model = null, string? audioMediaType = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _model = model;
        AudioMediaType = audioMediaType;
        Metadata = new SpeechToTextClientMetadata("huggingface", client.Options.RouterUrl, model ?? client.Options.Model);
    }

    /// <summary>The media type the audio is sent with ("audio/wav", "audio/flac" …); null to detect it from the bytes.</summary>
    public string? AudioMediaType { get; }

    /// <summary>The provider ("huggingface"), its URL, and the default model.</summary>
    public SpeechToTextClientMetadata Metadata { get; }

    /// <inheritdoc/>
    public async Task<SpeechToTextResponse> GetTextAsync(Stream audioSpeechStream, SpeechToTextOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audioSpeechStream);
        var model = options?.ModelId ?? _model;
        var output = await _client.AutomaticSpeechRecognitionAsync(InferenceInput.FromStream(audioSpeechStream, AudioMediaType), model: model, cancellationToken: cancellationToken).ConfigureAwait(false);
        var response = new SpeechToTextResponse(output.Text) { ModelId = model ?? Metadata.DefaultModelId, RawRepresentation = output };
        if (output.Chunks is { Count: > 0 } chunks && chunks[0].Timestamp.Count > 0 && chunks[^1].Timestamp.Count > 1)
        {
            response.StartTime = TimeSpan.FromSeconds(chunks[0].Timestamp[0]);
            response.EndTime = TimeSpan.FromSeconds(chunks[^1].Timestamp[1]);
        }

        return response;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<SpeechToTextResponseUpdate> GetStreamingTextAsync(Stream audioSpeechStream, SpeechToTextOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetTextAsync(audioSpeechStream, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToSpeechToTextResponseUpdates())
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
