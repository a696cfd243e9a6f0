using System;
using System.Collections.Generic;
using System.Text.Json;

namespace HuggingFace.Inference.Serialization;

/// <summary>
/// The shape of nested JSON number arrays, dense or ragged, and how to find and write values in
/// the flat block that holds them. Shared by <see cref="NumericTensor"/> (the generated double
/// type) and <see cref="Embeddings"/> (the float32 result of feature extraction).
/// </summary>
internal sealed class TensorLayout
{
    private const int MaxRank = 8;

    private TensorLayout(int[] shape, int[]? lengths)
    {
        Shape = shape;
        Lengths = lengths;
    }

    /// <summary>The length of each dimension; -1 where it varies.</summary>
    public int[] Shape { get; }

    /// <summary>Every nested array's length in pre-order; only for ragged layouts.</summary>
    public int[]? Lengths { get; }

    public static TensorLayout Dense(IReadOnlyList<int> shape, int valueCount)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count == 0)
        {
            throw new ArgumentException("A tensor has at least one dimension.", nameof(shape));
        }

        var copy = new int[shape.Count];
        long size = 1;
        for (var i = 0; i < copy.Length; i++)
        {
            if (shape[i] < 0)
            {
                throw new ArgumentException($"Dimension {i} is negative ({shape[i]}).", nameof(shape));
            }

            copy[i] = shape[i];
            size *= shape[i];
        }

        if (size != valueCount)
        {
            throw new ArgumentException($"The shape [{string.Join(", ", copy)}] holds {size} values, but {valueCount} were given.", nameof(shape));
        }

        return new TensorLayout(copy, null);
    }

    public static TensorLayout Ragged(IReadOnlyList<int> shape, IReadOnlyList<int> lengths, int valueCount)
    {
        var layout = new TensorLayout([.. shape], [.. lengths]);
        var position = 0;
        var leaves = 0;
        try
        {
            layout.Skip(0, ref position, ref leaves);
        }
        catch (IndexOutOfRangeException)
        {
            position = -1;
        }

        if (layout.Shape.Length == 0 || position != layout.Lengths!.Length || leaves != valueCount)
        {
            throw new ArgumentException($"The nested lengths do not describe {valueCount} values in {layout.Shape.Length} dimensions.", nameof(lengths));
        }

        return layout;
    }

    /// <summary>Where the innermost vector at <paramref name="indices"/> starts in the flat values, and its length.</summary>
    public (int Offset, int Length) Locate(int[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Length != Shape.Length - 1)
        {
            throw new ArgumentException($"A rank-{Shape.Length} tensor takes {Shape.Length - 1} indices, not {indices.Length}.", nameof(indices));
        }

        if (Lengths == null)
        {
            var offset = 0;
            for (var i = 0; i < indices.Length; i++)
            {
                CheckIndex(indices[i], Shape[i], i);
                offset = (offset * Shape[i]) + indices[i];
            }

            return (offset * Shape[^1], Shape[^1]);
        }

        // Ragged: walk the pre-order lengths, skipping whole subtrees before each chosen index.
        var position = 0;
        var valueOffset = 0;
        for (var depth = 0; depth < indices.Length; depth++)
        {
            var count = Lengths[position++];
            CheckIndex(indices[depth], count, depth);
            for (var skip = 0; skip < indices[depth]; skip++)
            {
                Skip(depth + 1, ref position, ref valueOffset);
            }
        }

        return (valueOffset, Lengths[position]);
    }

    /// <summary>Writes the nesting, calling <paramref name="writeValue"/> for each value index in order.</summary>
    public void Write<TState>(Utf8JsonWriter writer, TState state, Action<Utf8JsonWriter, TState, int> writeValue)
    {
        var valueIndex = 0;
        var position = 0;
        WriteLevel(writer, state, writeValue, 0, ref valueIndex, ref position);
    }

    private void WriteLevel<TState>(Utf8JsonWriter writer, TState state, Action<Utf8JsonWriter, TState, int> writeValue, int depth, ref int valueIndex, ref int position)
    {
        var count = Lengths != null ? Lengths[position++] : Shape[depth];
        writer.WriteStartArray();
        for (var i = 0; i < count; i++)
        {
            if (depth == Shape.Length - 1)
            {
                writeValue(writer, state, valueIndex++);
            }
            else
            {
                WriteLevel(writer, state, writeValue, depth + 1, ref valueIndex, ref position);
            }
        }

        writer.WriteEndArray();
    }

    private void Skip(int depth, ref int position, ref int valueOffset)
    {
        var count = Lengths![position++];
        if (depth == Shape.Length - 1)
        {
            valueOffset += count;
            return;
        }

        for (var i = 0; i < count; i++)
        {
            Skip(depth + 1, ref position, ref valueOffset);
        }
    }

    private static void CheckIndex(int index, int length, int dimension)
    {
        if ((uint)index >= (uint)length)
        {
            throw new ArgumentOutOfRangeException("indices", $"Index {index} is outside dimension {dimension} of length {length}.");
        }
    }

    /// <summary>Reads nested arrays of numbers (the reader on their StartArray), handing each number to <paramref name="addValue"/>.</summary>
    public static TensorLayout Read<TState>(ref Utf8JsonReader reader, string typeName, TState state, Action<TState, double> addValue)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"{typeName} expects a JSON array, not {reader.TokenType}.");
        }

        var shape = new List<int>();
        var lengths = new List<int>();
        var leafDepth = -1;
        var ragged = false;
        ReadLevel(ref reader, typeName, state, addValue, 0, shape, lengths, ref leafDepth, ref ragged);
        return new TensorLayout([.. shape], ragged ? [.. lengths] : null);
    }

    private static void ReadLevel<TState>(ref Utf8JsonReader reader, string typeName, TState state, Action<TState, double> addValue, int depth, List<int> shape, List<int> lengths, ref int leafDepth, ref bool ragged)
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
                addValue(state, JsonNumbers.GetDouble(ref reader)); // the framework's bits, faster (JsonNumbers)
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                if (leafDepth >= 0 && leafDepth <= depth)
                {
                    throw new JsonException($"{typeName}: arrays and numbers mixed at depth {depth}; a tensor has numbers at one depth.");
                }

                ReadLevel(ref reader, typeName, state, addValue, depth + 1, shape, lengths, ref leafDepth, ref ragged);
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
