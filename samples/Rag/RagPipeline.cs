using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace HuggingFace.Inference.Samples.Rag;

/// <summary>What one question got: the answer, the passages it was given (numbered as cited), and what was embedded.</summary>
public sealed record RagAnswer(string Answer, IReadOnlyList<Passage> Sources, int Embedded, int FromCache);

/// <summary>
/// Retrieval-augmented answering over a folder of Markdown files: paragraphs are embedded in batches (through
/// Microsoft.Extensions.AI's <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>) and cached; a question is
/// embedded, the closest paragraphs by cosine similarity are numbered into the prompt, and the chat model is asked
/// to answer from them citing [n].
/// </summary>
public sealed class RagPipeline(IEmbeddingGenerator<string, Embedding<float>> embeddings, IChatClient chat, string embeddingModel, EmbeddingCache cache)
{
    /// <summary>Every paragraph of the folder's <c>*.md</c> files, headings left out, in file order.</summary>
    public static IReadOnlyList<Passage> Read(string folder) =>
        Directory.EnumerateFiles(folder, "*.md").Order(StringComparer.Ordinal)
            .SelectMany(file => File.ReadAllText(file).Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(paragraph => !paragraph.StartsWith('#'))
                .Select((paragraph, i) => new Passage($"{Path.GetFileName(file)}#{i + 1}", paragraph.Replace('\n', ' '))))
            .ToList();

    public async Task<RagAnswer> AskAsync(IReadOnlyList<Passage> corpus, string question, int top = 3, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        var vectors = new float[corpus.Count][];
        var missing = new List<int>();
        for (var i = 0; i < corpus.Count; i++)
        {
            if (cache.TryGet(embeddingModel, corpus[i].Text, out var cached))
            {
                vectors[i] = cached;
            }
            else
            {
                missing.Add(i);
            }
        }

        // The passages not in the cache and the question, in one call: the generator sends them in batches.
        var texts = missing.Select(i => corpus[i].Text).Append(question).ToList();
        var generated = await embeddings.GenerateAsync(texts, new EmbeddingGenerationOptions { ModelId = embeddingModel }, cancellationToken);
        for (var j = 0; j < missing.Count; j++)
        {
            vectors[missing[j]] = generated[j].Vector.ToArray();
            cache.Add(embeddingModel, corpus[missing[j]].Text, vectors[missing[j]]);
        }

        cache.Save();
        var query = generated[^1].Vector.ToArray();
        var sources = Enumerable.Range(0, corpus.Count)
            .OrderByDescending(i => Cosine(query, vectors[i]))
            .Take(top)
            .Select(i => corpus[i])
            .ToList();

        var prompt = new StringBuilder("Answer the question from the sources below only, citing each fact with its number, as [1].\n\nSources:\n");
        for (var i = 0; i < sources.Count; i++)
        {
            prompt.Append('[').Append(i + 1).Append("] ").Append(sources[i].Text).Append('\n');
        }

        prompt.Append("\nQuestion: ").Append(question);
        var answer = await chat.GetResponseAsync(prompt.ToString(), cancellationToken: cancellationToken);
        return new RagAnswer(answer.Text, sources, missing.Count, corpus.Count - missing.Count);
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, left = 0, right = 0;
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            dot += a[i] * b[i];
            left += a[i] * a[i];
            right += b[i] * b[i];
        }

        return left == 0 || right == 0 ? 0 : dot / Math.Sqrt(left * right);
    }
}
