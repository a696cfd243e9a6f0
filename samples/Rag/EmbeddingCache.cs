using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace HuggingFace.Inference.Samples.Rag;

/// <summary>
/// Embeddings kept in a JSON file, keyed by the model and a SHA-256 of the text, so that an unchanged corpus
/// is embedded once: the next run sends only the texts it has not seen (and the question).
/// </summary>
public sealed class EmbeddingCache(string path)
{
    private readonly Dictionary<string, float[]> _vectors = File.Exists(path)
        ? JsonSerializer.Deserialize<Dictionary<string, float[]>>(File.ReadAllText(path)) ?? []
        : [];

    public int Count => _vectors.Count;

    public bool TryGet(string model, string text, out float[] vector) => _vectors.TryGetValue(Key(model, text), out vector!);

    public void Add(string model, string text, float[] vector) => _vectors[Key(model, text)] = vector;

    public void Save()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(_vectors));
    }

    private static string Key(string model, string text) => model + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
