using System;
using Microsoft.Extensions.Options;

namespace HuggingFace.Inference.DependencyInjection;

/// <summary>
/// Validates <see cref="HuggingFaceInferenceOptions"/> (each named instance) with the client's own rules, so that
/// a bad URL, provider, header or number fails the host's start with a message naming the option.
/// </summary>
internal sealed class HuggingFaceInferenceOptionsValidator : IValidateOptions<HuggingFaceInferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, HuggingFaceInferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var which = string.IsNullOrEmpty(name) ? "HuggingFaceInferenceOptions" : $"HuggingFaceInferenceOptions '{name}'";
        try
        {
            options.Client.Validate();
        }
        catch (ArgumentException exception)
        {
            return ValidateOptionsResult.Fail($"{which}: Client.{exception.ParamName}: {exception.Message}");
        }

        return options.EmbeddingBatchSize < 1
            ? ValidateOptionsResult.Fail($"{which}: EmbeddingBatchSize must be 1 or more (it is {options.EmbeddingBatchSize}).")
            : ValidateOptionsResult.Success;
    }
}
