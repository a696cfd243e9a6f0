using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Http;

namespace HuggingFace.Inference;

public sealed partial class InferenceClient
{
    /// <summary>
    /// Embeds many texts, <paramref name="batchSize"/> per request (the advice for the serverless API:
    /// fewer, larger requests, each small enough to be accepted), one request after another, and
    /// joins the answers in order: row <c>i</c> is text <c>i</c>, whatever the batches.
    /// </summary>
    /// <param name="texts">The texts, in the order their vectors should come back.</param>
    /// <param name="batchSize">How many texts one request carries.</param>
    /// <param name="normalize">Whether to normalize the vectors.</param>
    /// <param name="promptName">The model's prompt to prepend (sentence-transformers prompt names).</param>
    /// <param name="truncate">Whether to truncate inputs longer than the model accepts.</param>
    /// <param name="truncationDirection">Which side to truncate.</param>
    /// <param name="model">A model id or endpoint URL; <see cref="InferenceClientOptions.Model"/> when null.</param>
    /// <param name="cancellationToken">Cancels the remaining requests.</param>
    /// <returns>One block: 2D for one vector per text, 3D for token embeddings (ragged when lengths differ).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of them is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="texts"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">Batches answered in shapes that cannot be joined (different ranks).</exception>
    public Task<Embeddings> FeatureExtractionAsync(IEnumerable<string> texts, int batchSize, bool? normalize = null, string? promptName = null, bool? truncate = null, FeatureExtractionInputTruncationDirection? truncationDirection = null, string? model = null, CancellationToken cancellationToken = default) =>
        FeatureExtractionBatchedAsync(texts, batchSize, normalize, promptName, truncate, truncationDirection, model, async: true, cancellationToken).AsTask();

    /// <inheritdoc cref="FeatureExtractionAsync(IEnumerable{string}, int, bool?, string?, bool?, FeatureExtractionInputTruncationDirection?, string?, CancellationToken)"/>
    public Embeddings FeatureExtraction(IEnumerable<string> texts, int batchSize, bool? normalize = null, string? promptName = null, bool? truncate = null, FeatureExtractionInputTruncationDirection? truncationDirection = null, string? model = null, CancellationToken cancellationToken = default) =>
        SyncOverAsync.EnsureCompleted(FeatureExtractionBatchedAsync(texts, batchSize, normalize, promptName, truncate, truncationDirection, model, async: false, cancellationToken));

    private async ValueTask<Embeddings> FeatureExtractionBatchedAsync(IEnumerable<string> texts, int batchSize, bool? normalize, string? promptName, bool? truncate, FeatureExtractionInputTruncationDirection? truncationDirection, string? model, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var all = texts.ToArray();
        if (all.Length == 0)
        {
            throw new ArgumentException("There are no texts to embed.", nameof(texts));
        }

        if (Array.IndexOf(all, null) is var missing and >= 0)
        {
            throw new ArgumentNullException(nameof(texts), $"Text {missing} is null.");
        }

        var parts = new List<Embeddings>((all.Length + batchSize - 1) / batchSize);
        foreach (var batch in all.Chunk(batchSize))
        {
            // Always an array, even for a batch of one, so every answer has a row per text.
            parts.Add(await FeatureExtractionCoreAsync(batch, normalize, promptName, truncate, truncationDirection, model, async, cancellationToken).ConfigureAwait(false));
        }

        return Embeddings.Concat(parts);
    }
}
