using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace HuggingFace.Inference.AI;

/// <summary>
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> (Microsoft.Extensions.AI) over feature extraction:
/// inputs are sent <see cref="BatchSize"/> at a time, and each answer row becomes one float32 embedding.
/// The <see cref="InferenceClient"/> is not owned.
/// </summary>
public sealed class HuggingFaceEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly InferenceClient _client;
    private readonly string? _model;

    /// <summary>An embedding generator over <paramref name="client"/>, sending <paramref name="batchSize"/> texts per request.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    public HuggingFaceEmbeddingGenerator(InferenceClient client, string? model = null, int batchSize = 32)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _model = model;
        BatchSize = batchSize;
        var defaultModel = model ?? client.Options.Model;
        Metadata = new EmbeddingGeneratorMetadata("huggingface", defaultModel != null && Uri.TryCreate(defaultModel, UriKind.Absolute, out var url) ? url : client.Options.RouterUrl, defaultModel);
    }

    /// <summary>How many texts one request carries (the advice for the serverless API is to batch).</summary>
    public int BatchSize { get; }

    /// <summary>The provider ("huggingface"), its URL, and the default model.</summary>
    public EmbeddingGeneratorMetadata Metadata { get; }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The model answers token embeddings (3D), not one vector per text.</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var model = options?.ModelId ?? _model;
        var texts = values.ToArray();
        var result = new GeneratedEmbeddings<Embedding<float>>();
        if (texts.Length == 0)
        {
            return result;
        }

        // The client's own batching: requests of BatchSize, rows joined in order.
        var answer = await _client.FeatureExtractionAsync(texts, BatchSize, model: model, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (answer.Rank > 2 || (answer.Rank == 1 && texts.Length > 1))
        {
            throw new InvalidOperationException($"The model answered embeddings of shape [{string.Join(", ", answer.Shape)}] for {texts.Length} texts; an embedding generator needs one vector per text (a sentence-embedding model).");
        }

        for (var i = 0; i < answer.Count; i++)
        {
            result.Add(new Embedding<float>(answer.Row(i).ToArray()) { ModelId = model ?? Metadata.DefaultModelId, CreatedAt = DateTimeOffset.UtcNow });
        }

        return result;
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        AdapterServices.Get(serviceType, serviceKey, Metadata, _client, this);

    /// <summary>Nothing to release: the <see cref="InferenceClient"/> belongs to the caller.</summary>
    public void Dispose()
    {
    }
}
