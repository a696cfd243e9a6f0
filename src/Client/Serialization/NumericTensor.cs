using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuggingFace.Inference.Serialization;

/// <summary>
/// The base of generated types for nested numeric arrays (<c>FeatureExtractionOutput</c>): one
/// row-major block of values and its shape. Servers answer embeddings as 1D, 2D, 3D or 4D JSON
/// arrays whatever the spec says, so any rank is accepted; ragged arrays are rejected with a
/// <see cref="JsonException"/> because they have no shape.
/// </summary>
public abstract class NumericTensor
{
    private readonly int[] _shape;

    /// <summary>Creates a tensor; the product of <paramref name="shape"/> must equal the number of values.</summary>
    /// <exception cref="ArgumentException">The shape does not match the values.</exception>
    protected NumericTensor(ReadOnlyMemory<double> values, IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count == 0)
        {
            throw new ArgumentException("A tensor has at least one dimension.", nameof(shape));
        }

        _shape = new int[shape.Count];
        long size = 1;
        for (var i = 0; i < shape.Count; i++)
        {
            if (shape[i] < 0)
            {
                throw new ArgumentException($"Dimension {i} is negative ({shape[i]}).", nameof(shape));
            }

            _shape[i] = shape[i];
            size *= shape[i];
        }

        if (size != values.Length)
        {
            throw new ArgumentException($"The shape [{string.Join(", ", _shape)}] holds {size} values, but {values.Length} were given.", nameof(shape));
        }

        Values = values;
    }

    /// <summary>The length of each dimension, outermost first.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>The number of dimensions (the JSON nesting depth).</summary>
    public int Rank => _shape.Length;

    /// <summary>All values, row-major.</summary>
    public ReadOnlyMemory<double> Values { get; }

    /// <summary>The innermost vector at <paramref name="indices"/> (one index per dimension but the last).</summary>
    /// <exception cref="ArgumentException">The number of indices is not <see cref="Rank"/> - 1.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside its dimension.</exception>
    public ReadOnlySpan<double> Vector(params int[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Length != _shape.Length - 1)
        {
            throw new ArgumentException($"A rank-{Rank} tensor takes {Rank - 1} indices, not {indices.Length}.", nameof(indices));
        }

        var offset = 0;
        for (var i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)_shape[i])
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {indices[i]} is outside dimension {i} of length {_shape[i]}.");
            }

            offset = (offset * _shape[i]) + indices[i];
        }

        var length = _shape[^1];
        return Values.Span.Slice(offset * length, length);
    }
}

/// <summary>Lets <see cref="NumericTensorConverter{TSelf}"/> construct a generated tensor type.</summary>
public interface INumericTensor<TSelf>
    where TSelf : NumericTensor, INumericTensor<TSelf>
{
    /// <summary>Creates the tensor from freshly read values.</summary>
    static abstract TSelf Create(double[] values, int[] shape);
}

/// <summary>Reads nested JSON arrays of numbers of any depth into a tensor, and writes them back.</summary>
public sealed class NumericTensorConverter<TSelf> : JsonConverter<TSelf>
    where TSelf : NumericTensor, INumericTensor<TSelf>
{
    private const int MaxRank = 8;

    /// <inheritdoc/>
    public override TSelf Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"{typeof(TSelf).Name} expects a JSON array, not {reader.TokenType}.");
        }

        var values = new List<double>();
        var shape = new List<int>();
        var leafDepth = -1;
        ReadLevel(ref reader, 0, values, shape, ref leafDepth);
        if (leafDepth < 0)
        {
            // Only empty arrays: the innermost level seen is the last dimension.
            leafDepth = shape.Count - 1;
        }

        return TSelf.Create(values.ToArray(), shape.ToArray());
    }

    private static void ReadLevel(ref Utf8JsonReader reader, int depth, List<double> values, List<int> shape, ref int leafDepth)
    {
        if (depth >= MaxRank)
        {
            throw new JsonException($"{typeof(TSelf).Name} accepts at most {MaxRank} levels of nesting.");
        }

        if (shape.Count == depth)
        {
            shape.Add(-1);
        }

        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                if (leafDepth >= 0 && leafDepth != depth)
                {
                    throw new JsonException($"{typeof(TSelf).Name}: numbers at nesting depths {leafDepth} and {depth}; the array is ragged.");
                }

                leafDepth = depth;
                values.Add(reader.GetDouble());
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                if (leafDepth >= 0 && leafDepth <= depth)
                {
                    throw new JsonException($"{typeof(TSelf).Name}: arrays and numbers mixed at depth {depth}; the array is ragged.");
                }

                ReadLevel(ref reader, depth + 1, values, shape, ref leafDepth);
            }
            else
            {
                throw new JsonException($"{typeof(TSelf).Name} expects numbers or arrays, not {reader.TokenType}.");
            }

            count++;
        }

        if (shape[depth] < 0)
        {
            shape[depth] = count;
        }
        else if (shape[depth] != count)
        {
            throw new JsonException($"{typeof(TSelf).Name}: dimension {depth} has lengths {shape[depth]} and {count}; the array is ragged.");
        }
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TSelf value, JsonSerializerOptions options)
    {
        var offset = 0;
        WriteLevel(writer, value.Values.Span, value.Shape, 0, ref offset);
    }

    private static void WriteLevel(Utf8JsonWriter writer, ReadOnlySpan<double> values, IReadOnlyList<int> shape, int depth, ref int offset)
    {
        writer.WriteStartArray();
        for (var i = 0; i < shape[depth]; i++)
        {
            if (depth == shape.Count - 1)
            {
                writer.WriteNumberValue(values[offset++]);
            }
            else
            {
                WriteLevel(writer, values, shape, depth + 1, ref offset);
            }
        }

        writer.WriteEndArray();
    }
}
