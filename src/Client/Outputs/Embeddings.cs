using System;
using System.Buffers;
using System.Collections.Generic;
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
