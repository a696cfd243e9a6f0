using System;
using System.Collections.Generic;
using System.Text.Json;

namespace HuggingFace.Inference.Benchmarks;

/// <summary>
/// The floor every benchmark is compared with: what a .NET caller does with nothing but
/// <see cref="Utf8JsonReader"/>, pulling out only what it needs and building no model objects.
/// Shared by the micro-benchmarks and the side-by-side harness so both measure the same floor.
/// </summary>
public static class RawBaseline
{
    /// <summary>The first <c>"content"</c> string of a chat chunk: the least work that still reads the token.</summary>
    public static string? ContentText(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("content"u8) && reader.Read())
            {
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
        }

        return null;
    }

    /// <summary>A 2D feature-extraction answer as <c>float[][]</c>, the shape a hand-written caller would pick.</summary>
    public static float[][] Embeddings(ReadOnlySpan<byte> json)
    {
        var rows = new List<float[]>();
        var row = new List<float>();
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Number:
                    row.Add(reader.GetSingle());
                    break;
                case JsonTokenType.EndArray when reader.CurrentDepth == 1:
                    rows.Add(row.ToArray());
                    row.Clear();
                    break;
            }
        }

        return rows.ToArray();
    }

    /// <summary>The first <c>"label"</c> of a classification answer.</summary>
    public static string? FirstLabel(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("label"u8) && reader.Read())
            {
                return reader.GetString();
            }
        }

        return null;
    }
}
