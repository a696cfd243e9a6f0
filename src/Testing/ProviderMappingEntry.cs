namespace HuggingFace.Inference.Testing;

/// <summary>
/// One entry of a model's Inference Providers mapping, as the Hub's
/// <c>GET /api/models/{id}?expand[]=inferenceProviderMapping</c> answers it.
/// </summary>
/// <param name="Provider">The provider's name on the Hub (<c>fal-ai</c>, <c>together</c>, <c>hf-inference</c> …).</param>
/// <param name="ProviderId">The model's id on the provider's side (<c>fal-ai/flux/dev</c>, <c>owner/name:version</c> …).</param>
/// <param name="Task">The Hub's task name: <c>conversational</c> for chat, otherwise the pipeline tag (<c>text-to-image</c> …).</param>
/// <param name="Status"><c>live</c>, <c>staging</c> or <c>error</c>.</param>
/// <param name="Adapter"><c>lora</c> for an adapter served on a base model, else null.</param>
/// <param name="AdapterWeightsPath">The adapter's weights file in the repository (with <paramref name="Adapter"/>), else null.</param>
public sealed record ProviderMappingEntry(string Provider, string ProviderId, string Task, string Status = "live", string? Adapter = null, string? AdapterWeightsPath = null);
