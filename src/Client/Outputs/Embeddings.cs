using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference;

/// <summary>
/// The result of feature extraction as .NET code wants it: float32 values in one block, row-major,
/// with the shape the server answered (1D for one pooled text, 2D for several, 3D for token
/// embeddings…). <see cref="Vector"/> and <see cref="Row"/> are slices, not copies.
/// </summary>
public sealed class Embeddings
{
    private readonly TensorLayout _layout;

    private Embeddings(float[] values, TensorLayout layout)
    {
        Values = values;
        _layout = layout;
    }

    /// <summary>The length of each dimension, outermost first; -1 where it varies (ragged token embeddings).</summary>
    public IReadOnlyList<int> Shape => _layout.Shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _layout.Shape.Length;

    /// <summary>Whether inner arrays differ in length.</summary>
    public bool IsRagged => _layout.Lengths != null;

    /// <summary>All values, row-major.</summary>
    public ReadOnlyMemory<float> Values { get; }

    /// <summary>The number of vectors (1 for a 1D answer).</summary>
    public int Count => Rank == 1 ? 1 : _layout.Shape[0];

    /// <summary>The innermost vector at <paramref name="indices"/> (one index per dimension but the last).</summary>
    public ReadOnlySpan<float> Vector(params int[] indices)
    {
        var (offset, length) = _layout.Locate(indices);
        return Values.Span.Slice(offset, length);
    }

    /// <summary>The <paramref name="index"/>-th vector of a 2D answer, or the only vector of a 1D one (index 0).</summary>
    /// <exception cref="InvalidOperationException">The answer is not 1D or 2D.</exception>
    public ReadOnlySpan<float> Row(int index)
    {
        if (Rank == 1)
        {
            ArgumentOutOfRangeException.ThrowIfNotEqual(index, 0);
            return Values.Span;
        }

        return Rank == 2 ? Vector(index) : throw new InvalidOperationException($"Row needs a 1D or 2D answer; this one has rank {Rank}: use Vector(...).");
    }

    /// <summary>Reads a feature-extraction answer (nested JSON arrays of numbers).</summary>
    /// <exception cref="JsonException">The JSON is not nested arrays of numbers.</exception>
    public static Embeddings Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read())
        {
            throw new JsonException("The feature-extraction answer is empty.");
        }

        // Every two values have a comma between them, so commas + 1 bounds the count: one pooled
        // buffer of that size instead of a list doubling its way up (2 MB less for 256 x 1024).
        var values = new PooledFloats(json.Count((byte)',') + 1);
        try
        {
            var layout = TensorLayout.Read(ref reader, nameof(Embeddings), values, static (buffer, value) => buffer.Add((float)value));
            return new Embeddings(values.ToArray(), layout);
        }
        finally
        {
            values.Return();
        }
    }

    /// <summary>
    /// The answers of consecutive batches as one: rows (the outermost dimension) follow each other;
    /// inner dimensions that differ between batches become ragged. A 1D part (one pooled vector)
    /// counts as one row.
    /// </summary>
    /// <exception cref="InvalidOperationException">The parts differ in rank.</exception>
    internal static Embeddings Concat(IReadOnlyList<Embeddings> parts)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        var rank = Math.Max(parts[0].Rank, 2);
        if (parts.Any(p => Math.Max(p.Rank, 2) != rank))
        {
            throw new InvalidOperationException($"The batches answered embeddings of different ranks ({string.Join(", ", parts.Select(p => p.Rank))}); they cannot be joined.");
        }

        var values = new float[parts.Sum(p => p.Values.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.Values.Span.CopyTo(values.AsSpan(offset));
            offset += part.Values.Length;
        }

        var shape = new int[rank];
        shape[0] = parts.Sum(p => p.Count);
        var dense = true;
        for (var d = 1; d < rank; d++)
        {
            var first = Dimension(parts[0], d);
            shape[d] = parts.All(p => Dimension(p, d) == first) ? first : -1;
            dense &= shape[d] >= 0;
        }

        if (dense && parts.All(p => !p.IsRagged))
        {
            return new Embeddings(values, TensorLayout.Dense(shape, values.Length));
        }

        // Ragged: the nested lengths in pre-order, the new root first, then each part's without its root.
        var lengths = new List<int> { shape[0] };
        foreach (var part in parts)
        {
            lengths.AddRange(part.PreOrderLengths(rank).Skip(1));
        }

        return new Embeddings(values, TensorLayout.Ragged(shape, lengths, values.Length));
    }

    private static int Dimension(Embeddings part, int dimension) => part.Rank == 1 ? part.Shape[0] : part.Shape[dimension];

    /// <summary>The length of every nested array in pre-order, as if the part had <paramref name="rank"/> dimensions.</summary>
    private IEnumerable<int> PreOrderLengths(int rank)
    {
        if (_layout.Lengths != null)
        {
            return _layout.Lengths;
        }

        var shape = Rank == 1 ? [1, Shape[0]] : _layout.Shape;
        var lengths = new List<int>();
        Add(0);
        return lengths;

        void Add(int depth)
        {
            lengths.Add(shape[depth]);
            if (depth + 1 < rank)
            {
                for (var i = 0; i < shape[depth]; i++)
                {
                    Add(depth + 1);
                }
            }
        }
    }

    /// <summary>A rented buffer that grows only if the bound was wrong.</summary>
    private sealed class PooledFloats(int capacity)
    {
        private float[] _items = ArrayPool<float>.Shared.Rent(Math.Max(capacity, 1));
        private int _count;

        public void Add(float value)
        {
            if (_count == _items.Length)
            {
                var larger = ArrayPool<float>.Shared.Rent(_items.Length * 2);
                _items.AsSpan(0, _count).CopyTo(larger);
                ArrayPool<float>.Shared.Return(_items);
                _items = larger;
            }

            _items[_count++] = value;
        }

        public float[] ToArray() => _items.AsSpan(0, _count).ToArray();

        public void Return() => ArrayPool<float>.Shared.Return(_items);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Embeddings([{string.Join(", ", _layout.Shape)}]{(IsRagged ? ", ragged" : string.Empty)})";
}
