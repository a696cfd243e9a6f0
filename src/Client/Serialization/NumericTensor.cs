using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuggingFace.Inference.Serialization;

/// <summary>
/// The base of generated types for nested numeric arrays (<c>FeatureExtractionOutput</c>): one
/// row-major block of values and its shape. Servers answer embeddings as 1D to 4D JSON arrays
/// whatever the spec says, so any rank is accepted. Token-level embeddings of several texts are
/// ragged (texts differ in length): then <see cref="IsRagged"/> is true, the varying dimensions of
/// <see cref="Shape"/> are -1, and the exact nesting is kept so that nothing is lost.
/// </summary>
public abstract class NumericTensor
{
    private readonly int[] _shape;

    // Pre-order lengths of every nested array, kept only for ragged tensors.
    private readonly int[]? _lengths;

    /// <summary>Creates a dense tensor; the product of <paramref name="shape"/> must equal the number of values.</summary>
    /// <exception cref="ArgumentException">The shape does not match the values.</exception>
    protected NumericTensor(ReadOnlyMemory<double> values, IReadOnlyList<int> shape)
        : this(values, shape, null)
    {
    }

    /// <summary>
    /// Creates a tensor that may be ragged: <paramref name="nestedLengths"/> lists the length of every
    /// nested array in pre-order (outermost first), and <paramref name="shape"/> has -1 where lengths vary.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths do not describe the values.</exception>
    protected NumericTensor(ReadOnlyMemory<double> values, IReadOnlyList<int> shape, IReadOnlyList<int>? nestedLengths)
    {
        int[]? lengths = null;
        if (nestedLengths != null)
        {
            lengths = new int[nestedLengths.Count];
            for (var i = 0; i < lengths.Length; i++)
            {
                lengths[i] = nestedLengths[i];
            }
        }

        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count == 0)
        {
            throw new ArgumentException("A tensor has at least one dimension.", nameof(shape));
        }

        _shape = new int[shape.Count];
        long size = 1;
        for (var i = 0; i < shape.Count; i++)
        {
            if (shape[i] < 0 && lengths == null)
            {
                throw new ArgumentException($"Dimension {i} is negative ({shape[i]}).", nameof(shape));
            }

            _shape[i] = shape[i];
            size *= Math.Max(shape[i], 0);
        }

        if (lengths == null && size != values.Length)
        {
            throw new ArgumentException($"The shape [{string.Join(", ", _shape)}] holds {size} values, but {values.Length} were given.", nameof(shape));
        }

