using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuggingFace.Inference.Serialization;

/// <summary>
/// The base of generated types for nested numeric arrays (<c>FeatureExtractionOutput</c>): one
/// flat block of values and its shape. Servers answer embeddings as 1D to 4D JSON arrays
/// whatever the spec says, so any rank is accepted. Token-level embeddings of several texts are
/// ragged (texts differ in length): then <see cref="IsRagged"/> is true, the varying dimensions of
/// <see cref="Shape"/> are -1, and the exact nesting is kept so that nothing is lost.
/// </summary>
public abstract class NumericTensor
{
    private readonly TensorLayout _layout;

    /// <summary>Creates a dense tensor; the product of <paramref name="shape"/> must equal the number of values.</summary>
    /// <exception cref="ArgumentException">The shape does not match the values.</exception>
    protected NumericTensor(ReadOnlyMemory<double> values, IReadOnlyList<int> shape)
    {
        _layout = TensorLayout.Dense(shape, values.Length);
        Values = values;
    }

    /// <summary>
    /// Creates a tensor that may be ragged: <paramref name="nestedLengths"/> lists the length of every
    /// nested array in pre-order (outermost first), and <paramref name="shape"/> has -1 where lengths vary.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths do not describe the values.</exception>
    protected NumericTensor(ReadOnlyMemory<double> values, IReadOnlyList<int> shape, IReadOnlyList<int>? nestedLengths)
    {
        _layout = nestedLengths == null ? TensorLayout.Dense(shape, values.Length) : TensorLayout.Ragged(shape, nestedLengths, values.Length);
        Values = values;
    }

    /// <summary>The length of each dimension, outermost first; -1 for a dimension whose length varies (ragged).</summary>
    public IReadOnlyList<int> Shape => _layout.Shape;

    /// <summary>The number of dimensions (the JSON nesting depth).</summary>
    public int Rank => _layout.Shape.Length;

    /// <summary>Whether inner arrays differ in length, so that the tensor has no single shape.</summary>
    public bool IsRagged => _layout.Lengths != null;

    /// <summary>All values, in the order the JSON lists them (row-major when dense).</summary>
    public ReadOnlyMemory<double> Values { get; }

    /// <summary>The innermost vector at <paramref name="indices"/> (one index per dimension but the last).</summary>
    /// <exception cref="ArgumentException">The number of indices is not <see cref="Rank"/> - 1.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside its dimension.</exception>
    public ReadOnlySpan<double> Vector(params int[] indices)
    {
        var (offset, length) = _layout.Locate(indices);
        return Values.Span.Slice(offset, length);
    }

    internal void WriteTo(Utf8JsonWriter writer) =>
        _layout.Write(writer, Values, static (w, values, i) => w.WriteNumberValue(values.Span[i]));

    internal static (double[] Values, TensorLayout Layout) Read(ref Utf8JsonReader reader, string typeName)
    {
        var values = new List<double>();
        var layout = TensorLayout.Read(ref reader, typeName, values, static (list, value) => list.Add(value));
        return (values.ToArray(), layout);
    }
}

/// <summary>Lets <see cref="NumericTensorConverter{TSelf}"/> construct a generated tensor type.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public interface INumericTensor<TSelf>
    where TSelf : NumericTensor, INumericTensor<TSelf>
{
    /// <summary>Creates a dense tensor from freshly read values.</summary>
    static abstract TSelf Create(double[] values, int[] shape);

    /// <summary>Creates a ragged tensor: <paramref name="nestedLengths"/> lists every nested array's length in pre-order.</summary>
    static abstract TSelf CreateRagged(double[] values, int[] shape, int[] nestedLengths);
}

/// <summary>Reads nested JSON arrays of numbers of any depth into a tensor, and writes them back as they were.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class NumericTensorConverter<TSelf> : JsonConverter<TSelf>
    where TSelf : NumericTensor, INumericTensor<TSelf>
{
    /// <inheritdoc/>
    public override TSelf Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var (values, layout) = NumericTensor.Read(ref reader, typeof(TSelf).Name);
        return layout.Lengths == null ? TSelf.Create(values, layout.Shape) : TSelf.CreateRagged(values, layout.Shape, layout.Lengths);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TSelf value, JsonSerializerOptions options) => value.WriteTo(writer);
}
