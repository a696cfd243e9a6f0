namespace HuggingFace.Inference.Samples.Rag;

/// <summary>One paragraph of a corpus file: what is embedded, retrieved and cited.</summary>
/// <param name="Source">The file and paragraph it came from ("retries.md#2").</param>
/// <param name="Text">The paragraph.</param>
public sealed record Passage(string Source, string Text);