        _lengths = lengths;
        Values = values;
        if (lengths != null)
        {
            var position = 0;
            var leaves = 0;
            try
            {
                SkipSubtree(0, ref position, ref leaves);
            }
            catch (IndexOutOfRangeException)
            {
                position = -1;
            }

            if (position != lengths.Length || leaves != values.Length)
            {
                throw new ArgumentException($"The nested lengths do not describe {values.Length} values in {shape.Count} dimensions.", nameof(nestedLengths));
            }
        }
    }

    /// <summary>The length of each dimension, outermost first; -1 for a dimension whose length varies (ragged).</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>The number of dimensions (the JSON nesting depth).</summary>
    public int Rank => _shape.Length;

    /// <summary>Whether inner arrays differ in length, so that the tensor has no single shape.</summary>
    public bool IsRagged => _lengths != null;

    /// <summary>All values, in the order the JSON lists them (row-major when dense).</summary>
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

        return _lengths == null ? DenseVector(indices) : RaggedVector(indices);
    }

    private ReadOnlySpan<double> DenseVector(int[] indices)
    {
        var offset = 0;
        for (var i = 0; i < indices.Length; i++)
        {
            CheckIndex(indices[i], _shape[i], i);
            offset = (offset * _shape[i]) + indices[i];
        }

        var length = _shape[^1];
        return Values.Span.Slice(offset * length, length);
    }

    private ReadOnlySpan<double> RaggedVector(int[] indices)
    {
        // Walk the pre-order lengths, skipping whole subtrees before each chosen index.
        var position = 0;
        var valueOffset = 0;
        for (var depth = 0; depth < indices.Length; depth++)
        {
            var count = _lengths![position++];
            CheckIndex(indices[depth], count, depth);
            for (var skip = 0; skip < indices[depth]; skip++)
            {
                SkipSubtree(depth + 1, ref position, ref valueOffset);
            }
        }

        return Values.Span.Slice(valueOffset, _lengths![position]);
    }

    private void SkipSubtree(int depth, ref int position, ref int valueOffset)
    {
        var count = _lengths![position++];
        if (depth == _shape.Length - 1)
        {
            valueOffset += count;
            return;
        }

        for (var i = 0; i < count; i++)
        {
            SkipSubtree(depth + 1, ref position, ref valueOffset);
        }
    }

    private static void CheckIndex(int index, int length, int dimension)
    {
        if ((uint)index >= (uint)length)
        {
            throw new ArgumentOutOfRangeException("indices", $"Index {index} is outside dimension {dimension} of length {length}.");
        }
    }

    internal void WriteTo(Utf8JsonWriter writer)
    {
        var values = Values.Span;
        var valueOffset = 0;
        var position = 0;
        WriteLevel(writer, values, 0, ref valueOffset, ref position);
    }

    private void WriteLevel(Utf8JsonWriter writer, ReadOnlySpan<double> values, int depth, ref int valueOffset, ref int position)
    {
        var count = _lengths != null ? _lengths[position++] : _shape[depth];
        writer.WriteStartArray();
        for (var i = 0; i < count; i++)
        {
            if (depth == _shape.Length - 1)
            {
                writer.WriteNumberValue(values[valueOffset++]);
            }
            else
            {
                WriteLevel(writer, values, depth + 1, ref valueOffset, ref position);
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>The raw parts a converter reads, so that a generated type can be built from them.</summary>
    internal static (double[] Values, int[] Shape, int[]? Lengths) ReadParts(ref Utf8JsonReader reader, string typeName)
    {
        var values = new List<double>();
        var shape = new List<int>();
        var lengths = new List<int>();
        var leafDepth = -1;
        var ragged = false;
        ReadLevel(ref reader, typeName, 0, values, shape, lengths, ref leafDepth, ref ragged);
        return (values.ToArray(), shape.ToArray(), ragged ? lengths.ToArray() : null);
    }

    private const int MaxRank = 8;

    private static void ReadLevel(ref Utf8JsonReader reader, string typeName, int depth, List<double> values, List<int> shape, List<int> lengths, ref int leafDepth, ref bool ragged)
    {
        if (depth >= MaxRank)
        {
            throw new JsonException($"{typeName} accepts at most {MaxRank} levels of nesting.");
        }

        if (shape.Count == depth)
        {
            shape.Add(-2);
        }

        var slot = lengths.Count;
        lengths.Add(0);
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                if (leafDepth >= 0 && leafDepth != depth)
                {
                    throw new JsonException($"{typeName}: numbers at nesting depths {leafDepth} and {depth}; a tensor has them at one depth.");
                }

                leafDepth = depth;
                values.Add(reader.GetDouble());
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                if (leafDepth >= 0 && leafDepth <= depth)
                {
                    throw new JsonException($"{typeName}: arrays and numbers mixed at depth {depth}; a tensor has numbers at one depth.");
                }

                ReadLevel(ref reader, typeName, depth + 1, values, shape, lengths, ref leafDepth, ref ragged);
            }
            else
            {
                throw new JsonException($"{typeName} expects numbers or arrays, not {reader.TokenType}.");
            }

            count++;
        }

        lengths[slot] = count;
        if (shape[depth] == -2)
        {
            shape[depth] = count;
        }
        else if (shape[depth] != count)
        {
            shape[depth] = -1;
            ragged = true;
        }
    }
}

/// <summary>Lets <see cref="NumericTensorConverter{TSelf}"/> construct a generated tensor type.</summary>
public interface INumericTensor<TSelf>
    where TSelf : NumericTensor, INumericTensor<TSelf>
{
    /// <summary>Creates a dense tensor from freshly read values.</summary>
    static abstract TSelf Create(double[] values, int[] shape);

    /// <summary>Creates a ragged tensor: <paramref name="lengths"/> lists every nested array's length in pre-order.</summary>
    static abstract TSelf CreateRagged(double[] values, int[] shape, int[] lengths);
}

/// <summary>Reads nested JSON arrays of numbers of any depth into a tensor, and writes them back as they were.</summary>
public sealed class NumericTensorConverter<TSelf> : JsonConverter<TSelf>
    where TSelf : NumericTensor, INumericTensor<TSelf>
{
    /// <inheritdoc/>
    public override TSelf Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"{typeof(TSelf).Name} expects a JSON array, not {reader.TokenType}.");
        }

        var (values, shape, lengths) = NumericTensor.ReadParts(ref reader, typeof(TSelf).Name);
        return lengths == null ? TSelf.Create(values, shape) : TSelf.CreateRagged(values, shape, lengths);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TSelf value, JsonSerializerOptions options) => value.WriteTo(writer);
}
