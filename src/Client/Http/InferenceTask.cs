// Public only because generated code in a project that brings its own schema (another assembly) calls it;
// hidden from IntelliSense, like the serialization plumbing, since no user writes it by hand.
namespace HuggingFace.Inference.Http;

/// <summary>How a task's request body is formed (see ../shared/reference/hf-hub-task-table.md).</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public enum RequestBodyForm
{
    /// <summary>The task's input record as JSON (<c>{"inputs": …, "parameters": …}</c>).</summary>
    Json,

    /// <summary>The raw bytes of the binary input when there are no parameters; else JSON with the input in base64.</summary>
    Binary,

    /// <summary>Always JSON, with the binary input in base64 (a task whose parameters are never empty).</summary>
    BinaryAsJson,
}

/// <summary>How a task's answer is read.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public enum ResponseForm
{
    /// <summary>JSON into the task's output type, unwrapped as the Python client does.</summary>
    Json,

    /// <summary>Raw bytes (an image, audio).</summary>
    Binary,

    /// <summary>Nested arrays of numbers into <see cref="Embeddings"/>.</summary>
    Embeddings,
}

/// <summary>A task's wire description, generated from specs/inference/tasks.json.</summary>
/// <param name="Name">The task name (<c>text-classification</c>).</param>
/// <param name="Pipeline">The <c>/pipeline/{task}</c> segment a model id's URL gets, or null.</param>
/// <param name="Body">How the body is formed.</param>
/// <param name="Response">How the answer is read.</param>
/// <param name="Accept">The Accept header to send, or null.</param>
/// <param name="Renames">"path=name": members the service reads under another name than the spec's (table QA's query);
/// <c>default</c> or empty for none.</param>
/// <remarks>Immutable: <see cref="Renames"/> is an <see cref="System.Collections.Immutable.ImmutableArray{T}"/>, so one
/// task's description, shared by every call of that task, cannot be changed by a caller (a <c>string[]</c> could).</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed record InferenceTask(string Name, string? Pipeline, RequestBodyForm Body, ResponseForm Response, string? Accept,
    System.Collections.Immutable.ImmutableArray<string> Renames = default)
{
    private readonly System.Collections.Immutable.ImmutableArray<string> _renames = Renames.IsDefault ? [] : Renames;

    /// <summary>"path=name" renames, never <c>default</c> (empty for none).</summary>
    public System.Collections.Immutable.ImmutableArray<string> Renames
    {
        get => _renames;
        init => _renames = value.IsDefault ? [] : value;
    }
}
